import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { ok } from '../helpers/app';
import { type GnupgHome, makeGnupgHome } from '../helpers/gnupg';
import { run } from '../helpers/processes';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * Import and export with the real tools: a store made by `pass init` / `pass insert` read by
 * us (through gpg-agent and through openpgp.js with the exported key), our pass export read by
 * `pass show` and `gpg`, our KeePass XML imported by `keepassxc-cli import` and read back from
 * its XML and CSV exports; the duplicate preview and the all-or-nothing apply.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/interchange/', import.meta.url));
const tempDir = useTempDirs();
let gnupg: GnupgHome;
const savedHome = process.env['GNUPGHOME'];

beforeAll(async () => {
  gnupg = await makeGnupgHome();
  // Our gpg child processes (decrypt through the agent, key lookup) find this home.
  process.env['GNUPGHOME'] = gnupg.home;
}, 60_000);

afterAll(async () => {
  if (savedHome === undefined) delete process.env['GNUPGHOME'];
  else process.env['GNUPGHOME'] = savedHome;
  await gnupg?.stop();
});

async function newApp(dir: string): Promise<RekeyApp> {
  const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  return app;
}

async function passStore(dir: string, entries: Record<string, string>): Promise<string> {
  const store = join(dir, 'store');
  const init = await gnupg.pass(store, ['init', gnupg.fingerprint]);
  expect(init.code, init.stderr).toBe(0);
  for (const [name, text] of Object.entries(entries)) {
    const inserted = await gnupg.pass(store, ['insert', '--multiline', name], text);
    expect(inserted.code, inserted.stderr).toBe(0);
  }
  return store;
}

const allRefs = async (app: RekeyApp) =>
  (await ok(app, 'secrets.list', {})).map((s) => s.ref).sort();

