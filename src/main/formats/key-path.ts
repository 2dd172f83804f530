import { RekeyError } from '../../shared/errors';

/**
 * Key paths name one leaf of a structured config (YAML, JSON, TOML): mapping keys joined by
 * `.`, list items as `[0]`. A key containing `.`, `"`, `[`, `]` or `\`, or one that is empty
 * or starts or ends with whitespace, is written in double quotes with `\"` and `\\` escapes,
 * e.g. `keys."APIabc.def"`. Paths are shown to users and stored in the vault's targets, so
 * the same leaf always prints the same way.
 */

export type KeySegment = string | number;

const NEEDS_QUOTES = /[."[\]\\]|^\s|\s$|^$/;

export function formatKeyPath(segments: readonly KeySegment[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      path += `[${segment}]`;
      continue;
    }
    if (path !== '') path += '.';
    path += NEEDS_QUOTES.test(segment) ? `"${segment.replace(/["\\]/g, '\\$&')}"` : segment;
  }
  return path;
}

/** Parses a key path; throws INVALID_INPUT naming the column where it goes wrong. */
export function parseKeyPath(path: string): KeySegment[] {
  if (path === '') throw invalid(path, 0, 'it is empty');
  const segments: KeySegment[] = [];
  let at = 0;
  let expectKey = true;
  while (at < path.length) {
    const char = path[at];
    if (char === '[') {
      const close = path.indexOf(']', at);
      const digits = close === -1 ? '' : path.slice(at + 1, close);
      if (!/^(0|[1-9][0-9]*)$/.test(digits)) throw invalid(path, at, 'expected a list index');
      segments.push(Number(digits));
      at = close + 1;
      expectKey = false;
      continue;
    }
    if (!expectKey) {
      if (char !== '.') throw invalid(path, at, 'expected "." or "["');
      at++;
      if (at === path.length) throw invalid(path, at, 'a key is missing after "."');
    }
    if (path[at] === '"') {
      const quoted = readQuotedSegment(path, at);
      segments.push(quoted.segment);
      at = quoted.end;
    } else {
      const end = path.slice(at).search(/[.[\]"]/);
      const segment = end === -1 ? path.slice(at) : path.slice(at, at + end);
      if (segment === '') throw invalid(path, at, 'a key is missing');
      segments.push(segment);
      at += segment.length;
    }
    expectKey = false;
  }
  return segments;
}

function readQuotedSegment(path: string, open: number): { segment: string; end: number } {
  let segment = '';
  for (let at = open + 1; at < path.length; at++) {
    const char = path[at] as string;
    if (char === '"') return { segment, end: at + 1 };
    if (char === '\\') {
      const next = path[at + 1];
      if (next !== '"' && next !== '\\') throw invalid(path, at, 'only \\" and \\\\ are escapes');
      segment += next;
      at++;
      continue;
    }
    segment += char;
  }
  throw invalid(path, open, 'the quote is not closed');
}

function invalid(path: string, column: number, reason: string): RekeyError {
  return new RekeyError(
    'INVALID_INPUT',
    `invalid key path ${JSON.stringify(path)} at column ${column + 1}: ${reason}`,
  );
}
