import { create } from 'zustand';
import type { RotationStatus, SecretDetail, SecretSummary } from '../../../shared/model';
import { call, errorMessage } from '../api/client';

/**
 * The inventory as the UI holds it: summaries and the selected secret's detail, both free of
 * values by construction (the contract has no value in either). Revealed values live only in
 * the component that shows them, for as long as they are shown.
 */

export type SortKey =
  'ref' | 'deployment' | 'service' | 'ageDays' | 'rotation' | 'impact' | 'difficulty' | 'strength';

export interface Facets {
  deployment: string | null;
  rotation: RotationStatus | null;
  strength: 'weak' | 'fair' | 'strong' | null;
  compromised: boolean;
}

interface SecretsState {
  items: SecretSummary[];
  loaded: boolean;
  error: string | null;
  query: string;
  facets: Facets;
  sort: { key: SortKey; descending: boolean };
  selectedRef: string | null;
  detail: SecretDetail | null;
  detailError: string | null;
  load(): Promise<void>;
  select(ref: string | null): Promise<void>;
  reloadDetail(): Promise<void>;
  setQuery(query: string): void;
  setFacets(facets: Partial<Facets>): void;
  setSort(key: SortKey): void;
  reset(): void;
}

export const NO_FACETS: Facets = {
  deployment: null,
  rotation: null,
  strength: null,
  compromised: false,
};

export const useSecrets = create<SecretsState>((set, get) => ({
  items: [],
  loaded: false,
  error: null,
  query: '',
  facets: NO_FACETS,
  sort: { key: 'ref', descending: false },
  selectedRef: null,
  detail: null,
  detailError: null,

  async load() {
    try {
      set({ items: await call('secrets.list', {}), loaded: true, error: null });
      if (get().selectedRef) await get().reloadDetail();
    } catch (error) {
      set({ error: errorMessage(error), loaded: true });
    }
  },

  async select(ref) {
    set({ selectedRef: ref, detail: null, detailError: null });
    if (ref) await get().reloadDetail();
  },

  async reloadDetail() {
    const ref = get().selectedRef;
    if (!ref) return;
    try {
      const detail = await call('secrets.get', { ref });
      if (get().selectedRef === ref) set({ detail, detailError: null });
    } catch (error) {
      if (get().selectedRef === ref) set({ detail: null, detailError: errorMessage(error) });
    }
  },

  setQuery(query) {
    set({ query });
  },

  setFacets(facets) {
    set((state) => ({ facets: { ...state.facets, ...facets } }));
  },

  setSort(key) {
    set((state) => ({
      sort: { key, descending: state.sort.key === key ? !state.sort.descending : false },
    }));
  },

  reset() {
    set({
      items: [],
      loaded: false,
      error: null,
      selectedRef: null,
      detail: null,
      detailError: null,
    });
  },
}));
