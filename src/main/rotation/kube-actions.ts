import { RekeyError, isRekeyError } from '../../shared/errors';
import { formatByName } from '../formats';
import type { KubeSecretContent } from '../kube/secret-data';
import type { KubeCluster } from '../kube/kube-client';
import { type KubeSecretKeyRef, parseSecretKeyRef } from '../kube/secret-ref';
import type { PlannedAction, PlannedTarget } from '../vault/rotation-records';
import { NO_VARIABLES, type StepContext, sameValue } from './run-context';
import { expandTemplate } from './templates';

/**
 * Rotation steps on Kubernetes: a secret's target is one key of a Secret (path
 * `namespace/name` or `name`, host the cluster), a restart is `kubectl rollout restart` and
 * `rollout status` of workloads in order. Writes are optimistic (the read resourceVersion must
 * still hold when the write lands) and a rollback never overwrites someone else's change. The
 * journal learns only resourceVersions, never a value: the old value is the vault's current
 * version, which stays there until the run ends.
 */

export interface KubeStepResult {
  detail: string;
  /** `k8s:<resourceVersion written>[:created-key|:created-secret]`: what an undo checks. */
  backupPath?: string | null;
}

const MARKER = 'k8s:';

/** What Rekey's write left: the resourceVersion it wrote, and whether it added key or Secret. */
interface KubeWrite {
  resourceVersion: string;
  created: 'key' | 'secret' | null;
}

function markerOf(write: KubeWrite): string {
  return `${MARKER}${write.resourceVersion}${write.created ? `:created-${write.created}` : ''}`;
}

