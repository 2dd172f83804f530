import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { yamlFormat } from '../../../src/main/formats/yaml';
import {
  HOSTILE_VALUES,
  expectNoValues,
  fixture,
  insertedLines,
  rekeyErrorOf,
  replacementOf,
} from './helpers';

const SYNCTV = fixture('synctv/config.yaml');
const LIVEKIT = fixture('livekit/livekit.yaml');
const SYNAPSE = fixture('synapse/homeserver.yaml');

type Path = (string | number)[];

/** The file as PyYAML (1.1) or a YAML 1.2 program reads it. */
function load(text: string, version: '1.1' | '1.2' = '1.2'): unknown {
  return parse(text, { version, merge: true });
}

function valueIn(data: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], data);
}

/** `data` with the value at `path` replaced (mutates and returns it). */
function setIn(data: unknown, path: Path, value: string): unknown {
  const parent = valueIn(data, path.slice(0, -1)) as Record<string, unknown>;
  parent[path.at(-1) as string] = value;
  return data;
}

interface Target {
  file: string;
  text: string;
  key: string;
  path: Path;
  /** The value as written in the fixture. */
  written: string;
}

const TARGETS: Target[] = [
  ['synctv', SYNCTV, 'jwt.secret', '"RfTrUfAdqr7OrWeBjZ2+N3jo2ujYy99gsB/KfGN/SEA="'],
  [
    'synctv',
    SYNCTV,
    'server.cluster_secret',
    '677f383d5f75cc26ca7fc69c2901ca5d8c5d88b0f2c9913dbad5d13815238f9e',
  ],
  [
    'synctv',
    SYNCTV,
    'security.opaque_server_setup_secret',
    "'CUHV6erf64g0vUNYFP9WYeUq21wIAux/FGy7t32bvRM7DWvSi3hz6Wcjm/MVdIqY'",
  ],
  [
    'synctv',
    SYNCTV,
    'security.credential_encryption_key',
    'acc4175de69b699e2f41881300b090da24c35bfc491cf886faa9909f7b116a05',
  ],
  ['synctv', SYNCTV, 'redis.password', 'NkXIInBQZN1w5ibT5aVSVPGqWDnFsCEbaY05WyX1Cgc='],
  [
    'synctv',
    SYNCTV,
    'management.auth_token',
    '58048dc325aa888dbc3ba95cdbd5fbae1af49e13eb4cb59332f4d42c12332a3d',
  ],
  ['synctv', SYNCTV, 'metrics.auth.bearer_token', '"c6bdf841db5488111ed8de2617d68efc"'],
  [
    'livekit',
    LIVEKIT,
    'keys.APIq7CmhW4RfKzN',
    'f2f0fae39981687e3e46be372eae09c061e130fa31d65bd003d7d393c3b597e9',
  ],
  [
    'livekit',
    LIVEKIT,
    'keys.APIold9xT2vLp3',
    '"c39d273380dc1b91680ab1f54e8dadd8ceab24184af8fbf1f955e2173807baa1"',
  ],
  ['livekit', LIVEKIT, 'redis.password', 'j0E0Rgun9ChJbeW5L6IBf5YG6qsfxupUh6P8oo/NGYQ='],
  ['synapse', SYNAPSE, 'registration_shared_secret', '"x-9Qf~Hn=uYw,E6bKc@Lz.Yp:Vu^t5R3;aD+Mj8"'],
  ['synapse', SYNAPSE, 'macaroon_secret_key', '"1aZ#pQ7&rV3$wL9*kT2^nB5@xC8!mF4%hJ6(gD0)"'],
  ['synapse', SYNAPSE, 'form_secret', '"UvW;f.4gH3k,Q~9sXo:E=Zt2pRaL7yNc^M1b+dJ6"'],
  ['synapse', SYNAPSE, 'database.args.password', '"b78i0TRi0l34Sv8aof9iTwyT1OIOdD0Dp3tjp9InFnM="'],
  ['synapse', SYNAPSE, 'signing_key_path', '"/data/example.org.signing.key"'],
].map(([file, text, key, written]) => ({
  file: file as string,
  text: text as string,
  key: key as string,
  path: (key as string).split('.'),
  written: written as string,
}));

