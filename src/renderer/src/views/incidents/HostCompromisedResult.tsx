import type { MethodOutput } from '../../../../shared/api';
import { Icon } from '../../components/icons';
import { useRotations } from '../../stores/rotations';
import { openIncident } from './navigate';

export type HostCompromised = MethodOutput<'incidents.hostCompromised'>;

/**
 * What a compromised host exposed, most damaging first, and one rotation per deployment. A
 * rotation opens over this list, which stays for the next one.
 */
export function HostCompromisedResult({
  result,
  onLeave,
}: {
  result: HostCompromised;
  onLeave(): void;
}) {
  const openWizard = useRotations((state) => state.openWizard);
  return (
    <div className="stack" data-testid="host-compromised-result">
      <div className="row">
        <span className="spacer">
          Recorded in{' '}
          <button
            className="link"
            onClick={() => (onLeave(), openIncident(result.incident.id))}
            data-testid="open-compromised-incident"
          >
            {result.incident.title}
          </button>
        </span>
      </div>
      <section>
        <h3>Exposed secrets ({result.secrets.length})</h3>
        {result.secrets.length === 0 ? (
          <p className="faint">No secret is known to live on {result.host}.</p>
        ) : (
          <ol className="ranked-secrets" data-testid="compromised-secrets">
            {result.secrets.map((secret) => (
              <li key={secret.ref} data-ref={secret.ref} data-testid="compromised-secret">
                <div className="row">
                  <span className="mono spacer">{secret.ref}</span>
                  {secret.guarded ? (
                    <span className="badge warn" title="Refuses routine rotation">
                      guarded
                    </span>
                  ) : null}
                  <span className="badge">{secret.difficulty}</span>
                </div>
                <span className="muted">{secret.impact || 'no impact recorded'}</span>
                <span className="faint">{secret.reason}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section>
        <h3>Rotation plans</h3>
        <ul className="rotation-plans" data-testid="compromised-plans">
          {result.plans.map((plan) => (
            <li
              key={plan.deployment}
              data-deployment={plan.deployment}
              data-testid="compromised-plan"
            >
              <div className="row">
                <strong className="mono spacer">{plan.deployment}</strong>
                <button
                  className="button small"
                  onClick={() => openWizard(plan.refs)}
                  disabled={plan.refs.length === 0}
                  data-testid="rotate-plan"
                >
                  <Icon name="rotate" /> Rotate these…
                </button>
              </div>
              <span className="mono muted">{plan.refs.join(', ') || 'nothing to rotate'}</span>
              {plan.problems.length ? (
                <ul className="plan-problems" data-testid="plan-problems">
                  {plan.problems.map((problem) => (
                    <li key={problem}>{problem}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
