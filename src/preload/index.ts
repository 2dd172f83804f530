import { contextBridge, ipcRenderer } from 'electron';
import { buildClient } from '../shared/client';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../shared/ipc';
import type { AppEvent } from '../shared/methods';

/**
 * Exposes exactly one object, `window.rekey`: the typed client of the API contract over one
 * IPC channel. No raw `ipcRenderer`, no Node.js.
 */
const client = buildClient({
  invoke: (method, input) => ipcRenderer.invoke(CALL_CHANNEL, method, input),
  subscribe: (listener) => {
    const forward = (_event: unknown, appEvent: AppEvent) => listener(appEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
});

contextBridge.exposeInMainWorld('rekey', client);
