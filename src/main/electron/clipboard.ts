import { clipboard } from 'electron';
import type { ClipboardPort } from '../app/clipboard';

/** Electron's clipboard behind the core's port; the core decides when to clear it. */
export const electronClipboard: ClipboardPort = {
  writeText: (text) => clipboard.writeText(text),
  readText: () => clipboard.readText(),
  clear: () => clipboard.clear(),
};
