import type { V1Container, V1PodTemplateSpec, V1Volume } from '@kubernetes/client-node';
import type { WorkloadKind } from './rollout-status';

/**
 * Which Secrets (and which of their keys) a workload's pods read: environment variables
 * (`env[].valueFrom.secretKeyRef`), whole Secrets as environment (`envFrom[].secretRef`) and
 * volumes (`secret`, and `projected` sources), in containers and init containers alike. This
 * is what tells Rekey which workloads to restart after a Secret changed.
 */

export interface SecretReference {
  secret: string;
  /** The keys read, or null when every key is (envFrom, a volume without `items`). */
  keys: string[] | null;
  via: 'env' | 'envFrom' | 'volume';
  /** The container (env, envFrom) or the volume (volume). */
  where: string;
  /** True for an init container. */
  init: boolean;
  /** The pod starts even when the Secret (or key) is missing. */
  optional: boolean;
}

export interface WorkloadSecrets {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  references: SecretReference[];
}

function containerReferences(container: V1Container, init: boolean): SecretReference[] {
  const where = container.name;
  const references: SecretReference[] = [];
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref?.name)
      references.push({
        secret: ref.name,
        keys: [ref.key],
        via: 'env',
        where,
        init,
        optional: ref.optional === true,
      });
  }
  for (const source of container.envFrom ?? []) {
    const ref = source.secretRef;
    if (ref?.name)
      references.push({
        secret: ref.name,
        keys: null,
        via: 'envFrom',
        where,
        init,
        optional: ref.optional === true,
      });
  }
  return references;
}

function volumeReferences(volume: V1Volume): SecretReference[] {
  const sources: { name?: string; items?: { key: string }[]; optional?: boolean }[] = [];
  if (volume.secret?.secretName) sources.push({ ...volume.secret, name: volume.secret.secretName });
  for (const projection of volume.projected?.sources ?? [])
    if (projection.secret?.name) sources.push(projection.secret);
  return sources.map((source) => ({
    secret: source.name ?? '',
    keys: source.items?.length ? source.items.map((item) => item.key) : null,
    via: 'volume' as const,
    where: volume.name,
    init: false,
    optional: source.optional === true,
  }));
}

export function templateSecretReferences(
  template: V1PodTemplateSpec | undefined,
): SecretReference[] {
  const pod = template?.spec;
  if (!pod) return [];
  return [
    ...(pod.initContainers ?? []).flatMap((container) => containerReferences(container, true)),
    ...(pod.containers ?? []).flatMap((container) => containerReferences(container, false)),
    ...(pod.volumes ?? []).flatMap(volumeReferences),
  ];
}

/** True when the workload reads `secret` (its `key`, when one is given). */
export function usesSecret(workload: WorkloadSecrets, secret: string, key?: string): boolean {
  return workload.references.some(
    (reference) =>
      reference.secret === secret &&
      (key === undefined || reference.keys === null || reference.keys.includes(key)),
  );
}