describe('pass', () => {
  const entries = {
    'prod/db/password': 'pg-9f8e7d6c5b4a\nuser: synapse\nhost: db.internal\n',
    'prod/redis': 'redis-1a2b3c4d5e\n',
    loose: 'top-level-value-77\n',
  };

  it('imports a store made by pass, through gpg-agent: password line, notes, folders', async () => {
    const dir = tempDir();
    const store = await passStore(dir, entries);
    const app = await newApp(dir);
    const preview = await ok(app, 'interchange.preview', { source: { kind: 'pass', path: store } });
    expect(preview.candidates.map((c) => [c.ref, c.status])).toEqual([
      [null, 'invalid'],
      ['prod/db/password', 'new'],
      ['prod/redis', 'new'],
    ]);
    expect(JSON.stringify(preview)).not.toContain('pg-9f8e7d6c5b4a');
    const result = await ok(app, 'interchange.apply', {
      source: { kind: 'pass', path: store },
      digest: preview.digest,
    });
    expect(result.created).toEqual(['prod/db/password', 'prod/redis']);
    const revealed = await ok(app, 'secrets.reveal', { ref: 'prod/db/password' });
    expect(revealed.value).toBe('pg-9f8e7d6c5b4a');
    const detail = await ok(app, 'secrets.get', { ref: 'prod/db/password' });
    expect(detail.metadata.description).toBe('user: synapse\nhost: db.internal');
    const history = await ok(app, 'history.list', { kinds: ['secrets.imported'] });
    expect(history.map((e) => e.ref).sort()).toEqual(['prod/db/password', 'prod/redis']);
  }, 60_000);

  it('imports with an armored private key through openpgp.js, no gpg involved', async () => {
    const dir = tempDir();
    const store = await passStore(dir, entries);
    const keyFile = join(dir, 'key.asc');
    const exported = await gnupg.gpg([
      '--passphrase',
      '',
      '--armor',
      '--export-secret-keys',
      gnupg.fingerprint,
    ]);
    writeFileSync(keyFile, exported.stdout, { mode: 0o600 });
    const app = await newApp(dir);
    const source = { kind: 'pass', path: store, keyFile };
    const preview = await ok(app, 'interchange.preview', { source, deployment: 'imported' });
    expect(preview.candidates.map((c) => c.ref)).toEqual([
      'imported/loose',
      'imported/db/password',
      'imported/redis',
    ]);
    await ok(app, 'interchange.apply', { source, deployment: 'imported', digest: preview.digest });
    expect((await ok(app, 'secrets.reveal', { ref: 'imported/loose' })).value).toBe(
      'top-level-value-77',
    );
  }, 60_000);

  it('exports a store that stock pass show and gpg decrypt', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    await ok(app, 'secrets.add', {
      ref: 'matrix/synapse.signing',
      value: { kind: 'enter', value: 'sig-Val-0f1e2d3c' },
      metadata: { description: 'Synapse signing key' },
    });
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----';
    await ok(app, 'secrets.add', { ref: 'matrix/tls.key', value: { kind: 'enter', value: pem } });
    const store = join(dir, 'exported');
    const result = await ok(app, 'interchange.export', {
      kind: 'pass',
      path: store,
      recipients: [gnupg.fingerprint],
    });
    expect(result.plaintext).toBe(false);
    expect(result.recipients).toEqual([gnupg.fingerprint]);
    expect(readFileSync(join(store, '.gpg-id'), 'utf8').trim()).toBe(gnupg.fingerprint);
    const shown = await gnupg.pass(store, ['show', 'matrix/synapse.signing']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toBe('sig-Val-0f1e2d3c\nSynapse signing key\n');
    const first = await gnupg.pass(store, ['show', 'matrix/tls.key']);
    expect(first.stdout).toBe(`${pem}\n`);
    const file = join(store, 'matrix', 'synapse.signing.gpg');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const packets = await gnupg.gpg(['--list-packets', file]);
    expect(packets.stdout).toMatch(/:encrypted data packet:[\s\S]*mdc_method: 2/);
    expect(packets.stdout).not.toMatch(/aead/i);
    // The export is in the history, with where it went.
    const events = await ok(app, 'history.list', { kinds: ['secrets.exported'] });
    expect(events).toHaveLength(1);
    expect(events[0]?.summary).toContain(store);

    // Entries already in the store are not replaced unless asked; nothing is written then.
    const armored = (await gnupg.gpg(['--armor', '--export', gnupg.fingerprint])).stdout;
    const before = readFileSync(file);
    await expect(
      ok(app, 'interchange.export', { kind: 'pass', path: store, recipients: [armored] }),
    ).rejects.toThrow(/2 of the store's entries exist already .*nothing was written/);
    expect(readFileSync(file)).toEqual(before);
    expect(await ok(app, 'history.list', { kinds: ['secrets.exported'] })).toHaveLength(1);
    // A store with an existing .gpg-id keeps its recipients; a key given as armored text works.
    const again = await ok(app, 'interchange.export', {
      kind: 'pass',
      path: store,
      recipients: [armored],
      overwrite: true,
    });
    expect(again.recipients).toEqual([gnupg.fingerprint]);
    const decrypted = await gnupg.gpg(['--decrypt', file]);
    expect(decrypted.stdout).toBe('sig-Val-0f1e2d3c\nSynapse signing key\n');
  }, 60_000);
});

describe('KeePassXC', () => {
  it('round-trips: our XML -> keepassxc-cli import -> export xml and csv -> us, equal values', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    const values: Record<string, string> = {
      'prod/db/password': 'pg-<&>"\'-value-1',
      'prod/api.token': 'tok_7c6b5a4d3e2f',
      'staging/key': 'line one\nline two',
    };
    for (const [ref, value] of Object.entries(values)) {
      await ok(app, 'secrets.add', { ref, value: { kind: 'enter', value } });
    }
    const xml = join(dir, 'export.xml');
    await expect(ok(app, 'interchange.export', { kind: 'keepass', path: xml })).rejects.toThrow(
      /in clear/,
    );
    const result = await ok(app, 'interchange.export', {
      kind: 'keepass',
      path: xml,
      acknowledgePlaintext: true,
    });
    expect(result.plaintext).toBe(true);
    expect(statSync(xml).mode & 0o777).toBe(0o600);

    const kdbx = join(dir, 'db.kdbx');
    const imported = await run('keepassxc-cli', ['import', '-q', '-p', xml, kdbx], {
      input: 'dbpass\ndbpass\n',
    });
    expect(imported.code, imported.stderr).toBe(0);
    for (const format of ['xml', 'csv'] as const) {
      const exported = await run('keepassxc-cli', ['export', '-q', '-f', format, kdbx], {
        input: 'dbpass\n',
      });
      expect(exported.code, exported.stderr).toBe(0);
      const file = join(dir, `back.${format}`);
      writeFileSync(file, exported.stdout);
      const preview = await ok(app, 'interchange.preview', {
        source: { kind: `keepass-${format}`, path: file },
      });
      // Every value came back equal: each candidate holds the very value of its own secret.
      expect(preview.candidates.map((c) => [c.ref, c.status, c.match]).sort()).toEqual(
        Object.keys(values)
          .sort()
          .map((ref) => [ref, 'same', ref]),
      );
    }
  }, 60_000);
});

