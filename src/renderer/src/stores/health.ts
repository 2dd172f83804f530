import { create } from 'zustand';
import type { FixResult, HealthReport } from '../../../shared/health-api';
import type { AppEvent } from '../../../shared/methods';
import { call, errorMessage, rekey } from '../api/client';

/**
 * The health report as the UI holds it: the last report (findings carry no value), whether
 * host checks are running and how far they got, and the fix awaiting confirmation.
 */

export interface HostProgress {
  host: string | null;
  done: number;
  total: number;
}

interface HealthState {
  report: HealthReport | null;
  loading: boolean;
  error: string | null;
  /** Host checks in progress (null when none run). */
  progress: HostProgress | null;
  load(options?: { hosts?: boolean }): Promise<void>;
  fix(host: string, path: string): Promise<FixResult>;
  reset(): void;
}

export const useHealth = create<HealthState>((set, get) => ({
  report: null,
  loading: false,
  error: null,
  progress: null,

  async load(options = {}) {
    const hosts = options.hosts ?? false;
    set({
      loading: true,
      error: null,
      ...(hosts ? { progress: { host: null, done: 0, total: 0 } } : {}),
    });
    const unsubscribe = hosts
      ? rekey().events.subscribe((event: AppEvent) => {
          if (event.type === 'health.progress') {
            set({ progress: { host: event.host, done: event.done, total: event.total } });
          }
        })
      : () => undefined;
    try {
      // A report without host checks keeps the host findings of the last one that had them.
      const report = await call('health.report', { hosts });
      const previous = get().report;
      if (!hosts && previous?.hosts) {
        const hostFindings = previous.findings.filter((finding) => finding.subject.type === 'host');
        report.findings = [...report.findings, ...hostFindings];
        report.hosts = previous.hosts;
      }
      set({ report, loading: false });
    } catch (error) {
      set({ error: errorMessage(error), loading: false });
    } finally {
      unsubscribe();
      if (hosts) set({ progress: null });
    }
  },

  async fix(host, path) {
    const result = await call('health.fix', { action: 'tighten-mode', host, path });
    const report = get().report;
    if (report) {
      set({
        report: {
          ...report,
          findings: report.findings.filter(
            (finding) =>
              !(
                finding.fixAction?.kind === 'tighten-mode' &&
                finding.fixAction.host === host &&
                finding.fixAction.path === path
              ),
          ),
        },
      });
    }
    return result;
  },

  reset() {
    set({ report: null, loading: false, error: null, progress: null });
  },
}));

/** Findings that count (not snoozed), by kind: the Dashboard's tiles. */
export function countsByKind(report: HealthReport | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of report?.findings ?? []) {
    if (finding.snoozed) continue;
    counts[finding.kind] = (counts[finding.kind] ?? 0) + 1;
  }
  return counts;
}
