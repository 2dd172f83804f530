import { create } from 'zustand';
import type { HistoryFilter, VerifyReport } from '../../../shared/api';
import type { HistoryEvent } from '../../../shared/model';
import { call, errorMessage } from '../api/client';

interface HistoryState {
  events: HistoryEvent[];
  filter: HistoryFilter;
  loaded: boolean;
  error: string | null;
  verification: VerifyReport | 'running' | null;
  verifyError: string | null;
  load(): Promise<void>;
  setFilter(filter: Partial<HistoryFilter>): Promise<void>;
  verify(): Promise<void>;
  reset(): void;
}

export const useHistory = create<HistoryState>((set, get) => ({
  events: [],
  filter: {},
  loaded: false,
  error: null,
  verification: null,
  verifyError: null,

  async load() {
    try {
      set({ events: await call('history.list', get().filter), loaded: true, error: null });
    } catch (error) {
      set({ error: errorMessage(error), loaded: true });
    }
  },

  async setFilter(filter) {
    // Empty fields mean "no filter": drop them rather than send empty strings.
    const next = Object.fromEntries(
      Object.entries({ ...get().filter, ...filter }).filter(
        ([, value]) => value !== undefined && value !== '',
      ),
    ) as HistoryFilter;
    set({ filter: next });
    await get().load();
  },

  async verify() {
    set({ verification: 'running', verifyError: null });
    try {
      set({ verification: await call('history.verify', {}) });
    } catch (error) {
      set({ verification: null, verifyError: errorMessage(error) });
    }
  },

  reset() {
    set({ events: [], loaded: false, error: null, verification: null, verifyError: null });
  },
}));