describe('preview and apply', () => {
  it('shows duplicates with their choices and applies the chosen plan', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    await ok(app, 'secrets.add', {
      ref: 'stack/db.POSTGRES_PASSWORD',
      value: { kind: 'enter', value: 'older-value-123' },
    });
    await ok(app, 'secrets.add', {
      ref: 'other/REG',
      value: { kind: 'enter', value: 'reg$istration-7d1e' },
    });
    const source = { kind: 'compose', path: join(FIXTURES, 'compose.yaml') };
    const preview = await ok(app, 'interchange.preview', { source, deployment: 'stack' });
    const byRef = Object.fromEntries(preview.candidates.map((c) => [c.ref, c]));
    expect(byRef['stack/db.POSTGRES_PASSWORD']).toMatchObject({
      status: 'conflict',
      match: 'stack/db.POSTGRES_PASSWORD',
      defaultAction: 'skip',
    });
    expect(byRef['stack/synapse.POSTGRES_PASSWORD']).toMatchObject({
      status: 'new',
      defaultAction: 'create',
    });
    expect(byRef['stack/REGISTRATION_SHARED_SECRET']).toMatchObject({
      status: 'same',
      match: 'other/REG',
    });
    // POSTGRES_USER, PGDATA, SYNAPSE_SERVER_NAME (not secret-looking), an interpolation, no value.
    expect(preview.problems).toHaveLength(5);
    const conflict = byRef['stack/db.POSTGRES_PASSWORD']?.id;
    const same = byRef['stack/REGISTRATION_SHARED_SECRET']?.id;
    const result = await ok(app, 'interchange.apply', {
      source,
      deployment: 'stack',
      digest: preview.digest,
      choices: [
        { id: conflict, action: 'version' },
        { id: same, action: 'rename', ref: 'stack/registration' },
      ],
    });
    expect(result).toEqual({
      created: ['stack/synapse.POSTGRES_PASSWORD', 'stack/registration'],
      versioned: ['stack/db.POSTGRES_PASSWORD'],
      skipped: [],
    });
    const versions = (await ok(app, 'secrets.get', { ref: 'stack/db.POSTGRES_PASSWORD' })).versions;
    expect(versions.map((v) => v.labels)).toEqual([['current'], ['previous']]);
    const current = await ok(app, 'secrets.reveal', { ref: 'stack/db.POSTGRES_PASSWORD' });
    expect(current.value).toBe('pg-Secret-4f9a1c2e');
    // The preview is spent: applying it again meets a changed inventory.
    await expect(
      ok(app, 'interchange.apply', { source, deployment: 'stack', digest: preview.digest }),
    ).rejects.toThrow(/CONFLICT/);
  });

  it('is all or nothing: one impossible choice and nothing is written', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    await ok(app, 'secrets.add', {
      ref: 'vault/taken',
      value: { kind: 'enter', value: 'unrelated-1' },
    });
    const source = { kind: 'bitwarden', path: join(FIXTURES, 'bitwarden.json') };
    const preview = await ok(app, 'interchange.preview', { source, deployment: 'vault' });
    expect(preview.candidates.map((c) => c.ref)).toEqual([
      'vault/Synapse-admin',
      'vault/Synapse-admin/api-token',
      'vault/Backup-passphrase',
    ]);
    const before = await ok(app, 'history.list', {});
    const last = preview.candidates.at(-1)?.id;
    const failed = await app.call('interchange.apply', {
      source,
      deployment: 'vault',
      digest: preview.digest,
      choices: [{ id: last, action: 'rename', ref: 'vault/taken' }],
    });
    expect(failed.ok).toBe(false);
    expect(await allRefs(app)).toEqual(['vault/taken']);
    expect(await ok(app, 'history.list', {})).toHaveLength(before.length);
  });

  it('exports a deployment as a .env that reads back to the same values', async () => {
    const dir = tempDir();
    const app = await newApp(dir);
    await ok(app, 'secrets.add', {
      ref: 'web/DB_PASSWORD',
      value: { kind: 'enter', value: 'a "quoted" $value' },
    });
    await ok(app, 'secrets.add', {
      ref: 'web/nested/key',
      value: { kind: 'enter', value: 'n3sted' },
    });
    const file = join(dir, 'out', 'web.env');
    mkdirSync(join(dir, 'out'));
    const result = await ok(app, 'interchange.export', {
      kind: 'env',
      path: file,
      deployment: 'web',
      acknowledgePlaintext: true,
    });
    expect(result.renamed).toEqual(['nested/key -> nested_key']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const preview = await ok(app, 'interchange.preview', {
      source: { kind: 'env', path: file, all: true },
      deployment: 'web',
    });
    expect(preview.candidates.map((c) => [c.ref, c.status, c.match])).toEqual([
      ['web/DB_PASSWORD', 'same', 'web/DB_PASSWORD'],
      ['web/nested_key', 'same', 'web/nested/key'],
    ]);
  });
});
