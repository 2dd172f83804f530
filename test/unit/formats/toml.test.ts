import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { tomlFormat } from '../../../src/main/formats/toml';
import {
  HOSTILE_VALUES,
  expectNoValues,
  fixture,
  insertedLines,
  rekeyErrorOf,
  replacementOf,
} from './helpers';

const RELAY = fixture('toml/relay.toml');

type Path = (string | number)[];

function valueIn(data: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], data);
}

function setIn(data: unknown, path: Path, value: string): unknown {
  (valueIn(data, path.slice(0, -1)) as Record<string, unknown>)[path.at(-1) as string] = value;
  return data;
}

const TARGETS = [
  {
    key: 'admin.token',
    path: ['admin', 'token'],
    written: '"acc4175de69b699e2f41881300b090da"',
  },
  { key: 'database.password', path: ['database', 'password'], written: '\'Tr0ub4dor&3 "quoted"\'' },
  { key: 'database.pool.timeout', path: ['database', 'pool', 'timeout'], written: '"30s"' },
  {
    key: 'secrets.signing_key',
    path: ['secrets', 'signing_key'],
    written:
      '"""\n-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIGF0ZXN0a2V5Zm9ycmVrZXl0ZXN0cw==\n-----END PRIVATE KEY-----"""',
  },
  {
    key: 'secrets."webhook.token"',
    path: ['secrets', 'webhook.token'],
    written: '"c39d273380dc1b91680ab1f54e8dadd8"',
  },
  {
    key: 'upstreams[0].token',
    path: ['upstreams', 0, 'token'],
    written: '"j0E0Rgun9ChJbeW5L6IBf5YG6qsfxupUh6P8oo/NGYQ="',
  },
  {
    key: 'upstreams[1].token',
    path: ['upstreams', 1, 'token'],
    written: "'f2f0fae39981687e3e46be372eae09c0'",
  },
  {
    key: 'server.trusted_proxies[1]',
    path: ['server', 'trusted_proxies', 1],
    written: '"172.16.0.0/12"',
  },
];

type Target = (typeof TARGETS)[number];

function setAndCheck(target: Target, value: string, text = RELAY): string {
  const updated = tomlFormat.set(text, target.key, value);
  const replacement = replacementOf(text, updated, target.written);
  expect(parse(`v = ${replacement}`).v, JSON.stringify(value)).toBe(value);
  expect(parse(updated)).toEqual(setIn(parse(text), target.path, value));
  expect(tomlFormat.get(updated, target.key)).toBe(value);
  return replacement;
}

describe('toml: reading', () => {
  it('reads strings of every kind, numbers and dates as written, and absent keys', () => {
    expect(tomlFormat.get(RELAY, 'admin.token')).toBe('acc4175de69b699e2f41881300b090da');
    expect(tomlFormat.get(RELAY, 'database.password')).toBe('Tr0ub4dor&3 "quoted"');
    expect(tomlFormat.get(RELAY, 'secrets.signing_key')).toBe(
      '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIGF0ZXN0a2V5Zm9ycmVrZXl0ZXN0cw==\n-----END PRIVATE KEY-----',
    );
    expect(tomlFormat.get(RELAY, 'secrets."webhook.token"')).toBe(
      'c39d273380dc1b91680ab1f54e8dadd8',
    );
    expect(tomlFormat.get(RELAY, 'upstreams[1].name')).toBe('livekit');
    expect(tomlFormat.get(RELAY, 'server.workers')).toBe('4');
    expect(tomlFormat.get(RELAY, 'database.pool.max')).toBe('10');
    expect(tomlFormat.get(RELAY, 'upstreams[1].created')).toBe('2024-05-27T07:32:00Z');
    expect(tomlFormat.get(RELAY, 'nope')).toBeUndefined();
    expect(tomlFormat.get(RELAY, 'nope.deeper')).toBeUndefined();
    expect(tomlFormat.get(RELAY, 'upstreams[2].token')).toBeUndefined();
  });
});

