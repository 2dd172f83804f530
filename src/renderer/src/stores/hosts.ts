import { create } from 'zustand';
import type { DeploymentSummary, HostSummary } from '../../../shared/model';
import { call, errorMessage } from '../api/client';

/**
 * The hosts Rekey logs in to and the deployments that run on them, as the UI holds them.
 * Summaries carry public keys and fingerprints only: a host's private key and passphrase stay
 * in the vault, and what the user types into the import form stays in that dialog.
 */

interface HostsState {
  hosts: HostSummary[];
  deployments: DeploymentSummary[];
  loaded: boolean;
  error: string | null;
  selectedName: string | null;
  load(): Promise<void>;
  select(name: string | null): void;
  /** Which hosts a deployment runs on; throws with the core's message when refused. */
  setDeploymentHosts(deployment: string, hosts: string[]): Promise<void>;
  reset(): void;
}

export const useHosts = create<HostsState>((set, get) => ({
  hosts: [],
  deployments: [],
  loaded: false,
  error: null,
  selectedName: null,

  async load() {
    try {
      const [hosts, deployments] = await Promise.all([
        call('hosts.list', {}),
        call('deployments.list', {}),
      ]);
      // A host removed elsewhere (another window, the CLI) cannot stay selected.
      const selectedName = hosts.some((host) => host.name === get().selectedName)
        ? get().selectedName
        : null;
      set({ hosts, deployments, selectedName, loaded: true, error: null });
    } catch (error) {
      set({ error: errorMessage(error), loaded: true });
    }
  },

  select(name) {
    set({ selectedName: name });
  },

  async setDeploymentHosts(deployment, hosts) {
    const updated = await call('deployments.setHosts', { name: deployment, hosts });
    set((state) => ({
      deployments: state.deployments.map((item) => (item.name === deployment ? updated : item)),
    }));
    await get().load();
  },

  reset() {
    set({ hosts: [], deployments: [], loaded: false, error: null, selectedName: null });
  },
}));

/** The selected host's summary, or null. */
export function selectedHost(state: HostsState): HostSummary | null {
  return state.hosts.find((host) => host.name === state.selectedName) ?? null;
}
