import { describe, expect, it } from 'vitest';
import { jsonFormat } from '../../../src/main/formats/json';
import { HOSTILE_VALUES, expectNoValues, fixture, rekeyErrorOf, replacementOf } from './helpers';

const SPACES = fixture('json/app.json');
const TABS = fixture('json/tabs.json');

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
    text: SPACES,
    key: 'livekit.secret',
    path: ['livekit', 'secret'],
    written: '"f2f0fae39981687e3e46be372eae09c061e130fa31d65bd003d7d393c3b597e9"',
  },
  {
    text: SPACES,
    key: 'database.password',
    path: ['database', 'password'],
    written: '"Tr0ub4dor&3"',
  },
  {
    text: SPACES,
    key: 'webhooks[1].token',
    path: ['webhooks', 1, 'token'],
    written: '"b78i0TRi0l34Sv8aof9iTwyT1OIOd"',
  },
  {
    text: TABS,
    key: 'server.admin_token',
    path: ['server', 'admin_token'],
    written: '"58048dc325aa888dbc3ba95cdbd5fbae"',
  },
  {
    text: TABS,
    key: 'oauth.client_secret',
    path: ['oauth', 'client_secret'],
    written: '"NkXIInBQZN1w5ibT5aVSVPGqWDnFsCEbaY05WyX1Cgc="',
  },
];

type Target = (typeof TARGETS)[number];

function setAndCheck(target: Target, value: string): string {
  const updated = jsonFormat.set(target.text, target.key, value);
  const replacement = replacementOf(target.text, updated, target.written);
  expect(JSON.parse(replacement)).toBe(value);
  expect(JSON.parse(updated)).toEqual(setIn(JSON.parse(target.text), target.path, value));
  expect(jsonFormat.get(updated, target.key)).toBe(value);
  return replacement;
}

describe('json: reading', () => {
  it('reads strings, numbers as written, nested lists, and absent keys', () => {
    expect(jsonFormat.get(SPACES, 'livekit.key')).toBe('APIq7CmhW4RfKzN');
    expect(jsonFormat.get(SPACES, 'database.port')).toBe('5432');
    expect(jsonFormat.get(SPACES, 'debug')).toBe('false');
    expect(jsonFormat.get(SPACES, 'webhooks[0].token')).toBe('c6bdf841db5488111ed8de2617d68efc');
    expect(jsonFormat.get(TABS, 'oauth.client_id')).toBe('rekey-demo');
    expect(jsonFormat.get(SPACES, 'nope')).toBeUndefined();
    expect(jsonFormat.get(SPACES, 'nope.deeper')).toBeUndefined();
    expect(jsonFormat.get(SPACES, 'webhooks[7].token')).toBeUndefined();
    expect(jsonFormat.get('{"a": null}', 'a')).toBeUndefined();
  });

  it('reads keys that need quoting, and the last of repeated keys (as JSON.parse does)', () => {
    expect(jsonFormat.get('{"a.b": {"c": "x"}}', '"a.b".c')).toBe('x');
    expect(jsonFormat.get('{"a": "first", "a": "second"}', 'a')).toBe('second');
    expect(jsonFormat.set('{"a": "first", "a": "second"}', 'a', 'n3w')).toBe(
      '{"a": "first", "a": "n3w"}',
    );
  });
});

describe('json: setting an existing key changes only its value', () => {
  it.each(TARGETS.map((target) => [target.key, target]))('%s', (_key, target) => {
    expect(setAndCheck(target as Target, 'Nn4vYw7qLzR2xK9pT5sB3dF8gH1jM6cV')).toBe(
      '"Nn4vYw7qLzR2xK9pT5sB3dF8gH1jM6cV"',
    );
  });

  it('keeps a missing final newline and tab indentation', () => {
    const updated = jsonFormat.set(TABS, 'server.admin_token', 'x');
    expect(updated.endsWith('}')).toBe(true);
    expect(updated).toContain('\n\t\t"admin_token": "x",\n');
  });

  it('replaces a number or null with a string', () => {
    expect(jsonFormat.set('{\n  "port": 5432\n}\n', 'port', '5433')).toBe(
      '{\n  "port": "5433"\n}\n',
    );
    expect(jsonFormat.set('{"a": null}', 'a', 'v')).toBe('{"a": "v"}');
  });

  it('keeps CRLF', () => {
    const crlf = SPACES.replace(/\n/g, '\r\n');
    const updated = jsonFormat.set(crlf, 'livekit.new_secret', 'v');
    expect(updated.replace(/\r\n/g, '')).not.toContain('\n');
    expect(updated).toContain('3b597e9",\r\n    "new_secret": "v"\r\n  },');
  });
});

