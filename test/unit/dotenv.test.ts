import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type DotenvEntry, parseDotenv } from '../../src/main/formats/dotenv';

/** Parses text that must have no problems and returns its entries as key -> value. */
function values(text: string): Record<string, string> {
  const { entries, problems } = parseDotenv(text);
  expect(problems).toEqual([]);
  return Object.fromEntries(entries.map((entry) => [entry.key, entry.value]));
}

function only(text: string): DotenvEntry {
  const { entries, problems } = parseDotenv(text);
  expect(problems).toEqual([]);
  expect(entries).toHaveLength(1);
  return entries[0] as DotenvEntry;
}

describe('parseDotenv: lines', () => {
  it('reads KEY=value with its line number and quoting', () => {
    expect(parseDotenv('POSTGRES_PASSWORD=s3cr3t\n')).toEqual({
      entries: [
        {
          key: 'POSTGRES_PASSWORD',
          value: 's3cr3t',
          line: 1,
          quote: 'none',
          interpolates: false,
        },
      ],
      problems: [],
    });
  });

  it('reads a file without a final newline, and an empty file', () => {
    expect(values('A=1\nB=2')).toEqual({ A: '1', B: '2' });
    expect(parseDotenv('')).toEqual({ entries: [], problems: [] });
    expect(parseDotenv('\n\n')).toEqual({ entries: [], problems: [] });
  });

  it('accepts an export prefix', () => {
    expect(only('export KEY=value')).toMatchObject({ key: 'KEY', value: 'value' });
    expect(only('export   KEY=value')).toMatchObject({ key: 'KEY', value: 'value' });
    expect(only('export\tKEY="value"')).toMatchObject({ key: 'KEY', value: 'value' });
    expect(only("  export KEY='value'")).toMatchObject({ key: 'KEY', value: 'value' });
  });

  it('keeps a key that merely starts with "export"', () => {
    expect(only('exported=1')).toMatchObject({ key: 'exported', value: '1' });
    expect(only('export=1')).toMatchObject({ key: 'export', value: '1' });
  });

  it('allows spaces and tabs around "=" and indentation', () => {
    expect(values('A = 1\nB\t=\t2\n  C=3\n\tD =4\nE= 5\nF="6"\nG = "7"\nH =\t\'8\'')).toEqual({
      A: '1',
      B: '2',
      C: '3',
      D: '4',
      E: '5',
      F: '6',
      G: '7',
      H: '8',
    });
  });

  it('allows letters, digits, "_", "." and "-" in keys', () => {
    expect(values('_A=1\na.b-c_D9=2\nlower=3')).toEqual({ _A: '1', 'a.b-c_D9': '2', lower: '3' });
  });

  it('skips blank lines and comment lines but counts them', () => {
    const text = ['# Synapse', '', '   ', 'A=1', '  # indented comment', '#B=2', '\t', 'C=3'].join(
      '\n',
    );
    const { entries, problems } = parseDotenv(text);
    expect(problems).toEqual([]);
    expect(entries.map(({ key, value, line }) => ({ key, value, line }))).toEqual([
      { key: 'A', value: '1', line: 4 },
      { key: 'C', value: '3', line: 8 },
    ]);
  });

  it('keeps values that contain "="', () => {
    expect(values('A=b=c\nB="x=y"\nC=\'==\'\nURL=postgres://u:p@h/db?sslmode=require&x=1')).toEqual(
      {
        A: 'b=c',
        B: 'x=y',
        C: '==',
        URL: 'postgres://u:p@h/db?sslmode=require&x=1',
      },
    );
  });

  it('reads empty values', () => {
    const { entries, problems } = parseDotenv('A=\nB=""\nC=\'\'\nD=   \nE="" # comment');
    expect(problems).toEqual([]);
    expect(entries.map(({ key, value, quote }) => [key, value, quote])).toEqual([
      ['A', '', 'none'],
      ['B', '', 'double'],
      ['C', '', 'single'],
      ['D', '', 'none'],
      ['E', '', 'double'],
    ]);
  });

  it('reports repeated keys as separate entries, in order', () => {
    const { entries } = parseDotenv('A=1\nA=2');
    expect(entries.map(({ key, value, line }) => [key, value, line])).toEqual([
      ['A', '1', 1],
      ['A', '2', 2],
    ]);
  });
});

describe('parseDotenv: unquoted values', () => {
  it('starts an inline comment only at "#" after whitespace', () => {
    expect(only('A=abc#def').value).toBe('abc#def');
    expect(only('A=abc #c').value).toBe('abc');
    expect(only('A=abc   # a comment # more').value).toBe('abc');
    expect(only('A=abc\t#c').value).toBe('abc');
    expect(only('A=a#b #c').value).toBe('a#b');
    expect(only('A=#abc').value).toBe('#abc');
  });

  it('trims surrounding whitespace but keeps inner spaces', () => {
    expect(only('A=hello world  ').value).toBe('hello world');
    expect(only('A=  padded\t').value).toBe('padded');
  });

  it('takes backslashes and quotes inside the value literally', () => {
    expect(only('A=a\\nb').value).toBe('a\\nb');
    expect(only('A=it\'s "fine"').value).toBe('it\'s "fine"');
  });
});

