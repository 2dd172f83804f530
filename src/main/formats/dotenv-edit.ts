import { RekeyError } from '../../shared/errors';
import { type DotenvEntry, type DotenvSpan, scanDotenv } from './dotenv';
import type { ConfigFormat, FormatEntry } from './format';
import { editMismatch, unparseable } from './format-errors';

/**
 * `.env` files as docker compose v2 reads them. A value is written in the quoting that makes
 * compose read exactly it, without interpolation:
 * - unquoted only for plain tokens (letters, digits, `_./+:@%,=-`): nothing to trim, no
 *   comment, no `$`;
 * - single quotes (taken literally) when the value has no `'` and no line break, and does
 *   not end in `\` (compose would read `\'` as an escaped quote);
 * - double quotes otherwise, escaping `\`, `"`, `$` (compose turns `\$` into a literal `$`),
 *   newlines, carriage returns and tabs.
 * An existing value keeps its quoting whenever that quoting can hold the new value.
 * When a key is defined more than once, compose uses the last definition, and so do we.
 */

type Quote = DotenvEntry['quote'];

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const PLAIN = /^[A-Za-z0-9_./+:@%,=-]*$/;
const PREFERENCE: readonly Quote[] = ['none', 'single', 'double'];

export const dotenvFormat: ConfigFormat = {
  name: 'dotenv',

  get(text, key) {
    checkKey(key);
    return lastDefinition(readEntries(text), key)?.value;
  },

  set(text, key, value) {
    checkKey(key);
    const entries = readEntries(text);
    const target = lastDefinition(entries, key);
    const updated = target
      ? text.slice(0, target.start) + writeValue(value, target.quote) + text.slice(target.end)
      : appendLine(text, entries, key, value);
    verify(entries, updated, key, value);
    return updated;
  },

  entries(text) {
    return readEntries(text)
      .filter((entry) => entry.value !== '')
      .map(({ key, value, line }): FormatEntry => ({ key, value, line }));
  },
};

/** Quoting that makes compose read exactly `value`, preferring the one already in use. */
export function chooseQuote(value: string, current?: Quote): Quote {
  const candidates = current ? [current, ...PREFERENCE] : PREFERENCE;
  return candidates.find((quote) => canHold(quote, value)) ?? 'double';
}

function canHold(quote: Quote, value: string): boolean {
  if (quote === 'none') return PLAIN.test(value);
  if (quote === 'single') return !/['\r\n]/.test(value) && !value.endsWith('\\');
  return true;
}

/** The value as it is written after `KEY=`, quotes included. */
export function writeValue(value: string, current?: Quote): string {
  const quote = chooseQuote(value, current);
  if (quote === 'none') return value;
  if (quote === 'single') return `'${value}'`;
  const escaped = value.replace(/[\\"$\n\r\t]/g, (char) => DOUBLE_QUOTE_ESCAPES[char] ?? char);
  return `"${escaped}"`;
}

const DOUBLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  $: '\\$',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function readEntries(text: string): DotenvSpan[] {
  const { entries, problems } = scanDotenv(text);
  const problem = problems[0];
  // Compose refuses the whole file over one bad line, so editing around it would only hide it.
  if (problem) throw unparseable('.env file', { line: problem.line, column: 1 }, problem.message);
  return entries;
}

function lastDefinition(entries: readonly DotenvSpan[], key: string): DotenvSpan | undefined {
  return entries.findLast((entry) => entry.key === key);
}

/** Adds `KEY=value` as the last line, with the file's line ending and `export` habit. */
function appendLine(
  text: string,
  entries: readonly DotenvSpan[],
  key: string,
  value: string,
): string {
  const prefix = entries.at(-1)?.exported ? 'export ' : '';
  const line = `${prefix}${key}=${writeValue(value)}`;
  if (text === '' || text === '\uFEFF') return `${text}${line}\n`;
  const eol = /\r?\n(?![^]*\n)/.exec(text)?.[0] ?? '\n';
  // A file without a final newline keeps having none.
  return text.endsWith('\n') ? `${text}${line}${eol}` : `${text}${eol}${line}`;
}

function verify(before: readonly DotenvSpan[], updated: string, key: string, value: string): void {
  const after = scanDotenv(updated);
  const target = lastDefinition(after.entries, key);
  const others = (entries: readonly DotenvSpan[]) =>
    entries
      .filter((entry) => entry !== lastDefinition(entries, key))
      .map(({ key: name, value: text, quote }) => ({ name, text, quote }));
  const unchanged = JSON.stringify(others(before)) === JSON.stringify(others(after.entries));
  if (after.problems.length > 0 || target?.value !== value || target.interpolates || !unchanged) {
    throw editMismatch('.env', key);
  }
}

function checkKey(key: string): void {
  if (!KEY.test(key)) {
    throw new RekeyError(
      'INVALID_INPUT',
      `invalid variable name ${JSON.stringify(key)}: use letters, digits, "_", "." and "-", not starting with a digit`,
    );
  }
}
