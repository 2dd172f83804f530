import type { Finding } from '../../../../shared/health-api';
import { useRotations } from '../../stores/rotations';
import { SEVERITY_TONE } from './severity';

/**
 * One finding: severity, title, why it matters and how to fix it, and the fix Rekey can start
 * (the rotation wizard, or tightening a file's mode after a confirmation).
 */
export function FindingCard({
  finding,
  onTighten,
}: {
  finding: Finding;
  onTighten(host: string, path: string): void;
}) {
  const openWizard = useRotations((state) => state.openWizard);
  const action = finding.fixAction;
  return (
    <li className="health-finding" data-testid="health-finding" data-finding={finding.id}>
      <div className="row">
        <span className={`badge ${SEVERITY_TONE[finding.severity]}`}>{finding.severity}</span>
        <strong>{finding.title}</strong>
        {finding.snoozed ? (
          <span className="badge" data-testid="finding-snoozed">
            snoozed until {finding.snoozed.until.slice(0, 10)}
            {finding.snoozed.reason ? `: ${finding.snoozed.reason}` : ''}
          </span>
        ) : null}
        <span className="spacer" />
        {action?.kind === 'rotate' ? (
          <button
            className="button small"
            onClick={() => openWizard([action.ref])}
            data-testid="finding-rotate"
          >
            Rotate…
          </button>
        ) : null}
        {action?.kind === 'tighten-mode' ? (
          <button
            className="button small primary"
            onClick={() => onTighten(action.host, action.path)}
            data-testid="finding-tighten"
          >
            Tighten mode…
          </button>
        ) : null}
      </div>
      <p className="faint">
        <span className="health-label">Why it matters:</span> {finding.why}
      </p>
      <p>
        <span className="health-label">How to fix:</span> {finding.fix}
      </p>
    </li>
  );
}
