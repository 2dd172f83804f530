import type { KeySegment } from './key-path';

/**
 * Where things are written in a TOML file, which TOML libraries do not report: the source
 * range of every scalar with its full key path, the tables (`[a.b]`, `[[a]]` elements and
 * the top level) with where their key/value lines end, every key/value line, and inline
 * tables. Only ever run on text that smol-toml has already accepted, so it does not
 * re-validate; it only has to walk valid TOML the same way.
 */

export type TomlStringKind = 'basic' | 'literal' | 'multiline-basic' | 'multiline-literal';

export interface TomlLeaf {
  path: KeySegment[];
  start: number;
  end: number;
  kind: TomlStringKind | 'other';
}

export interface TomlSection {
  path: KeySegment[];
  /** Where a new key/value line goes: just after the last one, or after the header line. */
  insertAt: number;
  /** Indentation of the section's last key/value line. */
  indent: string;
}

export interface TomlKeyValue {
  /** Index into `sections`. */
  section: number;
  /** The dotted key as written, relative to the section. */
  keys: string[];
}

export interface TomlInlineTable {
  path: KeySegment[];
  /** Offset of the closing `}`. */
  close: number;
  empty: boolean;
}

export interface TomlLayout {
  leaves: TomlLeaf[];
  sections: TomlSection[];
  keyValues: TomlKeyValue[];
  inlineTables: TomlInlineTable[];
}

const BARE_KEY = /[A-Za-z0-9_-]/;
const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\x1b',
  '"': '"',
  '\\': '\\',
};

export function scanToml(text: string): TomlLayout {
  return new Scanner(text).scan();
}

class Scanner {
  private at: number;
  private readonly layout: TomlLayout = {
    leaves: [],
    sections: [{ path: [], insertAt: 0, indent: '' }],
    keyValues: [],
    inlineTables: [],
  };
  /** How many elements each array of tables has so far, by its resolved path. */
  private readonly arrayTables = new Map<string, number>();

  constructor(private readonly text: string) {
    this.at = text.startsWith('\uFEFF') ? 1 : 0;
  }

  scan(): TomlLayout {
    let section = 0;
    for (;;) {
      this.skipBlankAndComments();
      if (this.at >= this.text.length) return this.layout;
      if (this.text[this.at] === '[') {
        section = this.header();
        continue;
      }
      const lineStart = this.text.lastIndexOf('\n', this.at - 1) + 1;
      const indent = this.text.slice(lineStart, this.at);
      const current = this.layout.sections[section] as TomlSection;
      const keys = this.keyValue(current.path);
      this.layout.keyValues.push({ section, keys });
      current.insertAt = this.endOfLine();
      current.indent = indent;
    }
  }

  private header(): number {
    const isArray = this.text.startsWith('[[', this.at);
    this.at += isArray ? 2 : 1;
    const keys = this.dottedKey();
    this.at += isArray ? 2 : 1;
    const path: KeySegment[] = [];
    keys.forEach((key, index) => {
      path.push(key);
      const id = JSON.stringify(path);
      const count = this.arrayTables.get(id);
      if (isArray && index === keys.length - 1) {
        this.arrayTables.set(id, (count ?? 0) + 1);
        path.push(count ?? 0);
      } else if (count !== undefined) {
        path.push(count - 1);
      }
    });
    this.layout.sections.push({ path, insertAt: this.endOfLine(), indent: '' });
    return this.layout.sections.length - 1;
  }

  /** `key = value` from the key; returns the dotted key. */
  private keyValue(base: readonly KeySegment[]): string[] {
    const keys = this.dottedKey();
    this.skipSpaces();
    this.at++; // '='
    this.skipSpaces();
    this.value([...base, ...keys]);
    return keys;
  }