describe('json: hostile values are read back exactly by JSON.parse', () => {
  it.each(TARGETS.map((target) => [target.key, target]))('written over %s', (_key, target) => {
    for (const value of HOSTILE_VALUES) setAndCheck(target as Target, value);
  });

  it('as new keys and as key names', () => {
    for (const value of HOSTILE_VALUES) {
      const updated = jsonFormat.set(SPACES, 'livekit.added', value);
      expect(JSON.parse(updated)).toEqual(setIn(JSON.parse(SPACES), ['livekit', 'added'], value));
    }
    const weird = jsonFormat.set(SPACES, 'features."a.b \\"c\\""', 'v');
    expect(JSON.parse(weird).features).toEqual({ 'a.b "c"': 'v' });
  });
});

describe('json: adding a key', () => {
  it('adds after the last member, copying its indentation', () => {
    const updated = jsonFormat.set(SPACES, 'livekit.jwt_secret', 'abc');
    expect(
      replacementOf(
        SPACES,
        updated,
        '"f2f0fae39981687e3e46be372eae09c061e130fa31d65bd003d7d393c3b597e9"\n',
      ),
    ).toBe(
      '"f2f0fae39981687e3e46be372eae09c061e130fa31d65bd003d7d393c3b597e9",\n    "jwt_secret": "abc"\n',
    );
  });

  it('adds with tabs in a tab-indented file', () => {
    const updated = jsonFormat.set(TABS, 'oauth.refresh_token', 'abc');
    expect(updated).toBe(
      TABS.replace(
        '"NkXIInBQZN1w5ibT5aVSVPGqWDnFsCEbaY05WyX1Cgc="\n',
        '"NkXIInBQZN1w5ibT5aVSVPGqWDnFsCEbaY05WyX1Cgc=",\n\t\t"refresh_token": "abc"\n',
      ),
    );
  });

  it('adds on the same line in a one-line object, and into an empty object', () => {
    expect(jsonFormat.set(SPACES, 'database.user', 'app')).toBe(
      SPACES.replace('"password": "Tr0ub4dor&3" }', '"password": "Tr0ub4dor&3", "user": "app" }'),
    );
    expect(jsonFormat.set(SPACES, 'features.x', 'y')).toBe(
      SPACES.replace('"features": {}', '"features": {"x": "y"}'),
    );
    expect(jsonFormat.set('{\n  "a": {\n  }\n}\n', 'a.b', 'c')).toBe(
      '{\n  "a": {\n    "b": "c"\n  }\n}\n',
    );
  });

  it('adds at the top level', () => {
    expect(jsonFormat.set(SPACES, 'admin_token', 't')).toBe(
      SPACES.replace('"debug": false\n}', '"debug": false,\n  "admin_token": "t"\n}'),
    );
  });
});

describe('json: errors', () => {
  const secrets = ['f2f0fae39981687e3e46be372eae09c0', 'hunter2-n3w-value'];

  it('reports a missing parent as NOT_FOUND', () => {
    const message = rekeyErrorOf(
      () => jsonFormat.set(SPACES, 'smtp.password', secrets[1] as string),
      'NOT_FOUND',
    );
    expect(message).toContain('smtp');
    expectNoValues(message, secrets);
    rekeyErrorOf(() => jsonFormat.set(SPACES, 'webhooks[2].token', 'x'), 'NOT_FOUND');
  });

  it('refuses paths through values and collections as values', () => {
    for (const key of ['livekit.secret.x', 'livekit', 'webhooks', 'livekit[0]', 'webhooks.url']) {
      const message = rekeyErrorOf(
        () => jsonFormat.set(SPACES, key, secrets[1] as string),
        'INVALID_INPUT',
      );
      expectNoValues(message, secrets);
    }
    rekeyErrorOf(() => jsonFormat.set('["a"]', 'x', 'b'), 'INVALID_INPUT');
    expect(jsonFormat.set('["a", "b"]', '[1]', 'c')).toBe('["a", "c"]');
  });

  it('reports unparseable JSON with its line and column but none of its text', () => {
    const broken = '{\n  "secret": "hunter2-oops",\n  "next": ,\n}\n';
    const message = rekeyErrorOf(() => jsonFormat.get(broken, 'secret'), 'FORMAT_ERROR');
    expect(message).toContain('line 3, column');
    expectNoValues(message, ['hunter2-oops']);
    rekeyErrorOf(() => jsonFormat.get('{"a": 1} // comment', 'a'), 'FORMAT_ERROR');
    rekeyErrorOf(() => jsonFormat.get('', 'a'), 'FORMAT_ERROR');
  });
});
