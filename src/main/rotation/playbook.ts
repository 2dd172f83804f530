import { LineCounter, type YAMLError, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { PlaybookProblem } from '../../shared/api';
import { PlaybookInvalid, playbookProblem } from './playbook-errors';
import { SourceLines } from './playbook-positions';
import { undefinedVariables } from './playbook-rules';
import { type Playbook, playbookSchema } from './playbook-schema';

/**
 * Reads a playbook from YAML text. Every problem is reported at once, each naming the file,
 * the line and the field (`synctv.yaml:14: secrets[0].steps[2].argv[1]: ...`), so a user
 * fixes a file in one pass. See playbook-schema.ts for what a playbook holds.
 */

export type { Playbook, PlaybookSecret, PlaybookTarget } from './playbook-schema';
export { PlaybookInvalid } from './playbook-errors';

export const MAX_PLAYBOOK_BYTES = 1_000_000;

export type PlaybookCheck =
  { ok: true; playbook: Playbook } | { ok: false; problems: PlaybookProblem[] };

/** The playbook in `text`, or a PlaybookInvalid (INVALID_INPUT) listing every problem. */
export function loadPlaybook(text: string, fileName: string): Playbook {
  const checked = checkPlaybook(text, fileName);
  if (!checked.ok) throw new PlaybookInvalid(checked.problems);
  return checked.playbook;
}

export function checkPlaybook(text: string, fileName: string): PlaybookCheck {
  const fail = (line: number, message: string): PlaybookCheck => ({
    ok: false,
    problems: [playbookProblem(fileName, line, [], message)],
  });
  if (Buffer.byteLength(text) > MAX_PLAYBOOK_BYTES) {
    return fail(1, `a playbook is at most ${MAX_PLAYBOOK_BYTES} bytes`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) =>
        playbookProblem(fileName, lineCounter.linePos(error.pos[0]).line, [], yamlMessage(error)),
      ),
    };
  }
  if (doc.contents === null) {
    return fail(1, 'the file is empty; a playbook starts with id, name, service and secrets');
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return fail(1, 'too many YAML aliases: a playbook does not need them');
  }
  const parsed = playbookSchema.safeParse(data, { error: friendlyMessage });
  if (parsed.success) return { ok: true, playbook: parsed.data };
  const lines = new SourceLines(doc, lineCounter);
  const problems = parsed.error.issues.flatMap((issue) => problemsOf(issue, data, lines, fileName));
  // The schema's document-wide rules wait for a well-formed document; undefined variables
  // need not, so a file with other mistakes hears about them in the same pass.
  for (const { path, message } of undefinedVariables(data)) {
    problems.push(playbookProblem(fileName, lines.valueLine(path), path, message));
  }
  return { ok: false, problems: sortedUnique(problems) };
}

/** The parser's own words, without its hint to use an API a playbook author does not call. */
function yamlMessage(error: YAMLError): string {
  if (error.code === 'MULTIPLE_DOCS') return 'a playbook file holds one YAML document (one ---)';
  if (error.code === 'DUPLICATE_KEY') return 'a key appears twice in the same mapping';
  return `YAML: ${error.message}`;
}

type Issue = z.core.$ZodIssue;

function problemsOf(
  issue: Issue,
  data: unknown,
  lines: SourceLines,
  fileName: string,
): PlaybookProblem[] {
  // zod paths may hold symbols in general; a parsed YAML document has none.
  const path = issue.path.map((segment) =>
    typeof segment === 'symbol' ? String(segment) : segment,
  );
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) =>
      playbookProblem(fileName, lines.keyLine(path, key), [...path, key], 'unknown field'),
    );
  }
  const line = lines.valueLine(path);
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    return [playbookProblem(fileName, line, path, discriminatorMessage(issue, data))];
  }
  return [playbookProblem(fileName, line, path, issue.message)];
}

const DISCRIMINATORS: Readonly<Record<string, string>> = {
  kind: 'step kind',
  type: 'check type',
  via: 'restart method',
};

function discriminatorMessage(issue: Issue & { code: 'invalid_union' }, data: unknown): string {
  const extra = issue as { discriminator?: unknown; options?: unknown };
  const name = String(extra.discriminator);
  const options = Array.isArray(extra.options) ? extra.options.map(String).join(', ') : '';
  const what = DISCRIMINATORS[name] ?? name;
  const given = valueAt(data, issue.path) !== undefined;
  return `${given ? 'unknown' : 'missing'} ${what}; expected one of ${options}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const segment of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'nothing (null)',
};

/** Messages in the playbook author's terms; never quoting the value that was given. */
function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'required';
    const expected = KIND_NAMES[issue.expected] ?? issue.expected;
    return `expected ${expected}, not ${KIND_NAMES[kindOf(issue.input)] ?? kindOf(issue.input)}`;
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
    const bound = issue.code === 'too_small' ? 'at least' : 'at most';
    if (issue.origin === 'array') return `needs ${bound} ${limit} item${limit === 1 ? '' : 's'}`;
    if (issue.origin === 'string') return `must be ${bound} ${limit} characters long`;
    return `must be ${bound} ${limit}`;
  }
  if (issue.code === 'invalid_value') {
    return issue.values.length === 1
      ? `expected ${String(issue.values[0])}`
      : `expected one of ${issue.values.map(String).join(', ')}`;
  }
  return undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function sortedUnique(problems: PlaybookProblem[]): PlaybookProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((problem) => !seen.has(problem.text) && seen.add(problem.text))
    .sort((a, b) => a.line - b.line);
}
