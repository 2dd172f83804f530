import {
  BrowserWindow,
  type Rectangle,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron';
import { CONTENT_SECURITY_POLICY } from '../security/csp';

/** The hardening every Rekey window gets. */
export const SECURE_WEB_PREFERENCES: Readonly<WebPreferences> = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
};

/** No navigation away from our page, no new windows, no webviews: links are not our business. */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Every permission (camera, notifications, clipboard-read, ...) is refused; the CSP rides on every response. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}

export interface MainWindowOptions {
  preloadPath: string;
  indexHtmlPath: string;
  bounds?: Partial<Rectangle>;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    ...options.bounds,
    title: 'Rekey',
    show: false,
    backgroundColor: '#14161a',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.preloadPath },
  });
  hardenContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(options.indexHtmlPath);
  return window;
}
