import { useCallback, useEffect, useRef, useState } from 'react';
import type { RotationRun } from '../../../../shared/rotation-api';
import type { AppEvent } from '../../../../shared/methods';
import { call, errorMessage, rekey } from '../../api/client';

/** While a run goes on, a slow poll backs up the events (a dropped event stream loses some). */
const FALLBACK_POLL_MS = 3_000;

export interface FollowedRun {
  run: RotationRun | null;
  error: string | null;
  /** Fetches the run again now (after an action on it). */
  refresh(): Promise<void>;
}

/**
 * Follows one run: fetched once, then again on each `rotation.progress` event that names it.
 * Subscribing comes before the first fetch, so no transition falls between the two. Fetches
 * never overlap: events arriving meanwhile are folded into one more fetch.
 */
export function useRun(runId: string | null, initial: RotationRun | null = null): FollowedRun {
  const [run, setRun] = useState<RotationRun | null>(initial?.id === runId ? initial : null);
  const [error, setError] = useState<string | null>(null);
  const fetching = useRef(false);
  const again = useRef(false);
  const current = useRef(runId);
  current.current = runId;

  const refresh = useCallback(async () => {
    if (!runId) return;
    if (fetching.current) {
      again.current = true;
      return;
    }
    fetching.current = true;
    try {
      do {
        again.current = false;
        try {
          const next = await call('rotations.get', { runId });
          if (current.current === runId) {
            setRun(next);
            setError(null);
          }
        } catch (failure) {
          if (current.current === runId) setError(errorMessage(failure));
        }
      } while (again.current);
    } finally {
      fetching.current = false;
    }
  }, [runId]);

  useEffect(() => {
    if (!runId) return;
    const unsubscribe = rekey().events.subscribe((event: AppEvent) => {
      if (event.type === 'rotation.progress' && event.runId === runId) void refresh();
    });
    void refresh();
    return unsubscribe;
  }, [runId, refresh]);

  const running = run !== null && run.finishedAt === null && run.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => void refresh(), FALLBACK_POLL_MS);
    return () => window.clearInterval(timer);
  }, [running, refresh]);

  return { run: run?.id === runId ? run : null, error, refresh };
}
