import type { ScanFinding } from '../../../../shared/api';
import { secretNameSchema } from '../../../../shared/model';

/**
 * The user's picks among a scan's findings, checked before they go to the core: a name the
 * vault would refuse, or two picks that would collide, is shown on its row instead of coming
 * back as a skipped entry after the fact.
 */

/** A finding is one key in one file: the pair names it across scans of the same host. */
export function findingId(finding: Pick<ScanFinding, 'path' | 'key'>): string {
  return `${finding.path}\n${finding.key}`;
}

export function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Findings of one file, files in path order and keys in line order, as a reader expects. */
export function groupByFile(findings: readonly ScanFinding[]): [string, ScanFinding[]][] {
  const files = new Map<string, ScanFinding[]>();
  for (const finding of findings) {
    files.set(finding.path, [...(files.get(finding.path) ?? []), finding]);
  }
  return [...files.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, items]) => [path, items.sort((a, b) => a.line - b.line)]);
}

export type CheckedFinding = Pick<ScanFinding, 'path' | 'key' | 'fingerprint' | 'sameValueAs'>;

/** What the core would refuse or skip for each picked finding, by finding id. */
export function pickProblems<F extends CheckedFinding>(input: {
  picked: readonly F[];
  nameOf(finding: F): string;
  /** A valid deployment name, or null while there is none: then names are checked alone. */
  deployment: string | null;
  /** Refs of the secrets in the inventory. */
  existingRefs: ReadonlySet<string>;
}): Map<string, string> {
  const problems = new Map<string, string>();
  const valueByName = new Map<string, string>();
  for (const finding of input.picked) {
    const name = input.nameOf(finding);
    const parsed = secretNameSchema.safeParse(name);
    if (!parsed.success) {
      problems.set(findingId(finding), parsed.error.issues[0]?.message ?? 'not a valid name');
      continue;
    }
    // One name is one secret: the same value under one name is one secret in two files.
    const earlier = valueByName.get(name);
    if (earlier !== undefined && earlier !== finding.fingerprint) {
      problems.set(
        findingId(finding),
        `another pick is named ${name} with a different value: name one of them differently`,
      );
      continue;
    }
    valueByName.set(name, finding.fingerprint);
    const ref = input.deployment ? `${input.deployment}/${name}` : null;
    if (ref && input.existingRefs.has(ref) && !finding.sameValueAs.includes(ref)) {
      problems.set(findingId(finding), `${ref} already exists with a different value`);
    }
  }
  return problems;
}