describe('toml: setting an existing key changes only its value', () => {
  it.each(TARGETS.map((target) => [target.key, target]))('%s', (_key, target) => {
    setAndCheck(target as Target, 'Nn4vYw7qLzR2xK9pT5sB3dF8gH1jM6cV');
  });

  it('keeps literal strings literal when they can hold the value', () => {
    const byKey = (key: string) => TARGETS.find((target) => target.key === key) as Target;
    expect(setAndCheck(byKey('upstreams[1].token'), 'a "b" \\c')).toBe('\'a "b" \\c\'');
    expect(setAndCheck(byKey('upstreams[1].token'), "it's")).toBe('"it\'s"');
    expect(setAndCheck(byKey('admin.token'), 'a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(setAndCheck(byKey('secrets.signing_key'), 'one\ntwo')).toBe('"one\\ntwo"');
  });

  it('replaces a number or a date with a string', () => {
    expect(tomlFormat.set('port = 5432\n', 'port', '5433')).toBe('port = "5433"\n');
    expect(tomlFormat.set('d = 1979-05-27 07:32:00Z # c\n', 'd', 'x')).toBe('d = "x" # c\n');
  });
});

describe('toml: hostile values are read back exactly by smol-toml', () => {
  it.each(TARGETS.map((target) => [target.key, target]))('written over %s', (_key, target) => {
    for (const value of HOSTILE_VALUES) setAndCheck(target as Target, value);
  });

  it('as new keys', () => {
    for (const value of HOSTILE_VALUES) {
      const updated = tomlFormat.set(RELAY, 'database.user', value);
      expect(insertedLines(RELAY, updated)).toHaveLength(1);
      expect(parse(updated)).toEqual(setIn(parse(RELAY), ['database', 'user'], value));
    }
  });
});

describe('toml: adding a key', () => {
  it('adds after the last key/value line of its table', () => {
    const updated = tomlFormat.set(RELAY, 'database.user', 'relay');
    expect(insertedLines(RELAY, updated)).toEqual(['user = "relay"']);
    expect(updated).toContain('timeout = "30s" }\nuser = "relay"\n\n[secrets]');
  });

  it('copies the indentation of the table', () => {
    const updated = tomlFormat.set(RELAY, 'server.admin_secret', 'x');
    expect(updated).toContain('    "172.16.0.0/12",\n  ]\n  admin_secret = "x"\n\n[database]');
  });

  it('adds to one element of an array of tables', () => {
    const updated = tomlFormat.set(RELAY, 'upstreams[0].secret', 's');
    expect(updated).toContain('oo/NGYQ="\nsecret = "s"\n\n[[upstreams]]');
    expect(tomlFormat.get(updated, 'upstreams[1].secret')).toBeUndefined();
  });

  it('adds to a table made by dotted keys, and at the top level', () => {
    const dotted = tomlFormat.set(RELAY, 'admin.password', 'p');
    expect(dotted).toContain('the [admin] table\nadmin.password = "p"\n');
    const top = tomlFormat.set(RELAY, 'region', 'eu');
    expect(top).toContain('the [admin] table\nregion = "eu"\n');
  });

  it('adds into an inline table', () => {
    const updated = tomlFormat.set(RELAY, 'database.pool.password', 'p w');
    expect(updated).toContain('pool = { min = 2, max = 10, timeout = "30s", password = "p w" }\n');
    expect(tomlFormat.set('a = {}\n', 'a.b', 'c')).toBe('a = { b = "c" }\n');
  });

  it('quotes a key that needs it', () => {
    const updated = tomlFormat.set(RELAY, 'secrets."api key.v2"', 'v');
    expect(insertedLines(RELAY, updated)).toEqual(['"api key.v2" = "v"']);
  });
});

describe('toml: line endings', () => {
  it('keeps CRLF when setting and adding', () => {
    const crlf = RELAY.replace(/\n/g, '\r\n');
    const updated = tomlFormat.set(crlf, 'database.password', 'n3w');
    expect(replacementOf(crlf, updated, '\'Tr0ub4dor&3 "quoted"\'')).toBe("'n3w'");
    const added = tomlFormat.set(crlf, 'database.user', 'relay');
    expect(insertedLines(crlf, added, '\r\n')).toEqual(['user = "relay"']);
    expect(added.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('keeps a byte order mark', () => {
    expect(tomlFormat.set('\uFEFFa = "x"\nb = 1\n', 'a', 'y')).toBe('\uFEFFa = "y"\nb = 1\n');
  });

  it('keeps a missing final newline', () => {
    expect(tomlFormat.set('a = 1\nb = "old"', 'b', 'n3w')).toBe('a = 1\nb = "n3w"');
    expect(tomlFormat.set('a = 1\nb = "old"', 'c', 'v')).toBe('a = 1\nb = "old"\nc = "v"');
  });
});

describe('toml: errors', () => {
  const secrets = ['j0E0Rgun9ChJbeW5L6IB', 'hunter2-n3w-value'];

  it('reports a missing table as NOT_FOUND', () => {
    const message = rekeyErrorOf(
      () => tomlFormat.set(RELAY, 'smtp.password', secrets[1] as string),
      'NOT_FOUND',
    );
    expect(message).toContain('smtp');
    expectNoValues(message, secrets);
    rekeyErrorOf(() => tomlFormat.set(RELAY, 'upstreams[2].token', 'x'), 'NOT_FOUND');
    // `a` exists only because `[a.b]` mentions it: there is no place of its own to add to.
    rekeyErrorOf(() => tomlFormat.set('[a.b]\nc = 1\n', 'a.d', 'x'), 'NOT_FOUND');
  });

  it('refuses paths through values and collections as values', () => {
    for (const key of ['admin.token.x', 'database', 'upstreams', 'server.trusted_proxies']) {
      const message = rekeyErrorOf(
        () => tomlFormat.set(RELAY, key, secrets[1] as string),
        'INVALID_INPUT',
      );
      expectNoValues(message, secrets);
    }
    rekeyErrorOf(() => tomlFormat.get(RELAY, 'upstreams.token'), 'INVALID_INPUT');
  });

  it('reports unparseable TOML with its line and column but none of its text', () => {
    const broken = 'name = "relay"\ntoken = "hunter2-unterminated\n';
    const message = rekeyErrorOf(() => tomlFormat.get(broken, 'name'), 'FORMAT_ERROR');
    expect(message).toContain('line 2, column');
    expectNoValues(message, ['hunter2-unterminated']);
  });
});
