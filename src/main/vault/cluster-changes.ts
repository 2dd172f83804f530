import { RekeyError } from '../../shared/errors';
import type { StoredKubeconfig } from './cluster-events';
import { type ClusterRecord, kubeconfigCredentials } from './cluster-state';
import { LOCAL_HOST } from '../../shared/model';
import { usersOf } from './host-changes';
import type { Transaction } from './transaction';

/**
 * Kubernetes clusters added, changed and removed. A cluster's name is a host name: deployments
 * list it among their hosts and targets name it, so it may not be taken by an SSH host (or be
 * `local`), and it cannot go while anything still names it.
 */

export function findCluster(
  state: Readonly<{ clusters: Map<string, ClusterRecord> }>,
  name: string,
): ClusterRecord {
  const cluster = state.clusters.get(name);
  if (!cluster) throw new RekeyError('NOT_FOUND', `No Kubernetes cluster ${name}`);
  return cluster;
}

function introduce(transaction: Transaction, kubeconfig: StoredKubeconfig | undefined): void {
  if (kubeconfig?.kind !== 'vault') return;
  for (const credential of kubeconfigCredentials(kubeconfig.text))
    transaction.introduce(credential);
}

function describe(kubeconfig: StoredKubeconfig): string {
  return kubeconfig.kind === 'path' ? kubeconfig.path : 'a kubeconfig kept in the vault';
}

export function addCluster(
  transaction: Transaction,
  input: { name: string; kubeconfig: StoredKubeconfig; context: string; namespace: string | null },
): ClusterRecord {
  const { name } = input;
  if (name === LOCAL_HOST) {
    throw new RekeyError(
      'INVALID_INPUT',
      `"${LOCAL_HOST}" is this machine; name the cluster otherwise`,
    );
  }
  if (transaction.state.clusters.has(name) || transaction.state.hosts.has(name)) {
    throw new RekeyError('ALREADY_EXISTS', `A host or cluster named ${name} already exists`);
  }
  introduce(transaction, input.kubeconfig);
  transaction.record(
    { kind: 'cluster.added', data: input },
    {
      summary: `Kubernetes cluster ${name} added: context ${input.context} of ${describe(input.kubeconfig)}${input.namespace ? `, namespace ${input.namespace}` : ''}`,
    },
  );
  return findCluster(transaction.state, name);
}

export function updateCluster(
  transaction: Transaction,
  name: string,
  changes: { kubeconfig?: StoredKubeconfig; context?: string; namespace?: string | null },
): ClusterRecord {
  findCluster(transaction.state, name);
  const named = Object.entries(changes).filter(([, value]) => value !== undefined);
  if (named.length === 0) return findCluster(transaction.state, name);
  introduce(transaction, changes.kubeconfig);
  transaction.record(
    { kind: 'cluster.updated', data: { name, changes } },
    { summary: `Kubernetes cluster ${name}: ${named.map(([key]) => key).join(', ')} changed` },
  );
  return findCluster(transaction.state, name);
}

export function removeCluster(transaction: Transaction, name: string): void {
  findCluster(transaction.state, name);
  const users = usersOf(transaction.state, name);
  if (users.length > 0) {
    throw new RekeyError('INVALID_INPUT', `Cluster ${name} is still used by ${users.join(', ')}`);
  }
  transaction.record(
    { kind: 'cluster.removed', data: { name } },
    { summary: `Kubernetes cluster ${name} removed` },
  );
}