/** Sets, then proves: only the value's bytes changed and both YAML versions read the value. */
function setAndCheck(target: Target, value: string): string {
  const updated = yamlFormat.set(target.text, target.key, value);
  const replacement = replacementOf(target.text, updated, target.written);
  expect(valueIn(load(updated, '1.2'), target.path), JSON.stringify(value)).toBe(value);
  expect(valueIn(load(updated, '1.1'), target.path), JSON.stringify(value)).toBe(value);
  expect(load(updated)).toEqual(setIn(load(target.text), target.path, value));
  expect(yamlFormat.get(updated, target.key)).toBe(value);
  return replacement;
}

describe('yaml: reading', () => {
  it('reads secrets from the fixtures', () => {
    expect(yamlFormat.get(SYNCTV, 'jwt.secret')).toBe(
      'RfTrUfAdqr7OrWeBjZ2+N3jo2ujYy99gsB/KfGN/SEA=',
    );
    expect(yamlFormat.get(LIVEKIT, 'keys.APIq7CmhW4RfKzN')).toBe(
      'f2f0fae39981687e3e46be372eae09c061e130fa31d65bd003d7d393c3b597e9',
    );
    expect(yamlFormat.get(SYNAPSE, 'macaroon_secret_key')).toBe(
      '1aZ#pQ7&rV3$wL9*kT2^nB5@xC8!mF4%hJ6(gD0)',
    );
    expect(yamlFormat.get(SYNAPSE, 'database.args.password')).toBe(
      'b78i0TRi0l34Sv8aof9iTwyT1OIOdD0Dp3tjp9InFnM=',
    );
  });

  it('reads list items, numbers as written, and absent keys as undefined', () => {
    expect(yamlFormat.get(SYNAPSE, 'listeners[0].port')).toBe('8008');
    expect(yamlFormat.get(SYNAPSE, 'listeners[0].resources[0].names[1]')).toBe('federation');
    expect(yamlFormat.get(SYNCTV, 'server.trusted_proxies[0]')).toBe('10.0.0.0/8');
    expect(yamlFormat.get(SYNAPSE, 'no_such_key')).toBeUndefined();
    expect(yamlFormat.get(SYNAPSE, 'no_such.key')).toBeUndefined();
    expect(yamlFormat.get(SYNAPSE, 'listeners[5].port')).toBeUndefined();
    expect(yamlFormat.get('a:\nb: ~\n', 'a')).toBeUndefined();
    expect(yamlFormat.get('a:\nb: ~\n', 'b')).toBeUndefined();
  });

  it('reads through aliases and merge keys', () => {
    expect(yamlFormat.get(SYNCTV, 'migrations.database_password')).toBe('Tr0ub4dor&3 with spaces');
    const merged = 'base: &base\n  user: app\n  password: s3\nprod:\n  <<: *base\n  user: prod\n';
    expect(yamlFormat.get(merged, 'prod.password')).toBe('s3');
    expect(yamlFormat.get(merged, 'prod.user')).toBe('prod');
  });

  it('reads quoted key segments', () => {
    const text = 'keys:\n  "API.with.dots": s1\n  \'say "x"\': s2\n';
    expect(yamlFormat.get(text, 'keys."API.with.dots"')).toBe('s1');
    expect(yamlFormat.get(text, 'keys."say \\"x\\""')).toBe('s2');
  });

  it('refuses to read a mapping or list as one value', () => {
    rekeyErrorOf(() => yamlFormat.get(SYNAPSE, 'database'), 'INVALID_INPUT');
    rekeyErrorOf(() => yamlFormat.get(SYNAPSE, 'listeners'), 'INVALID_INPUT');
    rekeyErrorOf(() => yamlFormat.get(SYNAPSE, 'server_name.x'), 'INVALID_INPUT');
    rekeyErrorOf(() => yamlFormat.get(SYNAPSE, 'listeners.port'), 'INVALID_INPUT');
    rekeyErrorOf(() => yamlFormat.get(SYNAPSE, 'database[0]'), 'INVALID_INPUT');
  });
});

