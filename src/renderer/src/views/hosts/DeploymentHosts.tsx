import { useState } from 'react';
import { type DeploymentSummary, LOCAL_HOST } from '../../../../shared/model';
import { errorMessage } from '../../api/client';
import { FormError } from '../../components/Field';
import { useHosts } from '../../stores/hosts';

/**
 * Which hosts each deployment runs on, as toggles: `local` (this machine) and every host in
 * the vault. A change is saved at once; a refusal from the core is shown under the list.
 */
export function DeploymentHosts() {
  const deployments = useHosts((state) => state.deployments);
  const hosts = useHosts((state) => state.hosts);
  const [error, setError] = useState<string | null>(null);
  if (deployments.length === 0) return null;

  const names = [LOCAL_HOST, ...hosts.map((host) => host.name)];
  return (
    <section className="deployment-hosts" aria-label="Deployments" data-testid="deployment-hosts">
      <div className="section-title">
        <h3>Deployments run on</h3>
        <span className="field-hint">
          Toggle the hosts each deployment runs on; <span className="mono">local</span> is this
          machine.
        </span>
      </div>
      <ul>
        {deployments.map((deployment) => (
          <DeploymentRow
            key={deployment.name}
            deployment={deployment}
            hostNames={names}
            onError={setError}
          />
        ))}
      </ul>
      <FormError message={error} />
    </section>
  );
}

function DeploymentRow(props: {
  deployment: DeploymentSummary;
  hostNames: string[];
  onError(message: string | null): void;
}) {
  const { deployment } = props;
  const setDeploymentHosts = useHosts((state) => state.setDeploymentHosts);
  const [saving, setSaving] = useState(false);

  const toggle = async (host: string) => {
    if (saving) return;
    const next = deployment.hosts.includes(host)
      ? deployment.hosts.filter((name) => name !== host)
      : [...deployment.hosts, host];
    setSaving(true);
    props.onError(null);
    try {
      await setDeploymentHosts(deployment.name, next);
    } catch (failure) {
      props.onError(`${deployment.name}: ${errorMessage(failure)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <li data-deployment={deployment.name}>
      <span className="deployment-name">
        <span className="cell-name">{deployment.name}</span>
        <span className="faint">
          {deployment.secrets} {deployment.secrets === 1 ? 'secret' : 'secrets'}
        </span>
      </span>
      <span className="row wrap" role="group" aria-label={`Hosts of ${deployment.name}`}>
        {props.hostNames.map((host) => (
          <button
            key={host}
            className="chip"
            aria-pressed={deployment.hosts.includes(host)}
            aria-busy={saving}
            onClick={() => void toggle(host)}
            data-host={host}
          >
            {host}
          </button>
        ))}
      </span>
    </li>
  );
}
