import { isDeepStrictEqual } from 'node:util';
import {
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
} from 'yaml';
import type { ConfigFormat, FormatEntry } from './format';
import { editMismatch, missingParent, unparseable, wrongShape } from './format-errors';
import { type KeySegment, formatKeyPath, parseKeyPath } from './key-path';
import { positionsIn } from './positions';
import { type Doc, keyName, locate } from './yaml-locate';
import { type ScalarStyle, renderKey, renderScalar } from './yaml-scalar';

/**
 * YAML configs (SyncTV, LiveKit, Synapse). The `yaml` package's document gives the source
 * range of every node; the new scalar is spliced into the range of the old one, so comments,
 * anchors, aliases, flow style and quoting elsewhere keep their bytes. The new scalar keeps
 * the old one's style when that style can hold it; each candidate is checked by parsing the
 * result, which must equal the old document with that one value changed.
 *
 * An alias on the path cannot be edited here: the value belongs to its anchor, and changing
 * it would change every other place that uses the anchor. Editing the anchored node itself
 * is allowed (its aliases then follow, as YAML intends).
 */

// `<<` merge keys, as PyYAML and Go's yaml.v3 read them.
const PARSE_OPTIONS = { merge: true } as const;

export const yamlFormat: ConfigFormat = {
  name: 'yaml',

  get(text, key) {
    const path = parseKeyPath(key);
    const doc = readDocument(text);
    const found = locate(doc, path, key, 'read');
    if (found.kind !== 'found') return undefined;
    const node = isAlias(found.node) ? found.node.resolve(doc) : found.node;
    return scalarText(text, node ?? null, key);
  },

  set(text, key, value) {
    const path = parseKeyPath(key);
    const doc = readDocument(text);
    const found = locate(doc, path, key, 'write');
    if (found.kind === 'missing-parent') {
      throw missingParent(key, formatKeyPath(path.slice(0, found.depth)));
    }
    const expected = expectedAfter(doc, path, key, value);
    const candidates =
      found.kind === 'found'
        ? replacements(text, found.node, key, value)
        : insertions(text, found.map, found.name, value);
    for (const candidate of candidates) {
      if (parsesAs(candidate, expected)) return candidate;
    }
    throw editMismatch('YAML', key);
  },

  entries(text) {
    const doc = readDocument(text);
    const entries: FormatEntry[] = [];
    collect(text, positionsIn(text), doc.contents, [], entries);
    return entries;
  },
};

function readDocument(text: string): Doc {
  const doc = parseDocument(text, PARSE_OPTIONS);
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0] ?? { line: 1, col: 1 };
    const reason = error.code.toLowerCase().replace(/_/g, ' ');
    throw unparseable('YAML', { line: at.line, column: at.col }, reason);
  }
  return doc;
}

function scalarText(text: string, node: Node | null, key: string): string | undefined {
  if (isMap(node) || isSeq(node)) {
    throw wrongShape(key, `it holds a ${isMap(node) ? 'mapping' : 'list'}, not a single value`);
  }
  if (!isScalar(node) || node.value === null) return undefined;
  if (typeof node.value === 'string') return node.value;
  const range = node.range;
  return range ? text.slice(range[0], range[1]) : String(node.value);
}

/** The old document with the value set, as plain data: what the new text must parse to. */
function expectedAfter(doc: Doc, path: readonly KeySegment[], key: string, value: string): unknown {
  const copy = doc.clone();
  const found = locate(copy as Doc, path, key, 'write');
  if (found.kind === 'missing-key') {
    found.map.items.push(copy.createPair(found.name, value));
  } else if (found.kind === 'found' && isScalar(found.node)) {
    found.node.value = value;
  } else if (found.kind === 'found') {
    throw wrongShape(key, 'it holds a mapping or a list, not a single value');
  }
  try {
    return copy.toJS();
  } catch {
    // For instance more aliases than toJS expands by default: too odd a file to edit safely.
    throw editMismatch('YAML', key);
  }
}

function parsesAs(text: string, expected: unknown): boolean {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) return false;
  try {
    return isDeepStrictEqual(doc.toJS(), expected);
  } catch {
    return false;
  }
}

/** The text with the scalar replaced, once per style worth trying, best first. */
function replacements(text: string, node: Node | null, key: string, value: string): string[] {
  if (!isScalar(node) || !node.range) {
    throw wrongShape(key, 'it holds a mapping or a list, not a single value');
  }
  const [start, valueEnd] = node.range;
  // A block scalar's range runs over its final line break; that break stays.
  const end = start + text.slice(start, valueEnd).trimEnd().length;
  const before = start > 0 && !/\s/.test(text[start - 1] as string) ? ' ' : '';
  const after = start === end && /^[#\]}]/.test(text.slice(end)) ? ' ' : '';
  return styles(node.type).flatMap((style) => {
    const rendered = renderScalar(value, style);
    if (rendered === undefined) return [];
    return [text.slice(0, start) + before + rendered + after + text.slice(end)];
  });
}

function styles(current: Scalar['type']): ScalarStyle[] {
  const order: ScalarStyle[] = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'];
  const kept = order.find((style) => style === current);
  return kept ? [kept, ...order.filter((style) => style !== kept)] : order;
}

/** The text with `name: value` added to the mapping, once per value style. */
function insertions(text: string, map: YAMLMap, name: string, value: string): string[] {
  return styles(undefined).flatMap((style) => {
    const rendered = renderScalar(value, style);
    if (rendered === undefined) return [];
    const member = `${renderKey(name)}: ${rendered}`;
    return [map.flow ? insertInFlow(text, map, member) : insertInBlock(text, map, member)];
  });
}

function insertInFlow(text: string, map: YAMLMap, member: string): string {
  const close = (map.range?.[1] ?? 0) - 1;
  let at = close;
  while (at > 0 && /\s/.test(text[at - 1] as string)) at--;
  const separator = map.items.length === 0 || text[at - 1] === ',' ? '' : ',';
  const space = text[at - 1] === '{' ? '' : ' ';
  return text.slice(0, at) + separator + space + member + text.slice(at);
}

function insertInBlock(text: string, map: YAMLMap, member: string): string {
  const last = map.items.at(-1) as Pair;
  const keyStart = (last.key as Node).range?.[0] ?? 0;
  const indent = ' '.repeat(keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1));
  const lastNode = (last.value ?? last.key) as Node;
  let at = lastNode.range?.[2] ?? text.length;
  const eol = /\r?\n/.exec(text)?.[0] ?? '\n';
  if (text[at - 1] !== '\n') {
    const lineEnd = text.indexOf('\n', at);
    if (lineEnd === -1) return `${text}${eol}${indent}${member}`;
    at = lineEnd + 1;
  }
  return `${text.slice(0, at)}${indent}${member}${eol}${text.slice(at)}`;
}

function collect(
  text: string,
  positions: (offset: number) => { line: number },
  node: unknown,
  path: KeySegment[],
  into: FormatEntry[],
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = keyName(pair.key);
      if (name !== undefined) collect(text, positions, pair.value, [...path, name], into);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => collect(text, positions, item, [...path, index], into));
  } else if (
    isScalar(node) &&
    node.range &&
    ((typeof node.value === 'string' && node.value !== '') || typeof node.value === 'number')
  ) {
    const value =
      typeof node.value === 'string' ? node.value : text.slice(node.range[0], node.range[1]);
    into.push({ key: formatKeyPath(path), value, line: positions(node.range[0]).line });
  }
}
