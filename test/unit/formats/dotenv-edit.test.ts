import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../src/main/formats/dotenv';
import { dotenvFormat } from '../../../src/main/formats/dotenv-edit';
import { composeReads } from './compose-model';
import {
  HOSTILE_VALUES,
  expectNoValues,
  fixture,
  insertedLines,
  rekeyErrorOf,
  replacementOf,
} from './helpers';

const ENV = fixture('compose/.env');
const CRLF = fixture('compose/crlf.env');
const NO_FINAL_NEWLINE = fixture('compose/no-final-newline.env');

/** key -> value as our compose-rules reader sees the file; it must have no problems. */
function read(text: string): Map<string, string> {
  const { entries, problems } = parseDotenv(text);
  expect(problems).toEqual([]);
  return new Map(entries.map((entry) => [entry.key, entry.value]));
}

/** The key's (last) value is taken literally: compose would not interpolate anything in it. */
function expectLiteral(text: string, key: string): void {
  const entry = parseDotenv(text).entries.findLast((candidate) => candidate.key === key);
  expect(entry?.interpolates, key).toBe(false);
}

/** The file's values with one changed: what the edited file must read as. */
function withValue(text: string, key: string, value: string): Map<string, string> {
  return new Map(read(text)).set(key, value);
}

// Each existing value as written in the fixture, to locate its bytes independently.
const WRITTEN = {
  POSTGRES_PASSWORD: "'Tr0ub4dor&3 # not a comment'",
  LIVEKIT_SECRET: '"f2f0fae39981687e3e46be372eae09c061e130fa31d65bd003d7d393c3b597e9"',
  REDIS_PASSWORD: 'j0E0Rgun9ChJbeW5L6IBf5YG6qsfxupUh6P8oo/NGYQ=',
  SYNCTV_JWT_SECRET: 'RfTrUfAdqr7OrWeBjZ2+N3jo2ujYy99gsB/KfGN/SEA=',
  TURN_SHARED_SECRET: "'c39d273380dc1b91680ab1f54e8dadd8'",
  DEPLOY_KEY:
    '"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----"',
} as const;

describe('dotenv: reading', () => {
  it('reads values the way compose does', () => {
    expect(dotenvFormat.get(ENV, 'POSTGRES_PASSWORD')).toBe('Tr0ub4dor&3 # not a comment');
    expect(dotenvFormat.get(ENV, 'LIVEKIT_SECRET')).toBe(
      'f2f0fae39981687e3e46be372eae09c061e130fa31d65bd003d7d393c3b597e9',
    );
    expect(dotenvFormat.get(ENV, 'SYNCTV_JWT_SECRET')).toBe(
      'RfTrUfAdqr7OrWeBjZ2+N3jo2ujYy99gsB/KfGN/SEA=',
    );
    expect(dotenvFormat.get(ENV, 'SMTP_PASSWORD')).toBe('');
    expect(dotenvFormat.get(ENV, 'NOT_THERE')).toBeUndefined();
    expect(dotenvFormat.get(CRLF, 'SYNCTV_SERVER_CLUSTER_SECRET')).toBe(
      '58048dc325aa888dbc3ba95cdbd5fbae',
    );
  });

  it('uses the last definition of a repeated key, as compose does', () => {
    const text = 'A=first\nB=x\nA=second\n';
    expect(dotenvFormat.get(text, 'A')).toBe('second');
    expect(dotenvFormat.set(text, 'A', 'third')).toBe('A=first\nB=x\nA=third\n');
  });
});

