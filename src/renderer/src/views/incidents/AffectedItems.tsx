import type { IncidentDetail } from '../../../../shared/incident-api';
import { openDeployment, openHost, openSecret } from './navigate';

/** What the incident touches: each name opens where it is kept. */
export function AffectedItems({ detail }: { detail: IncidentDetail }) {
  const groups = [
    {
      label: 'Secrets',
      testId: 'affected-secret',
      names: detail.affectedSecrets.map((secret) => secret.ref),
      open: openSecret,
    },
    { label: 'Hosts', testId: 'affected-host', names: detail.hosts, open: openHost },
    {
      label: 'Deployments',
      testId: 'affected-deployment',
      names: detail.deployments,
      open: openDeployment,
    },
  ];
  return (
    <section className="incident-panel" data-testid="affected-items">
      <h3>Affected</h3>
      <dl className="meta-list">
        {groups.map((group) => (
          <div key={group.label} className="meta-pair">
            <dt>{group.label}</dt>
            <dd>
              {group.names.length ? (
                <ul className="link-list">
                  {group.names.map((name) => (
                    <li key={name}>
                      <button
                        className="link mono"
                        onClick={() => group.open(name)}
                        data-testid={group.testId}
                        data-name={name}
                      >
                        {name}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="faint">none</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
