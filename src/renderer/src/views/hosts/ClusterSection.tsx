import { useEffect, useState } from 'react';
import type { ClusterSummary } from '../../../../shared/cluster-api';
import { call, errorMessage } from '../../api/client';
import { ConfirmRemoveDialog } from '../../components/ConfirmRemoveDialog';
import { FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { useClusters } from '../../stores/clusters';
import { useSession } from '../../stores/session';
import { useUi } from '../../stores/ui';
import { ClusterDialog } from './ClusterDialog';
import { ClusterScanDialog } from './ClusterScanDialog';

/**
 * Kubernetes clusters, used like hosts: a context of a kubeconfig (a file on this machine or
 * text kept in the vault). Each can be tested, scanned for its Secrets, or removed.
 */

type Open =
  | { kind: 'add' }
  | { kind: 'edit'; cluster: ClusterSummary }
  | { kind: 'scan'; cluster: ClusterSummary }
  | { kind: 'remove'; cluster: ClusterSummary }
  | null;

export function ClusterSection() {
  const clusters = useClusters((state) => state.clusters);
  const error = useClusters((state) => state.error);
  const load = useClusters((state) => state.load);
  const revision = useSession((state) => state.revision);
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => {
    void load();
  }, [load, revision]);

  return (
    <section
      className="deployment-hosts clusters"
      aria-label="Kubernetes clusters"
      data-testid="clusters"
    >
      <div className="section-title">
        <h3>Kubernetes clusters</h3>
        <span className="field-hint">
          A context of a kubeconfig: Rekey reads and writes Secrets there and restarts the workloads
          that use them.
        </span>
        <button
          className="button"
          onClick={() => setOpen({ kind: 'add' })}
          data-testid="add-cluster-button"
        >
          <Icon name="plus" /> Add cluster…
        </button>
      </div>
      <FormError message={error} />
      {clusters.length === 0 ? (
        <p className="faint" data-testid="clusters-empty">
          No clusters yet.
        </p>
      ) : (
        <table className="candidates" data-testid="cluster-rows">
          <thead>
            <tr>
              <th>Name</th>
              <th>Context</th>
              <th>Namespace</th>
              <th>Kubeconfig</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((cluster) => (
              <ClusterRow
                key={cluster.name}
                cluster={cluster}
                onEdit={() => setOpen({ kind: 'edit', cluster })}
                onScan={() => setOpen({ kind: 'scan', cluster })}
                onRemove={() => setOpen({ kind: 'remove', cluster })}
              />
            ))}
          </tbody>
        </table>
      )}
      {open?.kind === 'add' ? <ClusterDialog onClose={() => setOpen(null)} /> : null}
      {open?.kind === 'edit' ? (
        <ClusterDialog cluster={open.cluster} onClose={() => setOpen(null)} />
      ) : null}
      {open?.kind === 'scan' ? (
        <ClusterScanDialog cluster={open.cluster} onClose={() => setOpen(null)} />
      ) : null}
      {open?.kind === 'remove' ? (
        <RemoveClusterDialog cluster={open.cluster} onClose={() => setOpen(null)} />
      ) : null}
    </section>
  );
}

type TestState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'passed'; text: string }
  | { phase: 'failed'; text: string };

function ClusterRow(props: {
  cluster: ClusterSummary;
  onEdit(): void;
  onScan(): void;
  onRemove(): void;
}) {
  const { cluster } = props;
  const [test, setTest] = useState<TestState>({ phase: 'idle' });
  const runTest = async () => {
    setTest({ phase: 'running' });
    try {
      const result = await call('clusters.test', { name: cluster.name });
      setTest({
        phase: 'passed',
        text: `Connected to ${result.server}: namespace ${result.namespace}, ${result.secrets} ${result.secrets === 1 ? 'Secret' : 'Secrets'} readable`,
      });
    } catch (failure) {
      setTest({ phase: 'failed', text: errorMessage(failure) });
    }
  };
  return (
    <>
      <tr data-cluster={cluster.name}>
        <td className="cell-name">{cluster.name}</td>
        <td className="mono">{cluster.context}</td>
        <td className="mono">
          {cluster.namespace}
          {cluster.namespaceOverride ? <span className="faint"> (set here)</span> : null}
        </td>
        <td className="mono muted" data-testid="cluster-kubeconfig">
          {cluster.kubeconfig.kind === 'path' ? cluster.kubeconfig.path : 'kept in the vault'}
        </td>
        <td>
          <span className="row" role="group" aria-label={`Actions for ${cluster.name}`}>
            <button
              className="button small"
              aria-busy={test.phase === 'running'}
              onClick={() => void runTest()}
              data-testid="test-cluster"
            >
              Test connection
            </button>
            <button className="button small" onClick={props.onEdit} data-testid="edit-cluster">
              Edit…
            </button>
            <button className="button small" onClick={props.onScan} data-testid="scan-cluster">
              <Icon name="search" /> Scan…
            </button>
            <button
              className="button small danger"
              onClick={props.onRemove}
              data-testid="remove-cluster"
            >
              <Icon name="trash" /> Remove
            </button>
          </span>
        </td>
      </tr>
      {test.phase === 'idle' ? null : (
        <tr className="cluster-test-row">
          <td colSpan={5}>
            <div
              className={test.phase === 'passed' ? 'connection-result ok' : 'connection-result'}
              role="status"
              aria-busy={test.phase === 'running'}
              data-testid="cluster-test-result"
              data-outcome={test.phase}
            >
              {test.phase === 'running' ? (
                <span className="faint">Connecting…</span>
              ) : test.phase === 'passed' ? (
                <>
                  <Icon name="check" /> <span>{test.text}</span>
                </>
              ) : (
                <FormError message={test.text} />
              )}
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

function RemoveClusterDialog({ cluster, onClose }: { cluster: ClusterSummary; onClose(): void }) {
  const load = useClusters((state) => state.load);
  const toast = useUi((state) => state.toast);
  return (
    <ConfirmRemoveDialog
      title="Remove cluster"
      testId="remove-cluster-dialog"
      confirmTestId="confirm-remove-cluster"
      remove={async () => {
        await call('clusters.remove', { name: cluster.name });
        await load();
        toast('success', `Removed cluster ${cluster.name}`);
      }}
      onClose={onClose}
    >
      <p>
        Rekey forgets <strong className="mono">{cluster.name}</strong>
        {cluster.kubeconfig.kind === 'vault' ? ' and the kubeconfig it keeps for it' : ''}. Nothing
        changes in the cluster. Refused while a deployment or a secret&apos;s target names it.
      </p>
    </ConfirmRemoveDialog>
  );
}