describe('dotenv: setting an existing key changes only its value', () => {
  it.each(Object.entries(WRITTEN))('%s', (key, written) => {
    const value = 'Nn4vYw7qLzR2xK9pT5sB3dF8gH1jM6cV';
    const updated = dotenvFormat.set(ENV, key, value);
    const replacement = replacementOf(ENV, updated, written);
    expect(composeReads(replacement)).toBe(value);
    expect(read(updated)).toEqual(withValue(ENV, key, value));
    expect(dotenvFormat.get(updated, key)).toBe(value);
    expectLiteral(updated, key);
  });

  it('keeps the quoting in use when it can hold the new value', () => {
    const replaced = (key: keyof typeof WRITTEN, value: string) =>
      replacementOf(ENV, dotenvFormat.set(ENV, key, value), WRITTEN[key]);
    expect(replaced('POSTGRES_PASSWORD', 'n3w')).toBe("'n3w'");
    expect(replaced('LIVEKIT_SECRET', 'n3w')).toBe('"n3w"');
    expect(replaced('REDIS_PASSWORD', 'n3w+/=')).toBe('n3w+/=');
    expect(replaced('TURN_SHARED_SECRET', 'a b')).toBe("'a b'");
  });

  it('quotes only when the value needs it, and never lets compose interpolate', () => {
    const replaced = (value: string) =>
      replacementOf(ENV, dotenvFormat.set(ENV, 'REDIS_PASSWORD', value), WRITTEN.REDIS_PASSWORD);
    expect(replaced('with space')).toBe("'with space'");
    expect(replaced('pa$$word')).toBe("'pa$$word'");
    expect(replaced('a #b')).toBe("'a #b'");
    expect(replaced('say "hi"')).toBe('\'say "hi"\'');
    expect(replaced("it's $HOME")).toBe('"it\'s \\$HOME"');
    expect(replaced('one\ntwo')).toBe('"one\\ntwo"');
    expect(replaced('ends with \\')).toBe('"ends with \\\\"');
    expect(replaced('')).toBe('');
  });

  it('replaces an empty value', () => {
    const updated = dotenvFormat.set(ENV, 'SMTP_PASSWORD', 'smtp pass');
    expect(updated).toBe(ENV.replace('SMTP_PASSWORD=\n', "SMTP_PASSWORD='smtp pass'\n"));
  });

  it('keeps a trailing comment and the spaces before it', () => {
    const updated = dotenvFormat.set(ENV, 'SYNCTV_JWT_SECRET', 'x');
    expect(updated).toContain('SYNCTV_JWT_SECRET = x   # spaces around = are fine\n');
  });
});

describe('dotenv: hostile values are read back exactly by compose and by our reader', () => {
  it.each(['REDIS_PASSWORD', 'POSTGRES_PASSWORD', 'LIVEKIT_SECRET', 'DEPLOY_KEY'] as const)(
    'written over %s',
    (key) => {
      for (const value of HOSTILE_VALUES) {
        const updated = dotenvFormat.set(ENV, key, value);
        const replacement = replacementOf(ENV, updated, WRITTEN[key]);
        expect(composeReads(replacement), JSON.stringify(value)).toBe(value);
        expect(read(updated), JSON.stringify(value)).toEqual(withValue(ENV, key, value));
        expectLiteral(updated, key);
      }
    },
  );

  it('as a new key', () => {
    for (const value of HOSTILE_VALUES) {
      const updated = dotenvFormat.set(ENV, 'NEW_SECRET', value);
      const [line] = insertedLines(ENV, updated);
      expect(line?.startsWith('NEW_SECRET=')).toBe(true);
      expect(composeReads(updated.slice(ENV.length + 'NEW_SECRET='.length))).toBe(value);
      expect(read(updated)).toEqual(withValue(ENV, 'NEW_SECRET', value));
      expectLiteral(updated, 'NEW_SECRET');
    }
  });
});

