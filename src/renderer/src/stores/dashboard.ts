import { create } from 'zustand';
import type { Dashboard } from '../../../shared/api';
import { call, errorMessage } from '../api/client';

interface DashboardState {
  summary: Dashboard | null;
  error: string | null;
  load(): Promise<void>;
}

export const useDashboard = create<DashboardState>((set) => ({
  summary: null,
  error: null,
  async load() {
    try {
      set({ summary: await call('dashboard.summary', {}), error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
}));
