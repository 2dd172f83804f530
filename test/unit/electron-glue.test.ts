import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/**
 * The Electron runtime cannot be installed on this machine, so the thin glue around it is
 * tested against a stand-in of the few Electron objects it touches. What matters is what the
 * glue asks of Electron: hardened preferences, handlers that refuse, one checked IPC entry.
 */
const created: FakeWindow[] = [];

class FakeContents extends EventEmitter {
  openHandler: (() => { action: string }) | null = null;
  mainFrame = { url: 'file:///app/renderer/index.html' };
  sent: unknown[] = [];
  setWindowOpenHandler(handler: () => { action: string }) {
    this.openHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
}

class FakeWindow extends EventEmitter {
  webContents = new FakeContents();
  loaded: string | null = null;
  constructor(readonly options: Record<string, unknown>) {
    super();
    created.push(this);
  }
  loadFile(path: string) {
    this.loaded = path;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  show() {}
}

vi.mock('electron', () => ({ BrowserWindow: FakeWindow, clipboard: {} }));

const { SECURE_WEB_PREFERENCES, createMainWindow, hardenSession } =
  await import('../../src/main/electron/window');
const { bindIpc } = await import('../../src/main/electron/ipc');
const { lockOnSuspend } = await import('../../src/main/electron/power');
const { createApp } = await import('../../src/main/app');
const { CALL_CHANNEL, EVENT_CHANNEL } = await import('../../src/shared/ipc');
const { CONTENT_SECURITY_POLICY } = await import('../../src/main/security/csp');

function preventable() {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

describe('Electron window', () => {
  it('is sandboxed and isolated, with the preload as its only bridge', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
    const window = createMainWindow({
      preloadPath: '/app/preload/index.cjs',
      indexHtmlPath: '/app/renderer/index.html',
    });
    const prefs = (window as unknown as FakeWindow).options['webPreferences'];
    expect(prefs).toEqual({ ...SECURE_WEB_PREFERENCES, preload: '/app/preload/index.cjs' });
    expect((window as unknown as FakeWindow).loaded).toBe('/app/renderer/index.html');
  });

  it('blocks navigation, redirects, webviews and new windows', () => {
    const window = createMainWindow({
      preloadPath: 'p',
      indexHtmlPath: 'i',
    }) as unknown as FakeWindow;
    const contents = window.webContents;
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const attempt = preventable();
      contents.emit(event, attempt, 'https://evil.example');
      expect(attempt.prevented, event).toBe(true);
    }
  });

  it('denies every permission and puts the CSP on every response', () => {
    const installed: {
      request?: (contents: unknown, permission: string, callback: (ok: boolean) => void) => void;
      check?: () => boolean;
      headers?: (
        details: { responseHeaders: Record<string, string[]> },
        callback: (r: unknown) => void,
      ) => void;
    } = {};
    hardenSession({
      setPermissionRequestHandler: (handler: typeof installed.request) =>
        (installed.request = handler),
      setPermissionCheckHandler: (handler: typeof installed.check) => (installed.check = handler),
      webRequest: {
        onHeadersReceived: (handler: typeof installed.headers) => (installed.headers = handler),
      },
    } as never);
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      installed.request?.(null, permission, (ok) => answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(installed.check?.()).toBe(false);
    const results: unknown[] = [];
    installed.headers?.({ responseHeaders: { 'x-a': ['1'] } }, (r) => results.push(r));
    expect(results).toEqual([
      {
        responseHeaders: {
          'x-a': ['1'],
          'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
          'X-Content-Type-Options': ['nosniff'],
        },
      },
    ]);
  });
});

describe('IPC entry point', () => {
  function setUp() {
    const handlers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
    const ipcMain = {
      handle: (channel: string, handler: (...args: unknown[]) => Promise<unknown>) =>
        handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    };
    const app = createApp({ vaultPath: join('/nonexistent', 'vault.rekey'), source: 'desktop' });
    const window = new FakeWindow({});
    const pageUrl = 'file:///app/renderer/index.html';
    const unbind = bindIpc(ipcMain as never, app, window as never, pageUrl);
    const call = handlers.get(CALL_CHANNEL) as (...args: unknown[]) => Promise<unknown>;
    return { app, window, call, unbind, handlers };
  }

  it('answers our own main frame through the contract', async () => {
    const { window, call } = setUp();
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    expect(await call(event, 'vault.status', {})).toMatchObject({
      ok: true,
      value: { state: 'missing' },
    });
    expect(await call(event, 'secrets.add', { ref: 'bad' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('refuses other frames, other pages and other windows', async () => {
    const { window, call } = setUp();
    const other = new FakeWindow({});
    const cases = [
      { sender: window.webContents, senderFrame: { url: 'file:///app/renderer/index.html' } },
      { sender: window.webContents, senderFrame: null },
      { sender: other.webContents, senderFrame: other.webContents.mainFrame },
    ];
    const navigated = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    for (const event of cases) {
      expect(await call(event, 'vault.status', {})).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    window.webContents.mainFrame.url = 'https://evil.example/';
    expect(await call(navigated, 'vault.status', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('forwards core events to the window and stops when unbound', () => {
    const { app, window, unbind, handlers } = setUp();
    app.session.emit({ type: 'vault.changed' });
    expect(window.webContents.sent).toEqual([[EVENT_CHANNEL, { type: 'vault.changed' }]]);
    unbind();
    app.session.emit({ type: 'vault.changed' });
    expect(window.webContents.sent).toHaveLength(1);
    expect(handlers.has(CALL_CHANNEL)).toBe(false);
  });

  it('locks the vault on suspend and on screen lock', () => {
    const power = new EventEmitter();
    const { app } = setUp();
    const reasons: string[] = [];
    app.onEvent((event) => event.type === 'vault.locked' && reasons.push(event.reason));
    lockOnSuspend(power as never, app.session);
    // Pretend a vault is open so locking has something to close.
    app.session.vault = { close() {} } as never;
    power.emit('suspend');
    app.session.vault = { close() {} } as never;
    power.emit('lock-screen');
    expect(reasons).toEqual(['suspend', 'lock-screen']);
    expect(app.session.vault).toBeNull();
  });
});