describe('dotenv: adding a key', () => {
  it('appends KEY=value as the last line', () => {
    expect(dotenvFormat.set(ENV, 'SYNCTV_METRICS_TOKEN', 'abc123')).toBe(
      `${ENV}SYNCTV_METRICS_TOKEN=abc123\n`,
    );
  });

  it('follows an export prefix on the last entry', () => {
    expect(dotenvFormat.set('export A=1\n', 'B', '2')).toBe('export A=1\nexport B=2\n');
    expect(dotenvFormat.set('export A=1\nC=3\n', 'B', '2')).toBe('export A=1\nC=3\nB=2\n');
  });

  it('writes a newline-terminated line into an empty file', () => {
    expect(dotenvFormat.set('', 'A', 'x y')).toBe("A='x y'\n");
  });
});

describe('dotenv: line endings', () => {
  it('keeps CRLF when setting and adding', () => {
    const set = dotenvFormat.set(CRLF, 'POSTGRES_PASSWORD', 'new$pass\nword');
    expect(replacementOf(CRLF, set, '"Zq8#pW2 x$$"')).toBe('"new\\$pass\\nword"');
    expect(set.replace(/\r\n/g, '')).not.toContain('\n');

    const added = dotenvFormat.set(CRLF, 'LIVEKIT_SECRET', 'abc');
    expect(added).toBe(`${CRLF}LIVEKIT_SECRET=abc\r\n`);
    expect(read(added).get('EMPTY')).toBe('');
  });

  it('keeps a missing final newline when setting and adding', () => {
    const set = dotenvFormat.set(NO_FINAL_NEWLINE, 'LIVEKIT_SECRET', 'n3w');
    expect(set).toBe(NO_FINAL_NEWLINE.replace(/=f2f0[0-9a-f]+$/, '=n3w'));
    expect(set.endsWith('\n')).toBe(false);

    const added = dotenvFormat.set(NO_FINAL_NEWLINE, 'LIVEKIT_URL', 'wss://lk.example.org');
    expect(added).toBe(`${NO_FINAL_NEWLINE}\nLIVEKIT_URL=wss://lk.example.org`);
  });
});

describe('dotenv: errors', () => {
  it('refuses invalid variable names', () => {
    for (const key of ['', '1ABC', 'A B', 'A=B', 'A$']) {
      rekeyErrorOf(() => dotenvFormat.set(ENV, key, 'v'), 'INVALID_INPUT');
      rekeyErrorOf(() => dotenvFormat.get(ENV, key), 'INVALID_INPUT');
    }
  });

  it('refuses a file compose could not read, naming the line but no value', () => {
    const broken = 'A=fine\nSECRET="hunter2-unclosed\nB=also-fine\n';
    const message = rekeyErrorOf(() => dotenvFormat.set(broken, 'A', 'new-value'), 'FORMAT_ERROR');
    expect(message).toContain('line 2');
    expectNoValues(message, ['hunter2-unclosed', 'fine', 'new-value', 'also-fine']);

    const junk = 'A=1\nthis line holds sup3rs3cret text\n';
    const junkMessage = rekeyErrorOf(() => dotenvFormat.get(junk, 'A'), 'FORMAT_ERROR');
    expect(junkMessage).toContain('line 2');
    expectNoValues(junkMessage, ['sup3rs3cret']);
  });
});

describe('dotenv: entries', () => {
  it('lists every non-empty value with its line, in file order', () => {
    const entries = dotenvFormat.entries(ENV);
    const lines = ENV.split('\n');
    expect(entries.map((entry) => entry.key)).toEqual([
      'COMPOSE_PROJECT_NAME',
      'POSTGRES_USER',
      'POSTGRES_PASSWORD',
      'LIVEKIT_URL',
      'LIVEKIT_KEY',
      'LIVEKIT_SECRET',
      'REDIS_PASSWORD',
      'SYNCTV_JWT_SECRET',
      'GREETING',
      'DEPLOY_KEY',
      'TURN_SHARED_SECRET',
    ]);
    for (const entry of entries) {
      expect(lines[entry.line - 1]).toMatch(new RegExp(`^(export )?${entry.key}\\s*=`));
      expect(entry.value).toBe(dotenvFormat.get(ENV, entry.key));
    }
  });
});
