/** The two IPC channels between the preload and the main process: one call entry, one event feed. */
export const CALL_CHANNEL = 'rekey:call';
export const EVENT_CHANNEL = 'rekey:event';
