import { join } from 'node:path';
import { BrowserWindow, type WebPreferences } from 'electron';

/** The hardening every Rekey window gets; the desktop issue adds IPC and the real UI. */
export const SECURE_WEB_PREFERENCES: Readonly<WebPreferences> = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  spellcheck: false,
};

export function createMainWindow(outDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Rekey',
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(outDir, 'preload', 'index.cjs') },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadFile(join(outDir, 'renderer', 'index.html'));
  return window;
}
