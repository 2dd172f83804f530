import { create } from 'zustand';
import type { ClusterSummary } from '../../../shared/cluster-api';
import { call, errorMessage } from '../api/client';

/**
 * The Kubernetes clusters Rekey reaches, as the UI holds them: names, contexts, namespaces
 * and where the kubeconfig is. A kubeconfig kept in the vault never comes back out of it.
 */

interface ClustersState {
  clusters: ClusterSummary[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  reset(): void;
}

export const useClusters = create<ClustersState>((set) => ({
  clusters: [],
  loaded: false,
  error: null,

  async load() {
    try {
      set({ clusters: await call('clusters.list', {}), loaded: true, error: null });
    } catch (error) {
      set({ error: errorMessage(error), loaded: true });
    }
  },

  reset() {
    set({ clusters: [], loaded: false, error: null });
  },
}));