describe('yaml: setting an existing key changes only its value', () => {
  it.each(TARGETS.map((target) => [`${target.file}: ${target.key}`, target]))(
    '%s',
    (_name, target) => {
      setAndCheck(target as Target, 'Nn4vYw7qLzR2xK9pT5sB3dF8gH1jM6cVb0a');
    },
  );

  it('keeps the style in use when it can hold the value', () => {
    const byKey = (key: string) => TARGETS.find((target) => target.key === key) as Target;
    expect(setAndCheck(byKey('jwt.secret'), 'n3w')).toBe('"n3w"');
    expect(setAndCheck(byKey('security.opaque_server_setup_secret'), 'n3w')).toBe("'n3w'");
    expect(setAndCheck(byKey('server.cluster_secret'), 'n3w+/=')).toBe('n3w+/=');
    expect(setAndCheck(byKey('security.opaque_server_setup_secret'), "it's")).toBe("'it''s'");
  });

  it('quotes a plain value that a YAML 1.1 or 1.2 reader would not take as that string', () => {
    const plain = TARGETS.find((target) => target.key === 'server.cluster_secret') as Target;
    for (const [value, written] of [
      ['on', "'on'"],
      ['123', "'123'"],
      ['0777', "'0777'"],
      ['1_000', "'1_000'"],
      ['123e4567', "'123e4567'"],
      ['null', "'null'"],
      ['a: b', "'a: b'"],
      ['x #y', "'x #y'"],
      ['line1\nline2', '"line1\\nline2"'],
      ['', "''"],
    ]) {
      expect(setAndCheck(plain, value as string)).toBe(written);
    }
  });

  it('sets an anchored value, which its aliases share', () => {
    const updated = yamlFormat.set(SYNCTV, 'database.password', 'n3w pass');
    expect(replacementOf(SYNCTV, updated, "'Tr0ub4dor&3 with spaces'")).toBe("'n3w pass'");
    expect(yamlFormat.get(updated, 'migrations.database_password')).toBe('n3w pass');
    expect(updated).toContain('password: &db_password ');
    expect(updated).toContain('database_password: *db_password\n');
  });

  it('replaces an empty value, keeping the comment after it', () => {
    expect(yamlFormat.set('a:\nb: 1\n', 'a', 'v')).toBe('a: v\nb: 1\n');
    expect(yamlFormat.set('a: # note\nb: 1\n', 'a', 'v')).toBe('a: v # note\nb: 1\n');
    expect(yamlFormat.set('a: ~\n', 'a', 'v')).toBe('a: v\n');
  });

  it('replaces a block scalar with a one-line scalar, keeping what follows', () => {
    const text = 'key: |\n  -----BEGIN-----\n  abc\nnext: 1\n';
    expect(yamlFormat.set(text, 'key', 'one\ntwo')).toBe('key: "one\\ntwo"\nnext: 1\n');
  });

  it('sets a value inside a flow mapping and a list', () => {
    expect(yamlFormat.set('db: { user: app, password: old }\n', 'db.password', 'n3w')).toBe(
      'db: { user: app, password: n3w }\n',
    );
    expect(yamlFormat.set('db: { user: app, password: old }\n', 'db.password', 'a, b: c')).toBe(
      "db: { user: app, password: 'a, b: c' }\n",
    );
    expect(yamlFormat.set('tokens:\n  - one\n  - two\n', 'tokens[1]', 't w o')).toBe(
      "tokens:\n  - one\n  - 't w o'\n",
    );
  });
});

