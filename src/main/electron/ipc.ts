import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { RekeyApp } from '../app';
import type { Result } from '../../shared/errors';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../shared/ipc';
import type { MethodName } from '../../shared/methods';

/**
 * The single IPC entry point: the contract's `call`, accepted only from our window's main
 * frame showing our own page. Input validation is the core's (`handle`), so nothing here
 * trusts what arrives.
 */
export function isTrustedSender(
  event: IpcMainInvokeEvent,
  window: BrowserWindow,
  pageUrl: string,
): boolean {
  const frame = event.senderFrame;
  return (
    !window.isDestroyed() &&
    event.sender === window.webContents &&
    frame !== null &&
    frame === window.webContents.mainFrame &&
    frame.url.split('#')[0] === pageUrl
  );
}

export function bindIpc(
  ipcMain: IpcMain,
  app: RekeyApp,
  window: BrowserWindow,
  pageUrl: string,
): () => void {
  ipcMain.handle(
    CALL_CHANNEL,
    async (event, method: unknown, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, window, pageUrl)) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'Calls are accepted from the Rekey window only' },
        };
      }
      if (typeof method !== 'string') {
        return { ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown method' } };
      }
      return app.call(method as MethodName, input);
    },
  );
  const unsubscribe = app.onEvent((event) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}
