import { RekeyError } from '../../shared/errors';

/**
 * Placeholders in playbook text: `${name}` is a deployment variable, `${secret.pending}` the
 * value a rotation puts in place and `${secret.current}` the value it replaces. `$${` writes
 * a literal `${` (for a shell snippet that needs one). Values are substituted once: a value
 * that itself contains `${...}` is never expanded again.
 */

export const SECRET_LABELS = ['pending', 'current'] as const;
export type SecretLabel = (typeof SECRET_LABELS)[number];

export const VARIABLE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export type Placeholder =
  { kind: 'variable'; name: string } | { kind: 'secret'; label: SecretLabel };

type Piece = { kind: 'text'; text: string } | Placeholder;

interface Scan {
  pieces: Piece[];
  /** Why the text is not a valid template (never quoting the text itself). */
  problem: string | null;
}

function scan(text: string): Scan {
  const pieces: Piece[] = [];
  let literal = '';
  let at = 0;
  while (at < text.length) {
    const dollar = text.indexOf('$', at);
    if (dollar === -1) {
      literal += text.slice(at);
      break;
    }
    literal += text.slice(at, dollar);
    if (text.startsWith('$${', dollar)) {
      literal += '${';
      at = dollar + 3;
      continue;
    }
    if (text[dollar + 1] !== '{') {
      literal += '$';
      at = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) return { pieces, problem: 'a "${" is never closed with "}"' };
    const placeholder = parsePlaceholder(text.slice(dollar + 2, close));
    if (typeof placeholder === 'string') return { pieces, problem: placeholder };
    if (literal) pieces.push({ kind: 'text', text: literal });
    literal = '';
    pieces.push(placeholder);
    at = close + 1;
  }
  if (literal) pieces.push({ kind: 'text', text: literal });
  return { pieces, problem: null };
}

function parsePlaceholder(inner: string): Placeholder | string {
  if (inner.startsWith('secret.')) {
    const label = inner.slice('secret.'.length);
    return (SECRET_LABELS as readonly string[]).includes(label)
      ? { kind: 'secret', label: label as SecretLabel }
      : 'a secret placeholder is ${secret.pending} (the new value) or ${secret.current} (the value it replaces)';
  }
  if (!VARIABLE_NAME.test(inner)) {
    return 'placeholders are ${variable_name} (lower case, digits, "_") or ${secret.pending} / ${secret.current}; write $${ for a literal ${';
  }
  return { kind: 'variable', name: inner };
}

/** The placeholders of `text`, or the reason it is not a valid template. */
export function placeholdersIn(
  text: string,
): { ok: true; placeholders: Placeholder[] } | { ok: false; problem: string } {
  const { pieces, problem } = scan(text);
  if (problem !== null) return { ok: false, problem };
  return { ok: true, placeholders: pieces.filter((piece) => piece.kind !== 'text') };
}

export function usesSecret(text: string, label?: SecretLabel): boolean {
  const found = placeholdersIn(text);
  return (
    found.ok &&
    found.placeholders.some(
      (placeholder) =>
        placeholder.kind === 'secret' && (label === undefined || placeholder.label === label),
    )
  );
}

export interface TemplateValues {
  variables: ReadonlyMap<string, string>;
  /** Only the steps that may carry a value (stdin, env, HTTP headers and bodies) get these. */
  secret?: Partial<Record<SecretLabel, string>>;
}

/** `text` with every placeholder replaced; an unknown variable or value is an INVALID_INPUT. */
export function expandTemplate(text: string, values: TemplateValues): string {
  const { pieces, problem } = scan(text);
  if (problem !== null) throw new RekeyError('INVALID_INPUT', problem);
  return pieces
    .map((piece) => {
      switch (piece.kind) {
        case 'text':
          return piece.text;
        case 'variable': {
          const value = values.variables.get(piece.name);
          if (value === undefined) {
            throw new RekeyError(
              'INVALID_INPUT',
              `undefined variable \${${piece.name}}; declare it under variables`,
            );
          }
          return value;
        }
        case 'secret': {
          const value = values.secret?.[piece.label];
          if (value === undefined) {
            throw new RekeyError(
              'INVALID_INPUT',
              `\${secret.${piece.label}} is not available in this place`,
            );
          }
          return value;
        }
      }
    })
    .join('');
}

/**
 * The template with its literal text passed through `literal` and each placeholder replaced by
 * `placeholder(...)`; null when it is not a valid template.
 */
export function rewriteTemplate(
  text: string,
  literal: (text: string) => string,
  placeholder: (placeholder: Placeholder) => string,
): string | null {
  const { pieces, problem } = scan(text);
  if (problem !== null) return null;
  return pieces
    .map((piece) => (piece.kind === 'text' ? literal(piece.text) : placeholder(piece)))
    .join('');
}

/** A regular expression source matching the template, placeholders as `wildcard` says. */
export function templatePattern(
  text: string,
  wildcard: (placeholder: Placeholder) => string,
): string | null {
  return rewriteTemplate(
    text,
    (literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    wildcard,
  );
}

/** The template's literal text alone: empty when it is nothing but placeholders. */
export function literalText(text: string): string | null {
  return rewriteTemplate(
    text,
    (literal) => literal,
    () => '',
  );
}
