/**
 * A test-only model of how docker compose v2 (compose-go's dotenv parser) reads the value
 * part of one `KEY=value` statement, written independently of src/ so the writer is checked
 * against compose's rules and not only against our own reader:
 * - single and double quotes end at the first quote not preceded by a backslash; an escaped
 *   quote loses its backslash, any other escaped character keeps it;
 * - double quotes then expand `\n \r \t \" \\` (and `\a \b \f \v`), turn `\$` into `$$`,
 *   and interpolate;
 * - unquoted values end at the line end, lose an inline comment starting at ` #`, are
 *   trimmed, and are interpolated;
 * - interpolation turns `$$` into `$` and any other `$` into a substitution, shown here as
 *   `<SUBSTITUTED>` so a test sees that compose would not read the literal value.
 * Returns undefined for an unterminated quote.
 */
export function composeReads(valuePart: string): string | undefined {
  const source = valuePart.replace(/^[ \t]+/, '');
  const quote = source[0];
  if (quote !== "'" && quote !== '"') {
    const line = source.split('\n')[0] as string;
    return interpolate((line.split(' #')[0] as string).trimEnd());
  }
  let chars = '';
  let escaped = false;
  for (let at = 1; at < source.length; at++) {
    const char = source[at] as string;
    if (escaped) {
      escaped = false;
      chars += char === quote ? char : `\\${char}`;
    } else if (char === '\\') {
      escaped = true;
    } else if (char === quote) {
      return quote === "'" ? chars : interpolate(expandEscapes(chars));
    } else {
      chars += char;
    }
  }
  return undefined;
}

const SHELL_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
  $: '$$',
};

function expandEscapes(text: string): string {
  return text.replace(/\\([abfnrtv"\\$])/g, (_match, char: string) => SHELL_ESCAPES[char] ?? '');
}

function interpolate(text: string): string {
  return text.replace(/\$(\$|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|)/g, (match) =>
    match === '$$' ? '$' : '<SUBSTITUTED>',
  );
}