function parseMarker(backupPath: string | null | undefined): KubeWrite | null {
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

/** The Secret key's bytes as a target reads them: the key itself, or the value in its file. */
function valueIn(target: PlannedTarget, bytes: Buffer, where: string): string | undefined {
  const text = bytes.toString('utf8');
  if (!target.inner) return text;
  try {
    return formatByName(target.inner.format).get(text, target.inner.key);
  } catch (error) {
    throw inFile(error, where);
  }
}

/** The Secret key's new bytes with `value` in place, every other byte of a file kept. */
function withValue(target: PlannedTarget, bytes: Buffer, value: string, where: string): Buffer {
  if (!target.inner) return Buffer.from(value, 'utf8');
  try {
    return Buffer.from(
      formatByName(target.inner.format).set(bytes.toString('utf8'), target.inner.key, value),
      'utf8',
    );
  } catch (error) {
    throw inFile(error, where);
  }
}

/** A format error names the file only as text: say which Secret key held it. */
function inFile(error: unknown, where: string): unknown {
  if (!isRekeyError(error)) return error;
  return new RekeyError(error.code, `${where}: ${error.message}`);
}

/** The value a target holds now; undefined when the Secret, the key or the value is missing. */
export async function heldKubeValue(
  target: PlannedTarget,
  context: Pick<StepContext, 'cluster'>,
): Promise<string | undefined> {
  const { cluster, ref, where } = await resolveKubeTarget(target, context);
  if (hasDerived(target)) {
    const held = await readKubeSecret(cluster, ref);
    const value = held?.data[ref.key]?.toString('utf8');
    // The target holds a value only when the keys made from it agree with it.
    return value !== undefined && holdsAll(held?.data ?? {}, derivedData(target, value))
      ? value
      : undefined;
  }
  const held = await readKubeKey(cluster, ref);
  return held?.value ? valueIn(target, held.value, where) : undefined;
}

/**
 * Sets the value: the key (adding it, or the Secret, when missing), or the value inside the
 * file the key holds (which must be there: a missing file is a wrong target, a missing value
 * in it is refused too, as an undo could not take an added value out again). Nothing is
 * written when the target already holds `value`.
 */
export async function writeKubeKey(
  target: PlannedTarget,
  value: string,
  context: Pick<StepContext, 'cluster'>,
): Promise<KubeStepResult> {
  if (hasDerived(target)) return writeWithDerived(target, value, context);
  const { cluster, ref, where } = await resolveKubeTarget(target, context);
  const held = await readKubeKey(cluster, ref);
  const current = held?.value ? valueIn(target, held.value, where) : undefined;
  if (current !== undefined && sameValue(current, value)) {
    // Already in place (a resumed run): nothing to write, so nothing of ours to undo by version.
    return { detail: `${where} already holds it` };
  }
  if (target.inner && (!held?.value || current === undefined)) {
    const missing = held?.value
      ? `${target.inner.key} is not set in it`
      : held
        ? 'the Secret has no such key'
        : 'there is no such Secret';
    throw new RekeyError(
      'NOT_FOUND',
      `${where}: ${missing}. Rekey changes a value inside a config file kept in a Secret only ` +
        'where the file already sets it; add it there first.',
    );
  }
  const written = await cluster.writeKey(
    ref,
    withValue(target, held?.value ?? Buffer.alloc(0), value, where),
    held ? { expectedResourceVersion: held.resourceVersion } : { create: true },
  );
  const created = held === null ? 'secret' : held.value === null ? 'key' : null;
  const added = created === 'secret' ? '; the Secret was created' : created ? '; key added' : '';
  return {
    detail: `written to ${where} (resourceVersion ${written.resourceVersion}${added})`,
    backupPath: markerOf({ resourceVersion: written.resourceVersion, created }),
  };
}

function changedSince(where: string, wrote: string, found: string | null): RekeyError {
  const now = found === null ? 'the Secret has since been deleted' : `it is now at ${found}`;
  return new RekeyError(
    'CONFLICT',
    `${where} was changed by someone else after Rekey wrote it (Rekey wrote resourceVersion ` +
      `${wrote}; ${now}): the old value was NOT put back, so as not to undo their change. ` +
      'Check which value the Secret should hold and set it by hand if needed.',
  );
}

/**
 * Undoes a write: the old value back, the key (or Secret) Rekey added removed. Only while the
 * key still holds the new value: when the Secret changed since Rekey wrote it but only in other
 * keys, their change stays and ours alone is undone; when the key itself changed, nothing is
 * touched and the undo fails (CONFLICT) saying what to check.
 */
export async function undoKubeWrite(
  target: PlannedTarget,
  backupPath: string | null | undefined,
  values: { pending: string; current: string },
  context: Pick<StepContext, 'cluster'>,
): Promise<string> {
  const written = parseMarker(backupPath);
  if (hasDerived(target)) return undoWithDerived(target, written, values, context);
  const { cluster, ref, where } = await resolveKubeTarget(target, context);
  const held = await readKubeKey(cluster, ref);
  const heldValue = held?.value ? valueIn(target, held.value, where) : undefined;
  const holdsNew = heldValue !== undefined && sameValue(heldValue, values.pending);
  const putBack = (bytes: Buffer) => withValue(target, bytes, values.current, where);
  if (!written) {
    // No write of ours on record: it failed, was cut short, or found the value already there.
    if (!held?.value || !holdsNew) return `${where} does not hold the new value`;
    await cluster.writeKey(ref, putBack(held.value), {
      expectedResourceVersion: held.resourceVersion,
    });
    return `the old value is back in ${where}`;
  }
  const untouched = held?.resourceVersion === written.resourceVersion;
  if (!held?.value || !holdsNew)
    throw changedSince(where, written.resourceVersion, held?.resourceVersion ?? null);
  const expected = { expectedResourceVersion: held.resourceVersion };
  const others = untouched
    ? ''
    : target.inner
      ? ' (other changes to the Secret and to the file since are kept)'
      : ' (other keys changed since are kept)';
  if (written.created === 'secret' && untouched) {
    await cluster.restoreSecret(ref.namespace, ref.name, {
      previous: null,
      resourceVersion: written.resourceVersion,
    });
    return `deleted Secret ${ref.namespace}/${ref.name} on ${target.host}, which the rotation created`;
  }
  if (written.created !== null) {
    // Someone added keys to a Secret Rekey created: theirs stay, only ours goes.
    const secret = await cluster.readSecret(ref.namespace, ref.name);
    const { [ref.key]: _ours, ...rest } = secret.data;
    await cluster.writeSecret(ref.namespace, ref.name, rest, expected);
    return `removed ${where}, which the rotation added${others}`;
  }
  await cluster.writeKey(ref, putBack(held.value), expected);
  return `the old value is back in ${where}${others}`;
}

/**
 * Derived keys: other keys of the same Secret made from the value (`DATABASE_URL` from the
 * password, a fixed `username` beside it), written with it in one update, so a Secret can be
 * generated whole. `${secret.pending}` in their templates stands for the value the main key
 * holds: the new one when written, the old one when undone.
 */
export function hasDerived(target: PlannedTarget): boolean {
  return Object.keys(target.derived ?? {}).length > 0;
}

export function derivedData(target: PlannedTarget, value: string): Record<string, Buffer> {
  const secret = { pending: value };
  return Object.fromEntries(
    Object.entries(target.derived ?? {}).map(([key, template]) => [
      key,
      Buffer.from(expandTemplate(template, { variables: NO_VARIABLES, secret }), 'utf8'),
    ]),
  );
}

function pick(data: Record<string, Buffer>, keys: readonly string[]): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => keys.includes(key)));
}

