import { isDeepStrictEqual } from 'node:util';
import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { ConfigFormat, FormatEntry } from './format';
import { editMismatch, missingParent, unparseable, wrongShape } from './format-errors';
import { type KeySegment, formatKeyPath, parseKeyPath } from './key-path';
import { type SourcePosition, positionAt, positionsIn } from './positions';
import { withValueAt } from './tree';

/**
 * JSON configs. jsonc-parser finds the exact source range of a value; the new value is
 * spliced into that range (a new key is inserted after its mapping's last member, copying
 * that member's indentation and `:` spacing), so indentation, key order and every other
 * byte stay. The result is checked with JSON.parse, which is what consumers use.
 */

export const jsonFormat: ConfigFormat = {
  name: 'json',

  get(text, key) {
    const path = parseKeyPath(key);
    const found = locate(readTree(text), path, key);
    if (found.kind !== 'found') return undefined;
    return scalarText(text, found.node, key);
  },

  set(text, key, value) {
    const path = parseKeyPath(key);
    const found = locate(readTree(text), path, key);
    let updated: string;
    if (found.kind === 'found') {
      checkSingleValue(found.node, key);
      const { offset, length } = found.node;
      updated = text.slice(0, offset) + JSON.stringify(value) + text.slice(offset + length);
    } else if (found.kind === 'missing-key') {
      updated = insertMember(text, found.parent, found.name, value);
    } else {
      throw missingParent(key, formatKeyPath(path.slice(0, found.depth)));
    }
    verify(text, updated, path, value, key);
    return updated;
  },

  entries(text) {
    const entries: FormatEntry[] = [];
    collect(text, positionsIn(text), readTree(text), [], entries);
    return entries;
  },
};

type Located =
  | { kind: 'found'; node: Node }
  | { kind: 'missing-key'; parent: Node; name: string }
  | { kind: 'missing-parent'; depth: number };

function readTree(text: string): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const error = errors[0];
  if (error || !root) {
    const at = positionAt(text, error?.offset ?? 0);
    throw unparseable('JSON', at, error ? describeError(error) : 'the file is empty');
  }
  return root;
}

function describeError(error: ParseError): string {
  return printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

function locate(root: Node, path: readonly KeySegment[], key: string): Located {
  let node = root;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth] as KeySegment;
    const last = depth === path.length - 1;
    const child = childAt(node, segment, formatKeyPath(path.slice(0, depth)), key);
    if (child) {
      node = child;
      continue;
    }
    if (last && typeof segment === 'string')
      return { kind: 'missing-key', parent: node, name: segment };
    return { kind: 'missing-parent', depth: depth + 1 };
  }
  return { kind: 'found', node };
}

function childAt(node: Node, segment: KeySegment, where: string, key: string): Node | undefined {
  const at = where === '' ? 'the top level' : where;
  if (typeof segment === 'number') {
    if (node.type !== 'array') throw wrongShape(key, `${at} is not a list`);
    return node.children?.[segment];
  }
  if (node.type !== 'object') throw wrongShape(key, `${at} is not a mapping`);
  // JSON.parse keeps the last of repeated names, so that is the one that counts.
  const member = node.children?.findLast((property) => property.children?.[0]?.value === segment);
  return member?.children?.[1];
}

function checkSingleValue(node: Node, key: string): void {
  if (node.type === 'object' || node.type === 'array') {
    const shape = node.type === 'object' ? 'mapping' : 'list';
    throw wrongShape(key, `it holds a ${shape}, not a single value`);
  }
}

/** The value's text as the consumer reads it; null reads as absent. */
function scalarText(text: string, node: Node, key: string): string | undefined {
  checkSingleValue(node, key);
  if (node.type === 'null') return undefined;
  if (node.type === 'string') return node.value as string;
  return text.slice(node.offset, node.offset + node.length);
}

function insertMember(text: string, parent: Node, name: string, value: string): string {
  const member = `${JSON.stringify(name)}${separatorOf(text, parent)}${JSON.stringify(value)}`;
  const last = parent.children?.at(-1);
  if (!last) {
    const open = parent.offset + 1;
    const close = parent.offset + parent.length - 1;
    if (!/[\r\n]/.test(text.slice(open, close))) {
      return `${text.slice(0, open)}${member}${text.slice(open)}`;
    }
    // An empty mapping over several lines: indent one level deeper than its closing brace.
    const closeIndent = lineIndent(text, close);
    const unit = indentUnit(text);
    return `${text.slice(0, open)}${eolOf(text)}${closeIndent}${unit}${member}${text.slice(open)}`;
  }
  const end = last.offset + last.length;
  const sameLine = !/[\r\n]/.test(text.slice(parent.offset, last.offset));
  const gap = sameLine ? ' ' : `${eolOf(text)}${lineIndent(text, last.offset)}`;
  return `${text.slice(0, end)},${gap}${member}${text.slice(end)}`;
}

/** The `:` with its spaces as the mapping's last member has it (`": "` by default). */
function separatorOf(text: string, parent: Node): string {
  const last = parent.children?.at(-1);
  const [name, value] = last?.children ?? [];
  if (!name || !value) return ': ';
  return text.slice(name.offset + name.length, value.offset);
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

function indentUnit(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
}

function eolOf(text: string): string {
  return /\r?\n/.exec(text)?.[0] ?? '\n';
}

function verify(
  before: string,
  updated: string,
  path: readonly KeySegment[],
  value: string,
  key: string,
): void {
  const expected = withValueAt(JSON.parse(before), path, value);
  let actual: unknown;
  try {
    actual = JSON.parse(updated);
  } catch {
    throw editMismatch('JSON', key);
  }
  if (!isDeepStrictEqual(actual, expected)) throw editMismatch('JSON', key);
}

function collect(
  text: string,
  positions: (offset: number) => SourcePosition,
  node: Node,
  path: KeySegment[],
  into: FormatEntry[],
): void {
  if (node.type === 'object') {
    for (const property of node.children ?? []) {
      const [name, value] = property.children ?? [];
      if (name && value) collect(text, positions, value, [...path, name.value as string], into);
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((item, index) =>
      collect(text, positions, item, [...path, index], into),
    );
  } else if ((node.type === 'string' && node.value !== '') || node.type === 'number') {
    into.push({
      key: formatKeyPath(path),
      value:
        node.type === 'string'
          ? (node.value as string)
          : text.slice(node.offset, node.offset + node.length),
      line: positions(node.offset).line,
    });
  }
}
