/**
 * Reads `.env` files the way docker compose does, because that is the program whose view of
 * the value matters: `export` prefixes, `#` comments (inline only after whitespace when the
 * value is unquoted), single quotes taken literally, double quotes with backslash escapes,
 * and quoted values spanning several lines. Writing a key back (format-preserving) is the
 * connectors' job and builds on the positions recorded here.
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
  const entries: DotenvEntry[] = [];
  const problems: DotenvProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const raw = lines[index] ?? '';
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const assignment = trimmed.replace(/^export\s+/, '');
    const equals = assignment.indexOf('=');
    const key = (equals === -1 ? assignment : assignment.slice(0, equals)).trim();
    if (equals === -1 || !KEY.test(key)) {
      problems.push({ line: lineNumber, message: 'not a KEY=value line' });
      continue;
    }
    const rest = assignment.slice(equals + 1).replace(/^[ \t]+/, '');
    const quote = rest[0];
    if (quote === "'" || quote === '"') {
      // Keys never contain '=', so the first one in the raw line is the separator.
      const valueColumn = raw.length - raw.slice(raw.indexOf('=') + 1).trimStart().length;
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
    });
  }
  return { entries, problems };
}

/** Reads a quoted value starting after its opening quote, across lines if needed. */
function readQuoted(
  lines: readonly string[],
  startLine: number,
  startColumn: number,
  quote: "'" | '"',
): { value: string; raw: string; endLine: number } | null {
  let value = '';
  let raw = '';
  for (let lineIndex = startLine; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex] ?? '';
    let column = lineIndex === startLine ? startColumn : 0;
    while (column < line.length) {
      const char = line[column] as string;
      if (char === quote) return { value, raw, endLine: lineIndex };
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
