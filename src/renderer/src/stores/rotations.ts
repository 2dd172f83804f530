import { create } from 'zustand';
import type { RunStatus, RunSummary } from '../../../shared/rotation-api';
import type { AppEvent } from '../../../shared/methods';
import { call, errorMessage, rekey } from '../api/client';
import { useSession } from './session';

/**
 * Rotation runs as the UI holds them: summaries (ids, refs, statuses, times), which run is
 * open in the Rotations view, and which secrets the wizard is open for. Plans, previews and
 * runs carry no value by contract (diffs show placeholders), so nothing here ever holds one.
 */

interface RotationsState {
  runs: RunSummary[];
  loaded: boolean;
  error: string | null;
  selectedRunId: string | null;
  /** The secrets the rotation wizard is open for; null while it is closed. */
  wizardRefs: string[] | null;
  load(): Promise<void>;
  /** Keeps the list current from `rotation.progress` events; returns the unsubscribe. */
  follow(): () => void;
  select(runId: string | null): void;
  openWizard(refs: string[]): void;
  closeWizard(): void;
  reset(): void;
}

/** A run that has stopped for good: nothing will change it without the user. */
export const FINISHED: ReadonlySet<RunStatus> = new Set([
  'rotated',
  'rolled-back',
  'needs-attention',
]);

// One list request at a time: progress events come in bursts, one per step transition.
let loading: Promise<void> | null = null;
let loadAgain = false;

export const useRotations = create<RotationsState>((set, get) => ({
  runs: [],
  loaded: false,
  error: null,
  selectedRunId: null,
  wizardRefs: null,

  async load() {
    if (loading) {
      loadAgain = true;
      return loading;
    }
    loading = (async () => {
      do {
        loadAgain = false;
        try {
          const before = get();
          const runs = await call('rotations.list', {});
          set({ runs, loaded: true, error: null });
          if (before.loaded && endedSince(before.runs, runs)) bumpRevision();
        } catch (error) {
          set({ error: errorMessage(error), loaded: true });
        }
      } while (loadAgain);
    })();
    try {
      await loading;
    } finally {
      loading = null;
    }
  },

  follow() {
    return rekey().events.subscribe((event: AppEvent) => {
      if (event.type === 'rotation.progress') void get().load();
    });
  },

  select(runId) {
    set({ selectedRunId: runId });
  },

  openWizard(refs) {
    set({ wizardRefs: refs });
  },

  closeWizard() {
    set({ wizardRefs: null });
  },

  reset() {
    set({ runs: [], loaded: false, error: null, selectedRunId: null, wizardRefs: null });
  },
}));

/** Runs whose process is gone before they finished: the user must resume or roll them back. */
export function interruptedRuns(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((run) => run.status === 'interrupted');
}

/** A run ended (or appeared already ended) since the last list: it promoted or dropped values. */
function endedSince(before: readonly RunSummary[], after: readonly RunSummary[]): boolean {
  const was = new Map(before.map((run) => [run.id, run.status]));
  return after.some((run) => {
    const previous = was.get(run.id);
    return FINISHED.has(run.status) && (previous === undefined || !FINISHED.has(previous));
  });
}

/**
 * The end of a run changes the vault (the new value becomes current, or the pending one is
 * dropped) without a `vault.changed` event: views that show secrets reload as if there was one.
 */
function bumpRevision(): void {
  useSession.setState((state) => ({ revision: state.revision + 1 }));
}