  private value(path: KeySegment[]): void {
    const start = this.at;
    const char = this.text[this.at];
    if (char === '[') return this.array(path);
    if (char === '{') return this.inlineTable(path);
    let kind: TomlLeaf['kind'] = 'other';
    if (this.text.startsWith('"""', this.at)) kind = this.multilineString('"');
    else if (this.text.startsWith("'''", this.at)) kind = this.multilineString("'");
    else if (char === '"' || char === "'") kind = this.quotedString(char).kind;
    else {
      while (this.at < this.text.length && !/[,\]}#\r\n]/.test(this.text[this.at] as string)) {
        this.at++;
      }
      while (this.at > start && /[ \t]/.test(this.text[this.at - 1] as string)) this.at--;
    }
    this.layout.leaves.push({ path, start, end: this.at, kind });
  }

  private array(path: KeySegment[]): void {
    this.at++; // '['
    for (let index = 0; ; index++) {
      this.skipBlankAndComments();
      if (this.text[this.at] === ']') break;
      this.value([...path, index]);
      this.skipBlankAndComments();
      if (this.text[this.at] === ',') this.at++;
    }
    this.at++; // ']'
  }

  private inlineTable(path: KeySegment[]): void {
    this.at++; // '{'
    let empty = true;
    for (;;) {
      this.skipBlankAndComments();
      if (this.text[this.at] === '}') break;
      this.keyValue(path);
      empty = false;
      this.skipBlankAndComments();
      if (this.text[this.at] === ',') this.at++;
    }
    this.layout.inlineTables.push({ path, close: this.at, empty });
    this.at++; // '}'
  }

  private dottedKey(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipSpaces();
      const char = this.text[this.at] as string;
      if (char === '"' || char === "'") keys.push(this.quotedString(char).value);
      else {
        const start = this.at;
        while (BARE_KEY.test(this.text[this.at] ?? '')) this.at++;
        keys.push(this.text.slice(start, this.at));
      }
      this.skipSpaces();
      if (this.text[this.at] !== '.') return keys;
      this.at++;
    }
  }

  private quotedString(quote: string): { value: string; kind: TomlStringKind } {
    this.at++;
    let value = '';
    while (this.text[this.at] !== quote) {
      const char = this.text[this.at] as string;
      if (quote === '"' && char === '\\') {
        value += this.escape();
        continue;
      }
      value += char;
      this.at++;
    }
    this.at++;
    return { value, kind: quote === '"' ? 'basic' : 'literal' };
  }

  private multilineString(quote: string): TomlStringKind {
    this.at += 3;
    for (;;) {
      if (quote === '"' && this.text[this.at] === '\\') {
        this.at += 2;
        continue;
      }
      if (this.text.startsWith(quote.repeat(3), this.at)) break;
      this.at++;
    }
    // Up to two quotes right before the closing three belong to the value.
    let run = 3;
    while (run < 5 && this.text[this.at + run] === quote) run++;
    this.at += run;
    return quote === '"' ? 'multiline-basic' : 'multiline-literal';
  }

  /** Reads one escape in a basic string (only keys need the decoded text). */
  private escape(): string {
    const kind = this.text[this.at + 1] as string;
    const digits = kind === 'u' ? 4 : kind === 'U' ? 8 : kind === 'x' ? 2 : 0;
    if (digits > 0) {
      const code = Number.parseInt(this.text.slice(this.at + 2, this.at + 2 + digits), 16);
      this.at += 2 + digits;
      return String.fromCodePoint(code);
    }
    this.at += 2;
    return ESCAPES[kind] ?? kind;
  }

  private skipSpaces(): void {
    while (this.text[this.at] === ' ' || this.text[this.at] === '\t') this.at++;
  }

  private skipBlankAndComments(): void {
    for (;;) {
      const char = this.text[this.at];
      if (char === ' ' || char === '\t' || char === '\r' || char === '\n') this.at++;
      else if (char === '#') this.at = this.endOfLine();
      else return;
    }
  }

  /** Offset just past the current line's line break (or the end of the text). */
  private endOfLine(): number {
    const lineEnd = this.text.indexOf('\n', this.at);
    return lineEnd === -1 ? this.text.length : lineEnd + 1;
  }
}
