import { useCallback, useState } from 'react';
import type { AppEvent } from '../../../../shared/methods';
import { rekey } from '../../api/client';
import { formatBytes, formatDuration } from './format';

export interface ProgressState {
  part: string;
  bytes: number;
  totalBytes: number | null;
  /** Milliseconds since the run started, at this report. */
  elapsedMs: number;
}

/**
 * Follows `backup.progress` while a bundle is made, verified or restored: `follow()` starts
 * (and returns the unsubscribe). A pass that reads the file again (verifying, then restoring)
 * restarts the clock, so rate and time left are those of the pass under way.
 */
export function useBackupProgress() {
  const [progress, setProgress] = useState<ProgressState | null>(null);
  const follow = useCallback(() => {
    setProgress(null);
    let started = performance.now();
    let pass = '';
    return rekey().events.subscribe((event: AppEvent) => {
      if (event.type !== 'backup.progress') return;
      const thisPass = event.part.split(' ')[0] ?? '';
      if (thisPass !== pass && (thisPass === 'verifying' || thisPass === 'restoring')) {
        started = performance.now();
      }
      pass = thisPass;
      setProgress({
        part: event.part,
        bytes: event.bytes,
        totalBytes: event.totalBytes,
        elapsedMs: performance.now() - started,
      });
    });
  }, []);
  return { progress, follow };
}

/** The bytes handled so far, their rate and (once the total is known) the time left. */
export function BackupProgress({
  progress,
  label = 'Backup progress',
}: {
  progress: ProgressState | null;
  label?: string;
}) {
  const rate =
    progress && progress.elapsedMs > 0 ? (progress.bytes * 1000) / progress.elapsedMs : null;
  const total = progress?.totalBytes ?? null;
  const fraction = progress && total ? Math.min(1, progress.bytes / total) : null;
  const eta =
    progress && total && rate && rate > 0 ? Math.max(0, total - progress.bytes) / rate : null;
  return (
    <div className="stack" data-testid="backup-progress" aria-live="polite">
      <div
        className={fraction === null ? 'progress indeterminate' : 'progress'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
      >
        <span style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
      </div>
      <div className="row backup-progress-facts">
        <span data-testid="backup-progress-bytes">
          {progress
            ? `${formatBytes(progress.bytes)}${total ? ` of ${formatBytes(total)}` : ''}`
            : 'Starting…'}
        </span>
        {rate ? <span className="faint">{formatBytes(rate)}/s</span> : null}
        {eta !== null ? <span className="faint">about {formatDuration(eta)} left</span> : null}
        <span className="spacer" />
        {progress ? (
          <span className="mono faint" data-testid="backup-progress-part">
            {progress.part}
          </span>
        ) : null}
      </div>
    </div>
  );
}