describe('yaml: hostile values are read back exactly', () => {
  const keys = [
    'jwt.secret',
    'server.cluster_secret',
    'security.opaque_server_setup_secret',
    'metrics.auth.bearer_token',
    'keys.APIq7CmhW4RfKzN',
    'registration_shared_secret',
  ];
  it.each(keys)('written over %s', (key) => {
    const target = TARGETS.find((candidate) => candidate.key === key) as Target;
    for (const value of HOSTILE_VALUES) setAndCheck(target, value);
  });

  it('as new keys', () => {
    for (const value of HOSTILE_VALUES) {
      const updated = yamlFormat.set(LIVEKIT, 'keys.APInewKey0001', value);
      expect(insertedLines(LIVEKIT, updated)).toHaveLength(1);
      expect(valueIn(load(updated, '1.1'), ['keys', 'APInewKey0001'])).toBe(value);
      expect(load(updated)).toEqual(setIn(load(LIVEKIT), ['keys', 'APInewKey0001'], value));
    }
  });
});

describe('yaml: adding a key', () => {
  it('adds an API key to livekit keys: on a new line, with the same indentation', () => {
    const updated = yamlFormat.set(LIVEKIT, 'keys.APInewKey0001', 'a1b2c3');
    expect(insertedLines(LIVEKIT, updated)).toEqual(['  APInewKey0001: a1b2c3']);
    expect(updated).toContain('# retire after the next rotation\n  APInewKey0001: a1b2c3\n\nturn:');
  });

  it('adds after a nested mapping, at the level of its parent', () => {
    const updated = yamlFormat.set(SYNCTV, 'metrics.scrape_token', 'tok');
    expect(insertedLines(SYNCTV, updated)).toEqual(['  scrape_token: tok']);
    expect(updated).toContain('Prometheus scrape config\n  scrape_token: tok\n');
  });

  it('adds at the top level at the end of the file', () => {
    const updated = yamlFormat.set(SYNAPSE, 'turn_shared_secret', 's e c');
    expect(updated).toBe(`${SYNAPSE}turn_shared_secret: 's e c'\n`);
  });

  it('adds inside a flow mapping', () => {
    const updated = yamlFormat.set(SYNCTV, 'server.cors.max_age', '600');
    expect(replacementOf(SYNCTV, updated, 'allow_credentials: true }')).toBe(
      "allow_credentials: true, max_age: '600' }",
    );
    expect(yamlFormat.set('a: {}\n', 'a.b', 'c')).toBe('a: {b: c}\n');
  });

  it('quotes a key that needs it', () => {
    const updated = yamlFormat.set(LIVEKIT, 'keys."API key: 1"', 'v');
    expect(insertedLines(LIVEKIT, updated)).toEqual(['  "API key: 1": v']);
    expect(yamlFormat.get(updated, 'keys."API key: 1"')).toBe('v');
  });

  it('adds to a mapping that merges another one, overriding it there only', () => {
    const text = 'base: &base\n  user: app\nprod:\n  <<: *base\n  host: db\n';
    const updated = yamlFormat.set(text, 'prod.user', 'prod-user');
    expect(updated).toBe(`${text}  user: prod-user\n`);
    expect(yamlFormat.get(updated, 'base.user')).toBe('app');
  });
});

