import type { RotationRun } from '../../../../shared/rotation-api';
import { Icon, type IconName } from '../../components/icons';

/** `intro\n- first\n- second`, as the core writes a needs-attention detail, split for a list. */
export function splitInstructions(detail: string): { intro: string; items: string[] } {
  const lines = detail.split('\n');
  const items = lines.filter((line) => line.startsWith('- ')).map((line) => line.slice(2));
  const intro = lines
    .filter((line) => !line.startsWith('- '))
    .join(' ')
    .trim();
  return { intro, items };
}

const HEADLINES: Record<RotationRun['status'], { text: string; icon: IconName; tone: string }> = {
  rotated: { text: 'Rotated', icon: 'check', tone: 'ok' },
  'rolled-back': { text: 'Rolled back', icon: 'undo', tone: 'warn' },
  'needs-attention': { text: 'Needs attention', icon: 'alert', tone: 'danger' },
  interrupted: { text: 'Interrupted', icon: 'alert', tone: 'warn' },
  running: { text: 'Running', icon: 'refresh', tone: '' },
};

/**
 * How a run ended and what the user does next: watch the service (rotated), know why it
 * turned back (rolled back), or finish by hand what the rollback could not (needs attention).
 */
export function RunResult({ run, warnings = [] }: { run: RotationRun; warnings?: string[] }) {
  const headline = HEADLINES[run.status];
  return (
    <div
      className={`run-result ${headline.tone}`}
      data-testid="run-result"
      data-status={run.status}
      role="status"
    >
      <strong className="run-result-headline" data-testid="result-headline">
        <Icon name={headline.icon} size={20} /> {headline.text}
      </strong>
      <span className="mono muted">{run.refs.join(', ')}</span>
      {run.status === 'rotated' ? <Rotated run={run} warnings={warnings} /> : null}
      {run.status === 'rolled-back' ? (
        <p data-testid="result-detail">
          <span className="muted">Why: </span>
          {run.detail}
        </p>
      ) : null}
      {run.status === 'needs-attention' ? <NeedsAttention detail={run.detail} /> : null}
      {run.status === 'interrupted' ? (
        <p data-testid="result-detail">
          The process running it stopped before it finished: some hosts may hold the new value,
          others the old.
        </p>
      ) : null}
    </div>
  );
}

function Rotated({ run, warnings }: { run: RotationRun; warnings: string[] }) {
  const checks = run.steps.filter((step) => step.kind === 'watch' || step.kind === 'verify');
  return (
    <>
      <p data-testid="result-detail">
        The new value is current in the vault; the old one is kept as previous. {run.detail}.
      </p>
      {checks.length > 0 ? (
        <div className="stack compact">
          <span className="muted">What to keep an eye on next:</span>
          <ul className="result-list" data-testid="result-watch">
            {checks.map((step) => (
              <li key={step.index}>{step.title}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {warnings.map((warning) => (
        <p key={warning} className="notice">
          {warning}
        </p>
      ))}
    </>
  );
}

function NeedsAttention({ detail }: { detail: string }) {
  const { intro, items } = splitInstructions(detail);
  return (
    <>
      <p data-testid="result-detail">{intro}</p>
      {items.length > 0 ? (
        <ol className="instructions" data-testid="result-instructions">
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ol>
      ) : null}
    </>
  );
}
