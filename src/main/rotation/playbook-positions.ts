import { type Document, type LineCounter, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { FieldPath } from './playbook-errors';

/**
 * Lines of a parsed YAML document's fields, for messages that point at the right place. A
 * field that is missing is reported at the line of the nearest mapping or list that exists.
 */
export class SourceLines {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** The line of the value at `path`, or of its nearest existing parent. */
  valueLine(path: FieldPath): number {
    return this.walk(path).line;
  }

  /** The line where `key` of the mapping at `path` is written. */
  keyLine(path: FieldPath, key: string): number {
    const { node, line, complete } = this.walk(path);
    if (!complete || !isMap(node)) return line;
    const pair = node.items.find((item) => keyText(item.key) === key);
    return this.lineOf(pair?.key) ?? line;
  }

  private walk(path: FieldPath): { node: unknown; line: number; complete: boolean } {
    let node: unknown = this.doc.contents;
    let line = this.lineOf(node) ?? 1;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      let next: unknown;
      let nextLine: number | undefined;
      if (isMap(node)) {
        const pair = node.items.find((item) => keyText(item.key) === String(segment));
        if (!pair) return { node, line, complete: false };
        next = pair.value;
        nextLine = this.lineOf(pair.value) ?? this.lineOf(pair.key);
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
        if (next === undefined) return { node, line, complete: false };
        nextLine = this.lineOf(next);
      } else {
        return { node, line, complete: false };
      }
      node = next;
      line = nextLine ?? line;
    }
    return { node, line, complete: true };
  }

  private lineOf(node: unknown): number | undefined {
    const range = (node as { range?: readonly number[] } | null | undefined)?.range;
    const start = range?.[0];
    return start === undefined ? undefined : this.lines.linePos(start).line;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}
