import { RekeyError, isRekeyError } from '../../shared/errors';
import { formatByName } from '../formats';
import type { PlannedAction, PlannedTarget } from '../vault/rotation-records';
import { hasDerived, heldDerivedValue, undoWithDerived, writeWithDerived } from './kube-derived';
import {
  type KubeStepResult,
  changedSince,
  markerOf,
  parseMarker,
  readKubeKey,
  resolveKubeTarget,
} from './kube-target';
import { type StepContext, sameValue } from './run-context';

/**
 * Rotation steps on Kubernetes: a secret's target is one key of a Secret (path
 * `namespace/name` or `name`, host the cluster), a restart is `kubectl rollout restart` and
 * `rollout status` of workloads in order. Writes are optimistic (the read resourceVersion must
 * still hold when the write lands) and a rollback never overwrites someone else's change. The
 * journal learns only resourceVersions, never a value: the old value is the vault's current
 * version, which stays there until the run ends. A target with derived keys is written whole
 * by kube-derived.ts; the rest (a key, or a value in the file a key holds) here.
 */

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
  if (hasDerived(target)) return heldDerivedValue(target, context);
  const { cluster, ref, where } = await resolveKubeTarget(target, context);
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