describe('parseDotenv: single quotes', () => {
  it('takes everything literally: no escapes, no comments, no interpolation', () => {
    const entry = only("A='x\\ny \\' $HOME # not a comment'");
    // The backslash does not escape the quote: the value ends at the first one.
    expect(entry).toMatchObject({ value: 'x\\ny \\', quote: 'single', interpolates: false });
    expect(only("A='a # b'").value).toBe('a # b');
    expect(only("A='$HOME ${USER}'")).toMatchObject({
      value: '$HOME ${USER}',
      interpolates: false,
    });
    expect(only('A=\'say "hi"\'').value).toBe('say "hi"');
  });

  it('keeps leading and trailing spaces inside the quotes', () => {
    expect(only("A='  spaced  '").value).toBe('  spaced  ');
  });

  it('ignores a comment after the closing quote', () => {
    expect(only("A='value' # comment").value).toBe('value');
    expect(only("A='value'# comment").value).toBe('value');
  });

  it('spans several lines', () => {
    const { entries, problems } = parseDotenv("A='line 1\n  line 2\n\nline 4'\nB=after");
    expect(problems).toEqual([]);
    expect(entries.map(({ key, value, line }) => [key, value, line])).toEqual([
      ['A', 'line 1\n  line 2\n\nline 4', 1],
      ['B', 'after', 5],
    ]);
  });
});

describe('parseDotenv: double quotes', () => {
  it('expands the escapes \\n \\r \\t \\" \\\\ and \\$', () => {
    const entry = only('A="a\\nb\\tc\\"d\\\\e\\$f\\rg"');
    expect(entry).toMatchObject({ value: 'a\nb\tc"d\\e$f\rg', quote: 'double' });
  });

  it('keeps unknown escapes as written', () => {
    expect(only('A="\\q\\x41\\u00e9"').value).toBe('\\q\\x41\\u00e9');
  });

  it('keeps "#" and single quotes inside the value', () => {
    expect(only('A="abc #def"').value).toBe('abc #def');
    expect(only('A="it\'s"').value).toBe("it's");
  });

  it('ignores a comment after the closing quote', () => {
    expect(only('A="value" # comment "quoted"').value).toBe('value');
  });

  it('spans several lines and keeps counting lines after the value', () => {
    const text = 'A="-----BEGIN KEY-----\nMIIB\\tx\n-----END KEY-----"\n# c\nB="two\n lines"\nC=3';
    const { entries, problems } = parseDotenv(text);
    expect(problems).toEqual([]);
    expect(entries.map(({ key, value, line }) => [key, value, line])).toEqual([
      ['A', '-----BEGIN KEY-----\nMIIB\tx\n-----END KEY-----', 1],
      ['B', 'two\n lines', 5],
      ['C', '3', 7],
    ]);
  });

  it('does not end a value at an escaped quote', () => {
    expect(only('A="say \\"hi\\" # ok"').value).toBe('say "hi" # ok');
  });

  it('keeps a backslash that ends a line inside the quotes', () => {
    expect(only('A="one\\\ntwo"').value).toBe('one\\\ntwo');
  });
});

describe('parseDotenv: files', () => {
  it('reads CRLF files without keeping carriage returns', () => {
    const text = 'A=1\r\nB="two\r\nlines"\r\nC=\'x\' \r\n# c\r\nD=abc #c\r\n';
    const { entries, problems } = parseDotenv(text);
    expect(problems).toEqual([]);
    expect(entries.map(({ key, value, line }) => [key, value, line])).toEqual([
      ['A', '1', 1],
      ['B', 'two\nlines', 2],
      ['C', 'x', 4],
      ['D', 'abc', 6],
    ]);
  });

  it('ignores a byte order mark', () => {
    expect(values('\uFEFFA=1\nB=2')).toEqual({ A: '1', B: '2' });
    expect(values('\uFEFF\r\nA=1')).toEqual({ A: '1' });
  });

  it('keeps unicode in values intact', () => {
    expect(values('A=p\u00e4ss\u{1F511}\nB="\u65e5\u672c\\n\u8a9e"')).toEqual({
      A: 'p\u00e4ss\u{1F511}',
      B: '\u65e5\u672c\n\u8a9e',
    });
  });
});

describe('parseDotenv: problems', () => {
  it('reports an unterminated quote at the line where it opens and goes on', () => {
    const { entries, problems } = parseDotenv('A=1\nB="open\nC=3\n');
    expect(problems).toEqual([{ line: 2, message: 'unterminated " quote' }]);
    expect(entries.map(({ key }) => key)).toEqual(['A', 'C']);

    const single = parseDotenv("# top\n\nX='never closed");
    expect(single.problems).toEqual([{ line: 3, message: "unterminated ' quote" }]);
    expect(single.entries).toEqual([]);
  });

  it('reports a double quote closed only by an escaped quote as unterminated', () => {
    expect(parseDotenv('A="abc\\"').problems).toEqual([
      { line: 1, message: 'unterminated " quote' },
    ]);
  });

  it('reports lines that are not assignments, with their line numbers', () => {
    const text = [
      'GOOD=1',
      'just some text',
      '=value',
      '1KEY=v',
      'KEY WITH SPACE=v',
      'export',
      'export KEY',
      'K$Y=v',
      'ALSO_GOOD=2',
    ].join('\n');
    const { entries, problems } = parseDotenv(text);
    expect(entries.map(({ key }) => key)).toEqual(['GOOD', 'ALSO_GOOD']);
    expect(problems).toEqual(
      [2, 3, 4, 5, 6, 7, 8].map((line) => ({ line, message: 'not a KEY=value line' })),
    );
  });
});