function holdsAll(data: Readonly<Record<string, Buffer>>, wanted: Record<string, Buffer>): boolean {
  return Object.entries(wanted).every(([key, bytes]) => {
    const held = data[key];
    return held !== undefined && sameValue(held.toString('utf8'), bytes.toString('utf8'));
  });
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

async function writeWithDerived(
  target: PlannedTarget,
  value: string,
  context: Pick<StepContext, 'cluster'>,
): Promise<KubeStepResult> {
  const { cluster, ref, where } = await resolveKubeTarget(target, context);
  const held = await readKubeSecret(cluster, ref);
  const ours = { [ref.key]: Buffer.from(value, 'utf8'), ...derivedData(target, value) };
  const keys = `with ${Object.keys(target.derived ?? {}).join(', ')}`;
  if (held && holdsAll(held.data, ours)) return { detail: `${where} already holds it (${keys})` };
  const written = await cluster.writeSecret(
    ref.namespace,
    ref.name,
    { ...held?.data, ...ours },
    held ? { expectedResourceVersion: held.resourceVersion } : { create: true },
  );
  const created = held === null ? 'secret' : held.data[ref.key] === undefined ? 'key' : null;
  const added = created === 'secret' ? '; the Secret was created' : created ? '; keys added' : '';
  return {
    detail: `written to ${where} ${keys} (resourceVersion ${written.resourceVersion}${added})`,
    backupPath: markerOf({ resourceVersion: written.resourceVersion, created }),
  };
}

/**
 * The undo of a write with derived keys: the old value and the keys made from it back (or,
 * where the write added them, taken out). A derived key someone changed since keeps their
 * value; a main key someone changed stops the undo (CONFLICT), as for a single key.
 */
async function undoWithDerived(
  target: PlannedTarget,
  written: KubeWrite | null,
  values: { pending: string; current: string },
  context: Pick<StepContext, 'cluster'>,
): Promise<string> {
  const { cluster, ref, where } = await resolveKubeTarget(target, context);
  const held = await readKubeSecret(cluster, ref);
  const main = held?.data[ref.key]?.toString('utf8');
  if (!held || main === undefined || !sameValue(main, values.pending)) {
    if (!written) return `${where} does not hold the new value`;
    throw changedSince(where, written.resourceVersion, held?.resourceVersion ?? null);
  }
  const untouched = written !== null && held.resourceVersion === written.resourceVersion;
  if (written?.created === 'secret' && untouched) {
    await cluster.restoreSecret(ref.namespace, ref.name, {
      previous: null,
      resourceVersion: written.resourceVersion,
    });
    return `deleted Secret ${ref.namespace}/${ref.name} on ${target.host}, which the rotation created`;
  }
  const remove = written !== null && written.created !== null;
  const ours = derivedData(target, values.pending);
  const old = derivedData(target, values.current);
  const theirs = Object.keys(ours).filter(
    (key) => !holdsAll(held.data, { [key]: ours[key] as Buffer }),
  );
  const undone = [ref.key, ...Object.keys(ours).filter((key) => !theirs.includes(key))];
  const next: Record<string, Buffer> = Object.fromEntries(
    Object.entries(held.data).filter(([key]) => !(remove && undone.includes(key))),
  );
  if (!remove) Object.assign(next, pick(old, undone), { [ref.key]: Buffer.from(values.current) });
  await cluster.writeSecret(ref.namespace, ref.name, next, {
    expectedResourceVersion: held.resourceVersion,
  });
  const kept = theirs.length ? ` (${theirs.join(', ')} changed by someone else since: kept)` : '';
  return remove
    ? `removed ${where} and the keys made from it, which the rotation added${kept}`
    : `the old value is back in ${where}, and the keys made from it${kept}`;
}

/** What a person does when the undo of a Kubernetes write fails. */
export function manualKubeUndo(target: PlannedTarget): string {
  return (
    `look at ${target.inner ? `${target.inner.key} in ` : ''}key ${target.key} of Secret ` +
    `${target.path} on ${target.host}: if the value there ` +
    "is not meant to stay, set it back to the secret's current value (rekey secret reveal) " +
    'and restart the workloads that read it'
  );
}

type KubeRestart = Extract<PlannedAction, { kind: 'restart' }>['restart'] & { via: 'kubernetes' };

/**
 * `rollout restart`, then waits for the rollout, for each workload in order: the next starts
 * only once the one before runs with the new value. Progress goes to the step's detail.
 */
export async function restartWorkloads(
  host: string,
  how: KubeRestart,
  context: Pick<StepContext, 'cluster' | 'progress'>,
): Promise<KubeStepResult> {
  const { cluster, namespace } = await context.cluster(host);
  const done: string[] = [];
  const sofar = (line: string) => [...done, line].join('; ');
  for (const workload of how.workloads) {
    const ns = workload.namespace ?? namespace;
    const what = `${workload.kind} ${ns}/${workload.name}`;
    context.progress(sofar(`restarting ${what}`));
    await cluster.rolloutRestart(workload.kind, ns, workload.name);
    const state = await cluster.waitForRollout(workload.kind, ns, workload.name, {
      timeoutMs: how.timeoutMs,
      onProgress: (progress) => context.progress(sofar(`${what}: ${progress.summary}`)),
    });
    done.push(`${what} rolled out (${state.summary})`);
  }
  return { detail: `${done.join('; then ')} on ${host}` };
}
