import { randomBytes } from 'node:crypto';
import { isRekeyError } from '../../shared/errors';
import type { RotationPreview } from '../../shared/rotation-api';
import { formatByName } from '../formats/format';
import type { PlannedTarget } from '../vault/rotation-records';
import type { RunPlan } from './planner';
import { hasDerived } from './kube-derived';
import { readKubeKey, readKubeSecret, resolveKubeTarget } from './kube-target';
import type { StepContext } from './run-context';

/**
 * A dry run: every target is read and the change computed, nothing is written, restarted or
 * stored. The diff shows placeholders where the values are, and passes the redactor too.
 */

const NEW = '[new value]';
const CURRENT = '[current value]';
const MADE_FROM_NEW = '[made from the new value]';
const MADE_FROM_CURRENT = '[made from the current value]';
const CONTEXT_LINES = 1;

type PreviewContext = Pick<StepContext, 'connector' | 'cluster' | 'redact'>;
type TargetPreview = RotationPreview['targets'][number];

export async function previewTargets(
  plan: RunPlan,
  context: PreviewContext,
): Promise<RotationPreview['targets']> {
  const previews: RotationPreview['targets'] = [];
  for (const step of plan.steps) {
    if (step.action.kind !== 'write') continue;
    previews.push(await previewTarget(step.action.target, context));
  }
  return previews;
}

async function previewTarget(
  target: PlannedTarget,
  context: PreviewContext,
): Promise<TargetPreview> {
  if (target.format === 'kubernetes') return previewKubeTarget(target, context);
  const base = { host: target.host, path: target.path, key: target.key };
  let text: string;
  try {
    const connector = await context.connector(target.host);
    text = (await connector.readFile(target.path)).toString('utf8');
  } catch (error) {
    const missing = isRekeyError(error) && error.code === 'NOT_FOUND';
    if (missing && target.format === 'file') {
      return {
        ...base,
        diff: [`+${NEW}`],
        note: 'the file does not exist yet: it will be created',
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, diff: [], note: context.redact(message) };
  }
  const missing = `${target.key} is not set yet: it will be added`;
  return previewInText(base, text, { format: target.format, key: target.key, missing }, context);
}

/** The change of one value in a config file's text, values shown as placeholders. */
function previewInText(
  base: Pick<TargetPreview, 'host' | 'path' | 'key'>,
  text: string,
  { format: formatName, key, missing }: { format: string; key: string; missing: string },
  context: PreviewContext,
): TargetPreview {
  const format = formatByName(formatName);
  try {
    const current = format.get(text, key);
    // A stand-in value of the same shape shows how the line will look; it is never stored.
    const stand = `rekey${randomBytes(12).toString('hex')}`;
    const changed = format.set(text, key, stand);
    const hide = (line: string) => {
      let shown = line.replaceAll(stand, NEW);
      if (current) shown = shown.replaceAll(current, CURRENT);
      return context.redact(shown);
    };
    return {
      ...base,
      diff: lineDiff(text, changed).map(hide),
      note: current === undefined ? missing : null,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, diff: [], note: context.redact(message) };
  }
}

/** A Secret's data is a map: the change is the one line of its key, values as placeholders. */
async function previewKubeTarget(
  target: PlannedTarget,
  context: PreviewContext,
): Promise<TargetPreview> {
  const base = { host: target.host, path: target.path, key: target.key };
  try {
    const { cluster, ref } = await resolveKubeTarget(target, context);
    if (hasDerived(target)) return await previewWithDerived(target, context);
    const held = await readKubeKey(cluster, ref);
    const header = `@@ Secret ${ref.namespace}/${ref.name} @@`;
    const added = `+${ref.key}: ${NEW}`;
    if (held === null) {
      return {
        ...base,
        diff: [header, added],
        note: `Secret ${ref.namespace}/${ref.name} does not exist yet: it will be created`,
      };
    }
    if (held.value === null) {
      return {
        ...base,
        diff: [header, added],
        note: `${ref.key} is not set yet: it will be added`,
      };
    }
    if (target.inner) {
      const inFile = previewInText(
        base,
        held.value.toString('utf8'),
        {
          ...target.inner,
          // The write refuses a value the file does not set yet (see writeKubeKey).
          missing: `${target.inner.key} is not set in ${ref.key}: the write will refuse it`,
        },
        context,
      );
      return { ...inFile, diff: [header, ...inFile.diff] };
    }
    return { ...base, diff: [header, `-${ref.key}: ${CURRENT}`, added], note: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, diff: [], note: context.redact(message) };
  }
}

/** The key and each key made from it, as lines of the Secret's data; no value shown. */
async function previewWithDerived(
  target: PlannedTarget,
  context: PreviewContext,
): Promise<TargetPreview> {
  const { cluster, ref } = await resolveKubeTarget(target, context);
  const held = await readKubeSecret(cluster, ref);
  const lines = [`@@ Secret ${ref.namespace}/${ref.name} @@`];
  for (const key of [ref.key, ...Object.keys(target.derived ?? {})]) {
    const ours = key === ref.key;
    if (held?.data[key] !== undefined) lines.push(`-${key}: ${ours ? CURRENT : MADE_FROM_CURRENT}`);
    lines.push(`+${key}: ${ours ? NEW : MADE_FROM_NEW}`);
  }
  return {
    host: target.host,
    path: target.path,
    key: target.key,
    diff: lines,
    note: held
      ? null
      : `Secret ${ref.namespace}/${ref.name} does not exist yet: it will be created with these keys`,
  };
}

/**
 * A unified-style diff of a one-value change: the changed lines form one block, so the
 * common head and tail are cut and a line of context kept on each side.
 */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail += 1;
  }
  if (head === a.length && head === b.length) return [];
  const from = Math.max(0, head - CONTEXT_LINES);
  const lines = [`@@ line ${head + 1} @@`];
  for (const line of a.slice(from, head)) lines.push(` ${line}`);
  for (const line of a.slice(head, a.length - tail)) lines.push(`-${line}`);
  for (const line of b.slice(head, b.length - tail)) lines.push(`+${line}`);
  for (const line of a.slice(a.length - tail, a.length - tail + CONTEXT_LINES))
    lines.push(` ${line}`);
  return lines;
}
