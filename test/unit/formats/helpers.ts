import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { RekeyError } from '../../../src/shared/errors';

/** A fixture under test/fixtures/formats, exactly as stored (no newline or BOM handling). */
export function fixture(relative: string): string {
  return readFileSync(new URL(`../../fixtures/formats/${relative}`, import.meta.url), 'utf8');
}

/** Where `written` (which must occur exactly once) starts and ends in `text`. */
export function spanOf(text: string, written: string): { start: number; end: number } {
  const start = text.indexOf(written);
  expect(start, `${JSON.stringify(written)} is in the text`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(written, start + 1), `${JSON.stringify(written)} occurs once`).toBe(-1);
  return { start, end: start + written.length };
}

/**
 * Asserts that `after` is `before` with only the bytes of `written` replaced, and returns
 * what replaced them. Everything before and after that span must be byte-identical.
 */
export function replacementOf(before: string, after: string, written: string): string {
  const { start, end } = spanOf(before, written);
  const suffixLength = before.length - end;
  expect(after.slice(0, start)).toBe(before.slice(0, start));
  expect(after.slice(after.length - suffixLength)).toBe(before.slice(end));
  expect(after.length - suffixLength).toBeGreaterThanOrEqual(start);
  return after.slice(start, after.length - suffixLength);
}

/** Asserts that `after` is `before` with lines inserted at one place; returns those lines. */
export function insertedLines(before: string, after: string, eol = '\n'): string[] {
  const old = before.split(eol);
  const now = after.split(eol);
  let at = 0;
  while (at < old.length && old[at] === now[at]) at++;
  const count = now.length - old.length;
  expect(count).toBeGreaterThan(0);
  expect(now.slice(at + count)).toEqual(old.slice(at));
  return now.slice(at, at + count);
}

/**
 * Values that need care in at least one format: comment and interpolation characters,
 * quotes, backslashes, line breaks, surrounding spaces, YAML and TOML look-alikes.
 */
export const HOSTILE_VALUES: readonly string[] = [
  '',
  'plain-Value_1.2/3+4=',
  'has # hash',
  'a#b',
  '#starts-with-hash',
  ' leading space',
  'trailing space ',
  '  ',
  'inner space',
  '$HOME',
  '${DB_PASSWORD}',
  'pa$$word',
  '$',
  'ends-with-$',
  "it's",
  "'single'",
  'say "hi"',
  '"double"',
  'back\\slash',
  'ends with \\',
  '\\',
  '\\n not a newline',
  'line1\nline2',
  '\nleading newline',
  'trailing newline\n',
  'crlf\r\nend',
  'tab\there',
  'a=b',
  'key: value',
  ': colon',
  '- dash',
  '? question',
  '[list]',
  '{map}',
  '*alias',
  '&anchor',
  '!tag',
  '%percent',
  '@at',
  '`tick`',
  '|',
  '>',
  '~',
  'true',
  'on',
  'null',
  '0777',
  '1_000',
  '123e4567',
  '12:30',
  '2001-12-14',
  '.inf',
  'mixed \' and " and $ and # and \\',
  'unicode \u00fc\u00f1\u00ef\u00e7\u00f8d\u00e9 \u{1F511}',
  'nbsp\u00a0and\u2028line separator',
  'del\u007fcontrol\u0001',
];

/** Calls `action`, which must throw a RekeyError with `code`; returns its message. */
export function rekeyErrorOf(action: () => unknown, code: RekeyError['code']): string {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(RekeyError);
  expect((thrown as RekeyError).code).toBe(code);
  return (thrown as RekeyError).message;
}

/** Asserts that a message names none of the values (old or new). */
export function expectNoValues(message: string, values: readonly string[]): void {
  for (const value of values) {
    if (value.length >= 4) expect(message).not.toContain(value);
  }
}
