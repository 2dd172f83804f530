import type { RotationRun } from '../../../../shared/rotation-api';
import { stepStateLabel } from './StepStateIcon';

const clock = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });

/** Every transition of the run in order, as the core recorded it (redacted there). */
export function RunLog({ run, open = false }: { run: RotationRun; open?: boolean }) {
  return (
    <details className="run-log" open={open} data-testid="run-log">
      <summary>Log ({run.log.length} entries)</summary>
      {run.log.length === 0 ? (
        <p className="faint">Nothing recorded yet.</p>
      ) : (
        <ol>
          {run.log.map((entry, position) => (
            // The spaces between the cells are not drawn (grid), but a copied log reads well.
            <li key={position} data-state={entry.state}>
              <time className="faint">{clock(entry.at)}</time>{' '}
              <span className="faint">step {entry.index + 1}</span>{' '}
              <span className="run-log-state">{stepStateLabel(entry.state)}</span>{' '}
              <span className="run-log-detail">
                {run.steps[entry.index]?.title ?? ''}
                {entry.detail ? ` – ${entry.detail}` : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
