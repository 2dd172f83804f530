import { create } from 'zustand';
import type {
  IncidentDetail,
  IncidentStatus,
  IncidentSummary,
  ResponseStep,
} from '../../../shared/incident-api';
import { call, errorMessage } from '../api/client';

/**
 * Incidents as the UI holds them: the list, the open incident's detail and the leak response
 * proposed for each of its exposed secrets, which incident the dashboard card lists, and which
 * secret the "Mark as exposed" dialog is open for. The contract names versions by fingerprint
 * only, so nothing here ever holds a value.
 */

export type StatusFilter = IncidentStatus | 'all';

interface IncidentsState {
  items: IncidentSummary[];
  loaded: boolean;
  error: string | null;
  filter: StatusFilter;
  /** Incidents not closed yet, for the dashboard card and the "join an incident" choices. */
  active: IncidentSummary[];
  selectedId: string | null;
  detail: IncidentDetail | null;
  detailError: string | null;
  /** The leak response per exposed secret of the open incident, by ref. */
  responses: Record<string, ResponseStep[]>;
  newOpen: boolean;
  /** The secret the "Mark as exposed" dialog is open for; null while it is closed. */
  exposingRef: string | null;
  load(): Promise<void>;
  loadActive(): Promise<void>;
  setFilter(filter: StatusFilter): Promise<void>;
  /** Opens an incident's page; `detail` when the caller has it already (a call returned it). */
  open(id: string | null, detail?: IncidentDetail): Promise<void>;
  /** Reloads the open incident and its responses. */
  reloadDetail(): Promise<void>;
  /** Takes the incident a call returned (every change returns it) and refreshes the list. */
  apply(detail: IncidentDetail): void;
  setResponse(ref: string, steps: ResponseStep[]): void;
  openNew(open: boolean): void;
  openExposed(ref: string | null): void;
  reset(): void;
}

const INITIAL = {
  items: [],
  loaded: false,
  error: null,
  filter: 'all' as StatusFilter,
  active: [],
  selectedId: null,
  detail: null,
  detailError: null,
  responses: {},
  newOpen: false,
  exposingRef: null,
};

/** Secrets of an incident that had a value exposed: each gets a leak response. */
export function exposedRefs(detail: IncidentDetail): string[] {
  return detail.affectedSecrets
    .filter((secret) => secret.exposedVersions.length > 0)
    .map((secret) => secret.ref);
}

export const useIncidents = create<IncidentsState>((set, get) => ({
  ...INITIAL,

  async load() {
    const { filter } = get();
    try {
      const items = await call('incidents.list', filter === 'all' ? {} : { status: filter });
      if (get().filter !== filter) return;
      set({ items: newestFirst(items), loaded: true, error: null });
    } catch (error) {
      set({ error: errorMessage(error), loaded: true });
    }
  },

  async loadActive() {
    try {
      const items = await call('incidents.list', {});
      set({ active: newestFirst(items.filter((item) => item.status !== 'closed')) });
    } catch {
      // The card is a convenience: the Incidents view shows the error when opened.
      set({ active: [] });
    }
  },

  async setFilter(filter) {
    set({ filter });
    await get().load();
  },

  async open(id, detail) {
    set({
      selectedId: id,
      detail: detail && detail.id === id ? detail : null,
      detailError: null,
      responses: {},
    });
    if (id) await get().reloadDetail();
  },

  async reloadDetail() {
    const id = get().selectedId;
    if (!id) return;
    try {
      const detail = await call('incidents.get', { id });
      if (get().selectedId !== id) return;
      set({ detail, detailError: null });
      const refs = exposedRefs(detail);
      const steps = await Promise.all(refs.map((ref) => call('incidents.response', { id, ref })));
      if (get().selectedId !== id) return;
      set({ responses: Object.fromEntries(refs.map((ref, i) => [ref, steps[i] ?? []])) });
    } catch (error) {
      if (get().selectedId === id) set({ detailError: errorMessage(error) });
    }
  },

  apply(detail) {
    if (get().selectedId === detail.id) set({ detail, detailError: null });
    void get().load();
    void get().loadActive();
  },

  setResponse(ref, steps) {
    set((state) => ({ responses: { ...state.responses, [ref]: steps } }));
  },

  openNew(open) {
    set({ newOpen: open });
  },

  openExposed(ref) {
    set({ exposingRef: ref });
  },

  reset() {
    set(INITIAL);
  },
}));

function newestFirst(items: readonly IncidentSummary[]): IncidentSummary[] {
  return [...items].sort((a, b) => Date.parse(b.openedAt) - Date.parse(a.openedAt));
}