describe('parseDotenv: interpolation flag', () => {
  it.each([
    ['A=$HOME', true, '$HOME'],
    ['A=${DB_PASSWORD}', true, '${DB_PASSWORD}'],
    ['A=pa$$word', true, 'pa$$word'],
    ['A=plain', false, 'plain'],
    ["A='$HOME'", false, '$HOME'],
    ['A="$HOME"', true, '$HOME'],
    ['A="x-${Y}"', true, 'x-${Y}'],
    ['A="\\$HOME"', false, '$HOME'],
    ['A="\\\\$HOME"', true, '\\$HOME'],
    ['A="\\\\\\$HOME"', false, '\\$HOME'],
    ['A="a\\nb"', false, 'a\nb'],
    ['A="line\n$NEXT"', true, 'line\n$NEXT'],
  ] as const)('%j: interpolates %j', (text, interpolates, value) => {
    expect(only(text)).toMatchObject({ value, interpolates });
  });
});

describe('parseDotenv: fuzz', () => {
  const UNQUOTED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./+-';
  const ANY = [
    ...UNQUOTED,
    ...' =#$"\'\\!@%^&*(){}[]<>?,;:`~|',
    '\t',
    '\n',
    '\u00e9',
    '\u65e5',
    '\u{1F511}',
  ];

  const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T;

  function randomValue(): string {
    const pool = randomInt(3) === 0 ? [...UNQUOTED] : ANY;
    return Array.from({ length: randomInt(25) }, () => pick(pool)).join('');
  }

  function randomKey(index: number): string {
    const head = pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_']);
    const tail = Array.from({ length: randomInt(6) }, () => pick([...`${UNQUOTED}`]))
      .join('')
      .replace(/[/+]/g, '_');
    return `${head}${tail}_${index}`;
  }

  type Style = DotenvEntry['quote'];

  function stylesFor(value: string): Style[] {
    const styles: Style[] = ['double'];
    if (!value.includes("'") && !value.includes('\n')) styles.push('single');
    if (/^[A-Za-z0-9_./+-]*$/.test(value)) styles.push('none');
    return styles;
  }

  /** Writes one value; literal newlines inside double quotes use the file's line ending. */
  function write(value: string, style: Style, eol: string): string {
    if (style === 'none') return value;
    if (style === 'single') return `'${value}'`;
    let out = '';
    for (const char of value) {
      if (char === '\\') out += '\\\\';
      else if (char === '"') out += '\\"';
      else if (char === '$') out += '\\$';
      else if (char === '\n') out += randomInt(2) === 0 ? '\\n' : eol;
      else if (char === '\t') out += randomInt(2) === 0 ? '\\t' : '\t';
      else out += char;
    }
    return `"${out}"`;
  }

  it('reads back 2,000 random values written in every quoting style', () => {
    const counts: Record<Style, number> = { none: 0, single: 0, double: 0 };
    for (let file = 0; file < 20; file++) {
      const eol = file % 2 === 0 ? '\n' : '\r\n';
      const expected: { key: string; value: string; line: number; quote: Style }[] = [];
      let text = file % 4 === 1 ? '\uFEFF' : '';
      let line = 1;
      const emit = (chunk: string): void => {
        text += chunk + eol;
        line += chunk.split(eol).length;
      };
      for (let i = 0; i < 100; i++) {
        if (randomInt(4) === 0) emit(pick(['', '# a comment', '   ', '  # KEY=not this']));
        const key = randomKey(i);
        const value = randomValue();
        const quote = pick(stylesFor(value));
        counts[quote]++;
        const indent = pick(['', '  ', '\t']);
        const prefix = pick(['', '', 'export ', 'export\t']);
        const equals = pick(['=', ' = ', '\t=', '= ', '=\t']);
        const written = write(value, quote, eol);
        const comment =
          randomInt(3) === 0 && (quote !== 'none' || value !== '') ? pick([' # note', '  #x']) : '';
        expected.push({ key, value, line, quote });
        emit(`${indent}${prefix}${key}${equals}${written}${comment}`);
      }
      const { entries, problems } = parseDotenv(text);
      expect(problems).toEqual([]);
      expect(entries.map(({ key, value, line, quote }) => ({ key, value, line, quote }))).toEqual(
        expected,
      );
      for (const entry of entries) expect(entry.interpolates).toBe(false);
    }
    expect(counts.none + counts.single + counts.double).toBe(2000);
    // Every style is well represented, so the round trip tested each of them.
    expect(Math.min(counts.none, counts.single, counts.double)).toBeGreaterThan(100);
  });
});
