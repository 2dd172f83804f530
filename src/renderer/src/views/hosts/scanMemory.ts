import { create } from 'zustand';

/**
 * Where the user last looked for secrets on each host, for as long as the window is open:
 * directories and a depth are no secret, and a second scan of the same host (after adding
 * findings, say) should not mean typing them again.
 */

export interface ScanSettings {
  directories: string[];
  maxDepth: number;
}

/** Where self-hosted services usually keep their config and compose files. */
export const SUGGESTED_DIRECTORIES = [
  '/srv',
  '/opt',
  '/etc/synapse',
  '/etc/matrix-synapse',
  '/etc/livekit',
] as const;

export const DEFAULT_MAX_DEPTH = 4;
/** The contract's limits for one scan. */
export const MAX_DEPTH = 8;
export const MAX_DIRECTORIES = 32;

const DEFAULT_SETTINGS: ScanSettings = {
  directories: ['/srv', '/opt'],
  maxDepth: DEFAULT_MAX_DEPTH,
};

interface ScanMemoryState {
  byHost: Readonly<Record<string, ScanSettings>>;
  remember(host: string, settings: ScanSettings): void;
}

export const useScanMemory = create<ScanMemoryState>((set) => ({
  byHost: {},
  remember(host, settings) {
    set((state) => ({ byHost: { ...state.byHost, [host]: settings } }));
  },
}));

/** What to show for a host: what was scanned there last, else the usual places. */
export function rememberedScan(host: string): ScanSettings {
  return useScanMemory.getState().byHost[host] ?? DEFAULT_SETTINGS;
}
