import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, session } from 'electron';
import { createMainWindow } from './electron/window';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
      callback(false),
    );
    createMainWindow(outDir);
  });
  app.on('window-all-closed', () => app.quit());
}
