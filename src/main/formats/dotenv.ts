/**
 * Reads `.env` files the way docker compose does, because that is the program whose view of
 * the value matters: `export` prefixes, `#` comments (inline only after whitespace when the
 * value is unquoted), single quotes taken literally, double quotes with backslash escapes,
 * and quoted values spanning several lines. `scanDotenv` also records where each value is
 * written, which is what `dotenv-edit.ts` needs to change one value and nothing else.
 */

export interface DotenvEntry {
  key: string;
  value: string;
  /** 1-based line where the entry starts. */
  line: number;
  quote: 'none' | 'single' | 'double';
  /** The value contains `$`, which compose would interpolate when it reads the file. */
  interpolates: boolean;
}

/** An entry and the offsets of its written value in the original text. */
export interface DotenvSpan extends DotenvEntry {
  /** The opening quote, or the first character of an unquoted value. */
  start: number;
  /** Just past the closing quote, or past the unquoted value (before spaces and comment). */
  end: number;
  /** The line begins with an `export` prefix. */
  exported: boolean;
}

export interface DotenvProblem {
  line: number;
  message: string;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '"': '"',
  '\\': '\\',
  $: '$',
};

export function parseDotenv(text: string): { entries: DotenvEntry[]; problems: DotenvProblem[] } {
  const { entries, problems } = scanDotenv(text);
  return {
    entries: entries.map(({ start: _start, end: _end, exported: _exported, ...entry }) => entry),
    problems,
  };
}

export function scanDotenv(text: string): { entries: DotenvSpan[]; problems: DotenvProblem[] } {
  const entries: DotenvSpan[] = [];
  const problems: DotenvProblem[] = [];
  const { lines, starts } = splitLines(text);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const raw = lines[index] ?? '';
    const lineStart = starts[index] ?? 0;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const assignment = trimmed.replace(/^export\s+/, '');
    const exported = assignment !== trimmed;
    const equals = assignment.indexOf('=');
    const key = (equals === -1 ? assignment : assignment.slice(0, equals)).trim();
    if (equals === -1 || !KEY.test(key)) {
      problems.push({ line: lineNumber, message: 'not a KEY=value line' });
      continue;
    }
    // Keys never contain '=', so the first one in the raw line is the separator.
    const afterEquals = raw.indexOf('=') + 1;
    const valueColumn = afterEquals + (/^[ \t]*/.exec(raw.slice(afterEquals))?.[0].length ?? 0);
    const rest = raw.slice(valueColumn).trimEnd();
    const quote = rest[0];
    if (quote === "'" || quote === '"') {
      const parsed = readQuoted(lines, index, valueColumn + 1, quote);
      if (!parsed) {
        problems.push({ line: lineNumber, message: `unterminated ${quote} quote` });
        continue;
      }
      entries.push({
        key,
        value: parsed.value,
        line: lineNumber,
        quote: quote === "'" ? 'single' : 'double',
        // `$` after an even number of backslashes (`\\$X`) is not escaped.
        interpolates: quote === '"' && /(^|[^\\])(\\\\)*\$/.test(parsed.raw),
        start: lineStart + valueColumn,
        end: (starts[parsed.endLine] ?? 0) + parsed.endColumn + 1,
        exported,
      });
      index = parsed.endLine;
      continue;
    }
    const value = rest.replace(/\s+#.*$/, '').trimEnd();
    entries.push({
      key,
      value,
      line: lineNumber,
      quote: 'none',
      interpolates: value.includes('$'),
      start: lineStart + valueColumn,
      end: lineStart + valueColumn + value.length,
      exported,
    });
  }
  return { entries, problems };
}

/** Lines without their endings, and where each starts in `text` (a byte order mark is skipped). */
function splitLines(text: string): { lines: string[]; starts: number[] } {
  const lines: string[] = [];
  const starts: number[] = [];
  let start = text.startsWith('\uFEFF') ? 1 : 0;
  for (const ending of text.matchAll(/\r?\n/g)) {
    lines.push(text.slice(start, ending.index));
    starts.push(start);
    start = ending.index + ending[0].length;
  }
  lines.push(text.slice(start));
  starts.push(start);
  return { lines, starts };
}

/** Reads a quoted value starting after its opening quote, across lines if needed. */
function readQuoted(
  lines: readonly string[],
  startLine: number,
  startColumn: number,
  quote: "'" | '"',
): { value: string; raw: string; endLine: number; endColumn: number } | null {
  let value = '';
  let raw = '';
  for (let lineIndex = startLine; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex] ?? '';
    let column = lineIndex === startLine ? startColumn : 0;
    while (column < line.length) {
      const char = line[column] as string;
      if (char === quote) return { value, raw, endLine: lineIndex, endColumn: column };
      if (quote === '"' && char === '\\' && column + 1 < line.length) {
        const next = line[column + 1] as string;
        value += ESCAPES[next] ?? `\\${next}`;
        raw += char + next;
        column += 2;
        continue;
      }
      value += char;
      raw += char;
      column++;
    }
    value += '\n';
    raw += '\n';
  }
  return null;
}
