import { WORKLOAD_KIND_NAMES, type WorkloadUse } from '../../shared/cluster-api';
import type { KubeOwnerReference, WorkloadSecrets } from '../kube';

/**
 * Discovery in a Kubernetes namespace, without IO: which Secrets are the cluster's own
 * bookkeeping rather than a service's secrets, which workloads read a Secret (the ones to
 * restart after it changed), and what a secret adopted from a cluster says about that.
 */

/** Secret types that are the cluster's or a tool's own state, never a service's secret. */
const SYSTEM_TYPES: ReadonlyMap<string, string> = new Map([
  ['kubernetes.io/service-account-token', 'service-account token'],
  ['helm.sh/release.v1', 'Helm release record'],
]);

/** Why a Secret of this type is left out of a scan, or null when it is scanned. */
export function systemSecretReason(type: string): string | null {
  return SYSTEM_TYPES.get(type) ?? null;
}

/** The value as text, or null when it is binary (Rekey keeps text values). */
export function textValue(value: Buffer): string | null {
  const text = value.toString('utf8');
  return Buffer.from(text, 'utf8').equals(value) ? text : null;
}

/** `namespace/name`: a kubernetes target's path. */
export function secretPath(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function splitSecretPath(path: string): { namespace: string; name: string } {
  const slash = path.indexOf('/');
  return { namespace: path.slice(0, slash), name: path.slice(slash + 1) };
}

/** The workloads that read `secret` (its `key`, when given), in restart order, kind then name. */
export function workloadUses(
  workloads: readonly WorkloadSecrets[],
  secret: string,
  key?: string,
): WorkloadUse[] {
  const uses: WorkloadUse[] = [];
  for (const workload of workloads) {
    const via = new Set<WorkloadUse['via'][number]>();
    for (const reference of workload.references) {
      if (reference.secret !== secret) continue;
      if (key !== undefined && reference.keys !== null && !reference.keys.includes(key)) continue;
      via.add(reference.via);
    }
    if (via.size > 0) uses.push({ kind: workload.kind, name: workload.name, via: [...via].sort() });
  }
  const rank = (use: WorkloadUse) => WORKLOAD_KIND_NAMES.indexOf(use.kind);
  return uses.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** `db-credentials.password`: a valid inventory name for a key of a Secret. */
export function suggestedClusterName(secret: string, key: string): string {
  const name = `${secret}.${key}`.replace(/[^A-Za-z0-9._:@/-]/g, '_').slice(0, 128);
  return /^[A-Za-z0-9_]/.test(name) ? name : `_${name}`.slice(0, 128);
}

export function describeUses(uses: readonly WorkloadUse[]): string {
  return uses.map((use) => `${use.kind} ${use.name} (${use.via.join(', ')})`).join(', ');
}

/**
 * Handling notes for a secret adopted from a cluster: who reads it (restart them after a
 * change) and who owns the Secret (a controller may write it back).
 */
export function clusterHandling(input: {
  path: string;
  key: string;
  uses: readonly WorkloadUse[];
  owners: readonly KubeOwnerReference[];
  workloadsError: string | null;
}): string {
  const lines = [`Kubernetes Secret ${input.path}, key ${input.key}.`];
  if (input.uses.length > 0) {
    const names = input.uses.map((use) => `${use.kind} ${use.name}`).join(', ');
    lines.push(
      `Read by ${describeUses(input.uses)}: restart ${names} after a change (kubectl rollout restart).`,
    );
  } else if (input.workloadsError === null) {
    lines.push('No Deployment, StatefulSet or DaemonSet read it when it was adopted.');
  }
  const controller = input.owners.find((owner) => owner.controller) ?? input.owners[0];
  if (controller) {
    lines.push(
      `Owned by ${controller.kind} ${controller.name}: its controller may write the Secret back; change the source there.`,
    );
  }
  return lines.join(' ');
}
