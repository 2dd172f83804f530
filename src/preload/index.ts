import { contextBridge } from 'electron';

// The typed client over the API contract arrives with the desktop issue; until then the
// renderer only learns that it runs inside Rekey's desktop shell.
contextBridge.exposeInMainWorld('rekeyShell', { kind: 'desktop' });
