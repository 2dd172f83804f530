import {
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  isAlias,
  isMap,
  isScalar,
  isSeq,
} from 'yaml';
import { wrongShape } from './format-errors';
import { type KeySegment, formatKeyPath } from './key-path';

/** Finding a key path in a parsed YAML document. */

export type Doc = Document.Parsed;

export type Located =
  | { kind: 'found'; node: Node | null }
  | { kind: 'missing-key'; map: YAMLMap; name: string }
  | { kind: 'missing-parent'; depth: number };

/**
 * Follows `path` from the top. Reading sees through aliases and `<<` merge keys; writing
 * refuses aliases and looks only at the mapping's own keys (a key that comes from a merge
 * is added to the mapping itself, overriding the merged one here only).
 */
export function locate(
  doc: Doc,
  path: readonly KeySegment[],
  key: string,
  mode: 'read' | 'write',
): Located {
  let node: Node | null = doc.contents;
  for (let depth = 0; depth < path.length; depth++) {
    const where = depth === 0 ? 'the top level' : formatKeyPath(path.slice(0, depth));
    node = throughAlias(doc, node, where, key, mode);
    if (node === null || (isScalar(node) && node.value === null)) {
      return { kind: 'missing-parent', depth };
    }
    const segment = path[depth] as KeySegment;
    if (typeof segment === 'number') {
      if (!isSeq(node)) throw wrongShape(key, `${where} is not a list`);
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) return { kind: 'missing-parent', depth: depth + 1 };
      node = item;
      continue;
    }
    if (!isMap(node)) throw wrongShape(key, `${where} is not a mapping`);
    const pair = mode === 'read' ? readablePair(doc, node, segment) : ownPair(node, segment);
    if (pair) {
      node = pair.value as Node | null;
      continue;
    }
    if (depth === path.length - 1) return { kind: 'missing-key', map: node, name: segment };
    return { kind: 'missing-parent', depth: depth + 1 };
  }
  if (mode === 'write' && isAlias(node)) {
    throw wrongShape(key, aliasReason(formatKeyPath(path), node.source));
  }
  return { kind: 'found', node };
}

function throughAlias(
  doc: Doc,
  node: Node | null,
  where: string,
  key: string,
  mode: 'read' | 'write',
): Node | null {
  if (!isAlias(node)) return node;
  if (mode === 'write') throw wrongShape(key, aliasReason(where, node.source));
  return node.resolve(doc) ?? null;
}

function aliasReason(where: string, anchor: string): string {
  return (
    `${where} is an alias of &${anchor}; changing it would also change every other place ` +
    `that uses the anchor, so set the key where &${anchor} is defined instead`
  );
}

/** A mapping key as a path segment; undefined for merge keys, nulls and complex keys. */
export function keyName(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  if (typeof key.value === 'string') return key.value;
  if (typeof key.value === 'number' || typeof key.value === 'boolean')
    return String(key.source ?? key.value);
  return undefined;
}

function ownPair(map: YAMLMap, name: string): Pair | undefined {
  return map.items.find((pair) => keyName(pair.key) === name);
}

function readablePair(doc: Doc, map: YAMLMap, name: string): Pair | undefined {
  const own = ownPair(map, name);
  if (own) return own;
  for (const pair of map.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'symbol') continue;
    const value = pair.value as Node | null;
    const sources = isSeq(value) ? (value.items as Node[]) : [value];
    for (const source of sources) {
      const merged = isAlias(source) ? source.resolve(doc) : source;
      const found = isMap(merged) ? readablePair(doc, merged, name) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}
