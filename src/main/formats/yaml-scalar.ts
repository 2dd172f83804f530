import { parseDocument } from 'yaml';

/**
 * Writes one YAML scalar on one line, in a style that every consumer reads back as exactly
 * the string: our users' programs parse YAML 1.2 (Go, Rust) or YAML 1.1 (PyYAML in Synapse),
 * and the two disagree on plain words like `on`, `0777` or `1_000`, so a plain scalar is
 * used only when both read it as that string. Quoted scalars are strings in both.
 */

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';

/**
 * Characters YAML does not allow unescaped (C0 and C1 controls other than tab, DEL, BOM,
 * non-characters, lone surrogates), or that YAML 1.1 takes as line breaks (NEL, LS, PS).
 */
function needsEscape(char: string): boolean {
  const code = char.codePointAt(0) as number;
  return (
    (code < 0x20 && code !== 0x09) ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0xfeff ||
    code === 0xfffe ||
    code === 0xffff ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

const PLAIN = /^[A-Za-z0-9_./+][A-Za-z0-9_./+=-]*$/;
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\\': '\\\\',
  '"': '\\"',
};

/** The scalar in `style`, or undefined when that style cannot hold the value. */
export function renderScalar(value: string, style: ScalarStyle): string | undefined {
  if (style === 'PLAIN') return isSafePlain(value) ? value : undefined;
  if (style === 'QUOTE_SINGLE') {
    return [...value].some((char) => char === '\t' || needsEscape(char))
      ? undefined
      : `'${value.replace(/'/g, "''")}'`;
  }
  const escaped = Array.from(value, (char) =>
    char === '\\' || char === '"' || char === '\t' || needsEscape(char) ? escape(char) : char,
  );
  return `"${escaped.join('')}"`;
}

/** A mapping key: plain when that is safe, else double-quoted. */
export function renderKey(name: string): string {
  return renderScalar(name, 'PLAIN') ?? (renderScalar(name, 'QUOTE_DOUBLE') as string);
}

function isSafePlain(value: string): boolean {
  if (!PLAIN.test(value)) return false;
  return (['1.1', '1.2'] as const).every((version) => {
    const doc = parseDocument(`${value}\n`, { version });
    return doc.errors.length === 0 && doc.toJS() === value;
  });
}

function escape(char: string): string {
  const named = NAMED_ESCAPES[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}
