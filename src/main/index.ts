import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Notification, app, ipcMain, powerMonitor, session } from 'electron';
import { createApp } from './app';
import { electronClipboard } from './electron/clipboard';
import { bindIpc } from './electron/ipc';
import { startReminders } from './electron/notifications';
import { lockOnSuspend } from './electron/power';
import { createMainWindow, hardenContents, hardenSession } from './electron/window';
import { windowStateStore } from './electron/window-state';
import { ShownStore } from './reminders/shown-store';
import { defaultPreferencesPath, defaultVaultPath } from './vault/paths';

/** Electron entry: one instance, one hardened window, the core behind one IPC entry point. */
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const indexHtmlPath = join(outDir, 'renderer', 'index.html');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    const rekey = createApp(
      {
        vaultPath: process.env['REKEY_VAULT'] ?? defaultVaultPath(),
        source: 'desktop',
        version: app.getVersion(),
        command: 'Rekey desktop',
        preferencesPath: defaultPreferencesPath(),
        clipboard: electronClipboard,
        idleLock: true,
      },
      Boolean(process.env['REKEY_VAULT']),
    );
    await rekey.start();
    const state = windowStateStore();
    const window = createMainWindow({
      preloadPath: join(outDir, 'preload', 'index.cjs'),
      indexHtmlPath,
      bounds: state.bounds(),
    });
    state.track(window);
    bindIpc(ipcMain, rekey, window, pathToFileURL(indexHtmlPath).href);
    lockOnSuspend(powerMonitor, rekey.session);
    // Rotations and backups due, as desktop notifications (the log of shown ones beside the prefs).
    startReminders({
      app: rekey,
      Notification,
      store: new ShownStore(join(dirname(defaultPreferencesPath()), 'reminders.json')),
      onClick: () => (window.show(), window.focus()),
    });
    app.on('second-instance', () => {
      if (window.isMinimized()) window.restore();
      window.focus();
    });
    app.on('before-quit', () => rekey.session.lock(null));
  });
  app.on('window-all-closed', () => app.quit());
}