describe('yaml: line endings', () => {
  const crlf = SYNAPSE.replace(/\n/g, '\r\n');

  it('keeps CRLF when setting and adding', () => {
    const set = yamlFormat.set(crlf, 'form_secret', 'n3w\nline');
    expect(replacementOf(crlf, set, '"UvW;f.4gH3k,Q~9sXo:E=Zt2pRaL7yNc^M1b+dJ6"')).toBe(
      '"n3w\\nline"',
    );
    const added = yamlFormat.set(crlf, 'database.args.sslmode', 'require');
    expect(insertedLines(crlf, added, '\r\n')).toEqual(['    sslmode: require']);
    expect(added.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('keeps a byte order mark and a version directive', () => {
    expect(yamlFormat.set('\uFEFFa: old\nb: 1\n', 'a', 'n3w')).toBe('\uFEFFa: n3w\nb: 1\n');
    expect(yamlFormat.set('%YAML 1.1\n---\na: old # c\n...\n', 'a', 'yes')).toBe(
      "%YAML 1.1\n---\na: 'yes' # c\n...\n",
    );
  });

  it('keeps a missing final newline', () => {
    expect(yamlFormat.set('a: 1\nb: old', 'b', 'n3w')).toBe('a: 1\nb: n3w');
    expect(yamlFormat.set('a: 1\nb: old', 'c', 'v')).toBe('a: 1\nb: old\nc: v');
  });
});

describe('yaml: errors', () => {
  const secrets = ['Tr0ub4dor&3 with spaces', 'hunter2-n3w-value'];

  it('refuses to change a value through an alias, explaining why', () => {
    const message = rekeyErrorOf(
      () => yamlFormat.set(SYNCTV, 'migrations.database_password', secrets[1] as string),
      'INVALID_INPUT',
    );
    expect(message).toContain('&db_password');
    expect(message).toContain('every other place');
    expectNoValues(message, secrets);

    const onPath = 'base: &b\n  x: old-secret-1\nother: *b\n';
    const pathMessage = rekeyErrorOf(() => yamlFormat.set(onPath, 'other.x', 'v'), 'INVALID_INPUT');
    expect(pathMessage).toContain('&b');
    expectNoValues(pathMessage, ['old-secret-1']);
  });

  it('reports a missing mapping on the way as NOT_FOUND', () => {
    const message = rekeyErrorOf(
      () => yamlFormat.set(SYNCTV, 'oauth2.github.client_secret', secrets[1] as string),
      'NOT_FOUND',
    );
    expect(message).toContain('oauth2');
    expectNoValues(message, secrets);
    rekeyErrorOf(() => yamlFormat.set(SYNAPSE, 'listeners[3].port', 'x'), 'NOT_FOUND');
    rekeyErrorOf(() => yamlFormat.set('a:\n', 'a.b', 'x'), 'NOT_FOUND');
    rekeyErrorOf(() => yamlFormat.set('', 'a', 'x'), 'NOT_FOUND');
  });

  it('refuses paths through values and collections as values', () => {
    for (const key of ['jwt.secret.inner', 'jwt', 'server.trusted_proxies', 'jwt[0]']) {
      const message = rekeyErrorOf(
        () => yamlFormat.set(SYNCTV, key, secrets[1] as string),
        'INVALID_INPUT',
      );
      expectNoValues(message, [...secrets, 'RfTrUfAdqr7OrWeBjZ2']);
    }
  });

  it('reports unparseable YAML with its line and column but none of its text', () => {
    const broken = 'jwt:\n  secret: "hunter2-unterminated\nother: 1\n';
    const message = rekeyErrorOf(() => yamlFormat.set(broken, 'other', 'x'), 'FORMAT_ERROR');
    expect(message).toMatch(/line \d+, column \d+/);
    expectNoValues(message, ['hunter2-unterminated', 'secret']);
    rekeyErrorOf(() => yamlFormat.get('a: 1\n---\nb: 2\n', 'a'), 'FORMAT_ERROR');
    rekeyErrorOf(() => yamlFormat.entries('a: [1, 2\nb: x\n'), 'FORMAT_ERROR');
  });

  it('refuses malformed key paths', () => {
    for (const key of ['', 'a..b', '.a', 'a.', 'a[x]', 'a["b"]', '"open']) {
      rekeyErrorOf(() => yamlFormat.get(SYNCTV, key), 'INVALID_INPUT');
    }
  });
});
