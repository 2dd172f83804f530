import type { PlannedTarget } from '../vault/rotation-records';
import {
  type KubeStepResult,
  type KubeWrite,
  changedSince,
  markerOf,
  readKubeSecret,
  resolveKubeTarget,
} from './kube-target';
import { NO_VARIABLES, type StepContext, sameValue } from './run-context';
import { expandTemplate } from './templates';

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

export function holdsAll(
  data: Readonly<Record<string, Buffer>>,
  wanted: Record<string, Buffer>,
): boolean {
  return Object.entries(wanted).every(([key, bytes]) => {
    const held = data[key];
    return held !== undefined && sameValue(held.toString('utf8'), bytes.toString('utf8'));
  });
}

export async function writeWithDerived(
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
export async function undoWithDerived(
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

/** The value the key holds, when the keys made from it agree with it; else undefined. */
export async function heldDerivedValue(
  target: PlannedTarget,
  context: Pick<StepContext, 'cluster'>,
): Promise<string | undefined> {
  const { cluster, ref } = await resolveKubeTarget(target, context);
  const held = await readKubeSecret(cluster, ref);
  const value = held?.data[ref.key]?.toString('utf8');
  return value !== undefined && holdsAll(held?.data ?? {}, derivedData(target, value))
    ? value
    : undefined;
}
