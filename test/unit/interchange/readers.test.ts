import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBitwarden } from '../../../src/main/interchange/bitwarden-reader';
import { distinctNames, safeName } from '../../../src/main/interchange/candidate';
import { readCompose } from '../../../src/main/interchange/compose-reader';
import { readEnv } from '../../../src/main/interchange/env-reader';
import { readKeepassCsv } from '../../../src/main/interchange/keepass-csv-reader';
import { readKeepassXml } from '../../../src/main/interchange/keepass-xml-reader';
import { splitEntry } from '../../../src/main/interchange/pass-reader';

const FIXTURES = fileURLToPath(new URL('../../fixtures/interchange/', import.meta.url));
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** Each reader on a fixture written by (or exactly like) the real tool. */

describe('.env reader', () => {
  it('uses the import-env rules: last definition wins, only secret-looking keys', () => {
    const { candidates, problems } = readEnv(fixture('sample.env'), 'sample.env', false);
    expect(candidates.map((c) => [c.name, c.value])).toEqual([
      ['DB_PASSWORD', 'p@ss word'],
      ['API_TOKEN', 'tok_456'],
    ]);
    expect(problems.map((p) => p.source)).toEqual(
      expect.arrayContaining(['sample.env LOG_LEVEL', 'sample.env API_TOKEN']),
    );
    expect(readEnv(fixture('sample.env'), 'sample.env', true).candidates).toHaveLength(3);
  });
});

describe('compose reader', () => {
  it('reads map and list environments per service, and reports what it cannot read', () => {
    const { candidates, problems } = readCompose(fixture('compose.yaml'), 'compose.yaml', false);
    expect(candidates.map((c) => [c.name, c.service, c.value])).toEqual([
      ['db.POSTGRES_PASSWORD', 'db', 'pg-Secret-4f9a1c2e'],
      ['synapse.POSTGRES_PASSWORD', 'synapse', 'pg-Secret-4f9a1c2e'],
      // `$$` is compose's escaped `$`
      ['REGISTRATION_SHARED_SECRET', 'synapse', 'reg$istration-7d1e'],
    ]);
    const reasons = Object.fromEntries(problems.map((p) => [p.source.split('.').pop(), p.reason]));
    expect(reasons['MACAROON_SECRET_KEY']).toMatch(/interpolated/);
    expect(reasons['FORM_SECRET']).toMatch(/no value/);
    expect(candidates[0]?.source).toBe('compose.yaml: services.db.environment.POSTGRES_PASSWORD');
  });

  it('refuses a file that is not a compose file', () => {
    expect(() => readCompose('a: [1', 'x.yaml', false)).toThrow(/not valid YAML/);
    expect(() => readCompose('version: 3\n', 'x.yaml', false)).toThrow(/no services/);
  });
});

describe('KeePassXC readers', () => {
  const expected = [
    ['Root-Entry', null, 'root-level-9x'],
    ['redis', 'prod', 'redis-Pa55-&<"x>'],
    ['db/postgres', 'prod', 'pg-Secret-4f9a1c2e'],
  ];

  it('XML export: groups as deployment and path, history and recycle bin left out', () => {
    const { candidates } = readKeepassXml(fixture('keepassxc-export.xml'), 'db.xml');
    expect(candidates.map((c) => [c.name, c.deployment, c.value])).toEqual(expected);
    const postgres = candidates.find((c) => c.name === 'db/postgres');
    expect(postgres?.notes).toBe('owner: ops\nsecond line');
    expect(candidates.find((c) => c.name === 'redis')?.notes).toBe(
      'user: default\nurl: redis://cache',
    );
  });

  it('CSV export: the same entries', () => {
    const { candidates, problems } = readKeepassCsv(fixture('keepassxc-export.csv'), 'db.csv');
    expect(candidates.map((c) => [c.name, c.deployment, c.value])).toEqual(expected);
    expect(problems).toEqual([{ source: 'db.csv row 4', reason: 'in the recycle bin' }]);
  });

  it('rejects what is not an export', () => {
    expect(() => readKeepassXml('<a><b></a>', 'x.xml')).toThrow(/not valid XML/);
    expect(() => readKeepassXml('<a/>', 'x.xml')).toThrow(/not a KeePass XML export/);
    expect(() => readKeepassCsv('a,b\n1,2\n', 'x.csv')).toThrow(/Title and Password/);
  });
});

describe('Bitwarden reader', () => {
  it('takes login passwords, secure notes and hidden fields; reports the rest', () => {
    const { candidates, problems } = readBitwarden(fixture('bitwarden.json'), 'bw.json');
    expect(candidates.map((c) => [c.name, c.deployment, c.value])).toEqual([
      ['Synapse-admin', 'matrix-prod', 'Adm1n-pass-x9'],
      ['Synapse-admin/api-token', 'matrix-prod', 'syt_hidden_TOKEN_91b2'],
      ['Backup-passphrase', null, 'correct horse battery staple'],
    ]);
    expect(candidates[0]?.notes).toBe(
      'the admin account\nuser: admin\nurl: https://matrix.example.org',
    );
    expect(problems.map((p) => p.reason)).toEqual(['a card item: not imported']);
  });

  it('refuses an encrypted export with what to do instead', () => {
    expect(() => readBitwarden('{"encrypted":true,"items":[]}', 'bw.json')).toThrow(/unencrypted/);
  });
});

describe('names and pass entries', () => {
  it('makes names valid and distinct', () => {
    expect(safeName('GitHub Token (prod)')).toBe('GitHub-Token-prod');
    expect(safeName('  ***  ')).toBeNull();
    const base = { value: 'v', deployment: 'd', service: '', notes: '', source: '' };
    const names = distinctNames([
      { ...base, name: 'KEY' },
      { ...base, name: 'KEY' },
    ]).map((c) => c.name);
    expect(names).toEqual(['KEY', 'KEY-2']);
  });

  it('splits a pass entry: first line the password, a PEM block whole', () => {
    expect(splitEntry('pw\nuser: a\nurl: b\n')).toEqual({ value: 'pw', notes: 'user: a\nurl: b' });
    expect(splitEntry('only')).toEqual({ value: 'only', notes: '' });
    const pem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n';
    expect(splitEntry(pem).value).toBe(pem.trimEnd());
  });
});
