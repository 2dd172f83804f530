import { parse } from 'yaml';
import type { EventOf } from './events';
import { SecretValue } from './secret-value';
import type { StoredKubeconfig } from './cluster-events';

/** Kubernetes clusters as replaying their records yields them. */

export type KubeconfigRecord =
  { kind: 'path'; path: string } | { kind: 'vault'; text: SecretValue };

export interface ClusterRecord {
  name: string;
  kubeconfig: KubeconfigRecord;
  context: string;
  namespace: string | null;
  createdAt: string;
  updatedAt: string;
}

export class ClusterEventError extends Error {}

export type ClusterEvent =
  EventOf<'cluster.added'> | EventOf<'cluster.updated'> | EventOf<'cluster.removed'>;

export function kubeconfigRecord(stored: StoredKubeconfig): KubeconfigRecord {
  return stored.kind === 'path' ? stored : { kind: 'vault', text: new SecretValue(stored.text) };
}

export function storedKubeconfig(record: KubeconfigRecord): StoredKubeconfig {
  return record.kind === 'path' ? record : { kind: 'vault', text: record.text.reveal() };
}

export function applyClusterEvent(
  clusters: Map<string, ClusterRecord>,
  event: ClusterEvent & { at: string },
): void {
  switch (event.kind) {
    case 'cluster.added': {
      const { name, kubeconfig, context, namespace } = event.data;
      if (clusters.has(name)) throw new ClusterEventError(`cluster ${name} already exists`);
      clusters.set(name, {
        name,
        kubeconfig: kubeconfigRecord(kubeconfig),
        context,
        namespace,
        createdAt: event.at,
        updatedAt: event.at,
      });
      return;
    }
    case 'cluster.updated': {
      const cluster = clusters.get(event.data.name);
      if (!cluster) throw new ClusterEventError(`no cluster ${event.data.name}`);
      const { kubeconfig, context, namespace } = event.data.changes;
      if (kubeconfig !== undefined) cluster.kubeconfig = kubeconfigRecord(kubeconfig);
      if (context !== undefined) cluster.context = context;
      if (namespace !== undefined) cluster.namespace = namespace;
      cluster.updatedAt = event.at;
      return;
    }
    case 'cluster.removed':
      if (!clusters.delete(event.data.name)) {
        throw new ClusterEventError(`no cluster ${event.data.name}`);
      }
      return;
  }
}

const CREDENTIAL_FIELDS = ['token', 'password', 'client-key-data', 'client-certificate-data'];

/**
 * The credentials inside a kubeconfig's users (tokens, passwords, client keys): what the
 * redactor must know, since the whole text is never what leaks. Unparseable text yields none.
 */
export function kubeconfigCredentials(text: string): string[] {
  let document: unknown;
  try {
    document = parse(text);
  } catch {
    return [];
  }
  const users = (document as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) return [];
  return users.flatMap((entry: unknown) => {
    const user = (entry as { user?: Record<string, unknown> } | null)?.user ?? {};
    return CREDENTIAL_FIELDS.flatMap((field) => {
      const value = user[field];
      return typeof value === 'string' && value.length >= 8 ? [value] : [];
    });
  });
}
