import { formatBytes, formatDuration } from './format';

export interface ProgressState {
  part: string;
  bytes: number;
  totalBytes: number | null;
  /** Milliseconds since the run started, at this report. */
  elapsedMs: number;
}

/** The bytes bundled so far, their rate and (once the total is known) the time left. */
export function BackupProgress({ progress }: { progress: ProgressState | null }) {
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
        aria-label="Backup progress"
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
