import type { KeySegment } from './key-path';

/**
 * Parsed configs as plain data, for checking an edit: the file parsed before the edit, with
 * the one value changed here, must equal the file parsed after it.
 */

/** Sets the value at `path` in `root` (mutating it) and returns `root`. */
export function withValueAt(root: unknown, path: readonly KeySegment[], value: string): unknown {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    node = isContainer(node) ? (node as Record<KeySegment, unknown>)[segment] : undefined;
  }
  const last = path.at(-1);
  if (!isContainer(node) || last === undefined) return undefined;
  // defineProperty, not assignment: a key named `__proto__` must stay an ordinary key.
  Object.defineProperty(node, last, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return root;
}

function isContainer(node: unknown): node is object {
  return typeof node === 'object' && node !== null && !(node instanceof Date);
}
