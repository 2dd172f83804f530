import { isDeepStrictEqual } from 'node:util';
import { TomlError, parse } from 'smol-toml';
import { RekeyError } from '../../shared/errors';
import type { ConfigFormat, FormatEntry } from './format';
import { editMismatch, missingParent, unparseable, wrongShape } from './format-errors';
import { type KeySegment, formatKeyPath, parseKeyPath } from './key-path';
import { positionsIn } from './positions';
import { withValueAt } from './tree';
import { type TomlLayout, type TomlLeaf, scanToml } from './toml-scan';

/**
 * TOML configs. smol-toml parses and checks; toml-scan.ts finds where each value is written,
 * and only that value's bytes are replaced. A new key goes on a new line after the last
 * key/value line of its table (or into its inline table). Strings keep a literal ('...')
 * style when it can hold the new value, and are basic strings ("...") with escapes
 * otherwise; multi-line strings are rewritten as single-line basic strings.
 */

type Table = Record<string, unknown>;

export const tomlFormat: ConfigFormat = {
  name: 'toml',

  get(text, key) {
    const path = parseKeyPath(key);
    const found = locate(readToml(text), path, key);
    if (found.kind !== 'found') return undefined;
    const leaf = leafAt(scanToml(text), path, key);
    return typeof found.value === 'string' ? found.value : text.slice(leaf.start, leaf.end);
  },

  set(text, key, value) {
    const path = parseKeyPath(key);
    const data = readToml(text);
    const found = locate(data, path, key);
    if (found.kind === 'missing-parent') {
      throw missingParent(key, formatKeyPath(path.slice(0, found.depth)));
    }
    const layout = scanToml(text);
    let updated: string;
    if (found.kind === 'found') {
      const leaf = leafAt(layout, path, key);
      updated = text.slice(0, leaf.start) + renderString(value, leaf.kind) + text.slice(leaf.end);
    } else {
      updated = insertKey(text, layout, path, value, key);
    }
    verify(text, updated, path, value, key);
    return updated;
  },

  entries(text) {
    const data = readToml(text);
    const positions = positionsIn(text);
    return scanToml(text).leaves.flatMap((leaf): FormatEntry[] => {
      const value = valueAt(data, leaf.path);
      if (value === '' || !['string', 'number', 'bigint'].includes(typeof value)) {
        return [];
      }
      return [
        {
          key: formatKeyPath(leaf.path),
          value: typeof value === 'string' ? value : text.slice(leaf.start, leaf.end),
          line: positions(leaf.start).line,
        },
      ];
    });
  },
};

type Located =
  | { kind: 'found'; value: unknown }
  | { kind: 'missing-key'; parent: Table }
  | { kind: 'missing-parent'; depth: number };

function readToml(text: string): Table {
  try {
    return parse(text) as Table;
  } catch (error) {
    if (error instanceof TomlError) {
      throw unparseable('TOML', { line: error.line, column: error.column });
    }
    throw error;
  }
}

function isTable(value: unknown): value is Table {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function locate(data: Table, path: readonly KeySegment[], key: string): Located {
  let node: unknown = data;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth] as KeySegment;
    const where = depth === 0 ? 'the top level' : formatKeyPath(path.slice(0, depth));
    let child: unknown;
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) throw wrongShape(key, `${where} is not a list`);
      child = node[segment];
    } else {
      if (!isTable(node)) throw wrongShape(key, `${where} is not a table`);
      child = Object.hasOwn(node, segment) ? node[segment] : undefined;
      if (child === undefined && depth === path.length - 1) {
        return { kind: 'missing-key', parent: node };
      }
    }
    if (child === undefined) return { kind: 'missing-parent', depth: depth + 1 };
    node = child;
  }
  if (isTable(node) || Array.isArray(node)) {
    const shape = isTable(node) ? 'table' : 'list';
    throw wrongShape(key, `it holds a ${shape}, not a single value`);
  }
  return { kind: 'found', value: node };
}

function valueAt(data: unknown, path: readonly KeySegment[]): unknown {
  let node = data;
  for (const segment of path) {
    node = isTable(node) || Array.isArray(node) ? (node as Table)[segment] : undefined;
  }
  return node;
}

function leafAt(layout: TomlLayout, path: readonly KeySegment[], key: string): TomlLeaf {
  const leaf = layout.leaves.find((candidate) => isDeepStrictEqual(candidate.path, path));
  if (!leaf) throw editMismatch('TOML', key);
  return leaf;
}

/** Where a new `key = value` can be written, tried from the most to the least specific. */
function insertKey(
  text: string,
  layout: TomlLayout,
  path: readonly KeySegment[],
  value: string,
  key: string,
): string {
  const parent = path.slice(0, -1);
  const name = path.at(-1) as string;
  const inline = layout.inlineTables.find((table) => isDeepStrictEqual(table.path, parent));
  if (inline) {
    const member = `${renderKey(name)} = ${renderString(value)}`;
    let at = inline.close;
    while (/[ \t]/.test(text[at - 1] as string)) at--;
    const before = inline.empty ? ' ' : ', ';
    return `${text.slice(0, at)}${before}${member} ${text.slice(inline.close)}`;
  }
  // The table's own section, or the section whose dotted keys created the table.
  const sectionIndex = layout.sections.findIndex((section) =>
    isDeepStrictEqual(section.path, parent),
  );
  const dotted = layout.keyValues.find((entry) => {
    const base = (layout.sections[entry.section] as { path: KeySegment[] }).path;
    const full = [...base, ...entry.keys];
    return (
      base.length < parent.length &&
      full.length > parent.length &&
      isDeepStrictEqual(full.slice(0, parent.length), parent)
    );
  });
  const index = sectionIndex !== -1 ? sectionIndex : dotted?.section;
  const section = index === undefined ? undefined : layout.sections[index];
  if (!section) {
    throw new RekeyError(
      'NOT_FOUND',
      `cannot set ${key}: ${formatKeyPath(parent)} has no [table] header of its own to add the key under`,
    );
  }
  const relative = parent.slice(section.path.length) as string[];
  const dottedKey = [...relative, name].map(renderKey).join('.');
  const line = `${section.indent}${dottedKey} = ${renderString(value)}`;
  const eol = /\r?\n/.exec(text)?.[0] ?? '\n';
  const at = section.insertAt;
  if (at > 0 && text[at - 1] !== '\n') return `${text}${eol}${line}`;
  return `${text.slice(0, at)}${line}${eol}${text.slice(at)}`;
}

function renderKey(name: string): string {
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : basicString(name);
}

/** The value as a TOML string, keeping a literal string literal when it can stay one. */
function renderString(value: string, current?: TomlLeaf['kind']): string {
  const literalFits = [...value].every(
    (char) => char === '\t' || (char !== "'" && !isControl(char)),
  );
  return current === 'literal' && literalFits ? `'${value}'` : basicString(value);
}

const BASIC_ESCAPES: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
};

function basicString(value: string): string {
  const escaped = Array.from(
    value,
    (char) =>
      BASIC_ESCAPES[char] ??
      (isControl(char) ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char),
  );
  return `"${escaped.join('')}"`;
}

function verify(
  before: string,
  updated: string,
  path: readonly KeySegment[],
  value: string,
  key: string,
): void {
  const expected = withValueAt(parse(before), path, value);
  let actual: unknown;
  try {
    actual = parse(updated);
  } catch {
    throw editMismatch('TOML', key);
  }
  if (!isDeepStrictEqual(actual, expected)) throw editMismatch('TOML', key);
}

/** TOML strings may not hold C0 controls or DEL unescaped. */
function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}
