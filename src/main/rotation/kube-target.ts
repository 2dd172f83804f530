import { RekeyError, isRekeyError } from '../../shared/errors';
import type { KubeCluster } from '../kube/kube-client';
import type { KubeSecretContent } from '../kube/secret-data';
import { type KubeSecretKeyRef, parseSecretKeyRef } from '../kube/secret-ref';
import type { PlannedTarget } from '../vault/rotation-records';
import type { StepContext } from './run-context';

/**
 * What the Kubernetes steps share: the Secret a target names, reading it, the marker a write
 * leaves in the journal (resourceVersions, never a value) and the refusal to undo over
 * someone else's change.
 */

export interface KubeStepResult {
  detail: string;
  /** `k8s:<resourceVersion written>[:created-key|:created-secret]`: what an undo checks. */
  backupPath?: string | null;
}

const MARKER = 'k8s:';

/** What Rekey's write left: the resourceVersion it wrote, and whether it added key or Secret. */
export interface KubeWrite {
  resourceVersion: string;
  created: 'key' | 'secret' | null;
}

export function markerOf(write: KubeWrite): string {
  return `${MARKER}${write.resourceVersion}${write.created ? `:created-${write.created}` : ''}`;
}

export function parseMarker(backupPath: string | null | undefined): KubeWrite | null {
  if (!backupPath?.startsWith(MARKER)) return null;
  const [resourceVersion = '', created] = backupPath.slice(MARKER.length).split(':');
  return {
    resourceVersion,
    created: created === 'created-key' ? 'key' : created === 'created-secret' ? 'secret' : null,
  };
}

interface ResolvedTarget {
  cluster: KubeCluster;
  ref: KubeSecretKeyRef;
  /** `key password of Secret prod/db on k3s`, for messages. */
  where: string;
}

/** The Secret key a target names, a bare name taking the cluster's namespace. */
export async function resolveKubeTarget(
  target: PlannedTarget,
  context: Pick<StepContext, 'cluster'>,
): Promise<ResolvedTarget> {
  const { cluster, namespace } = await context.cluster(target.host);
  const ref = parseSecretKeyRef(`${target.path}#${target.key}`, namespace);
  const inner = target.inner ? `${target.inner.key} in ` : '';
  return {
    cluster,
    ref,
    where: `${inner}key ${ref.key} of Secret ${ref.namespace}/${ref.name} on ${target.host}`,
  };
}

/** The key as the cluster holds it now; null when there is no such Secret. */
export async function readKubeKey(
  cluster: KubeCluster,
  ref: KubeSecretKeyRef,
): Promise<{ value: Buffer | null; resourceVersion: string } | null> {
  try {
    return await cluster.readKey(ref);
  } catch (error) {
    if (isRekeyError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** The Secret as the cluster holds it now; null when there is none. */
export async function readKubeSecret(
  cluster: KubeCluster,
  ref: KubeSecretKeyRef,
): Promise<KubeSecretContent | null> {
  try {
    return await cluster.readSecret(ref.namespace, ref.name);
  } catch (error) {
    if (isRekeyError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

export function changedSince(where: string, wrote: string, found: string | null): RekeyError {
  const now = found === null ? 'the Secret has since been deleted' : `it is now at ${found}`;
  return new RekeyError(
    'CONFLICT',
    `${where} was changed by someone else after Rekey wrote it (Rekey wrote resourceVersion ` +
      `${wrote}; ${now}): the old value was NOT put back, so as not to undo their change. ` +
      'Check which value the Secret should hold and set it by hand if needed.',
  );
}
