import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { ok } from '../helpers/app';
import { usePostgres } from '../helpers/postgres';
import { useSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * A backup bundle of a deployment whose PostgreSQL database is reached over SSH (the sshd and
 * the cluster are real, both on loopback): made, verified, opened with stock gpg + tar +
 * sha256sum, restored into a fresh database and a fresh vault, and refused when damaged.
 */

const sshd = useSshd();
const postgres = usePostgres({ database: 'shop' });
const tempDir = useTempDirs();
const BUNDLE_PASSPHRASE = 'correct horse battery staple for the drawer';

let rowsBefore: string[][] = [];
beforeAll(async () => {
  const cluster = postgres();
  await cluster.query(`
    CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL, total numeric(10,2), note text);
    INSERT INTO orders (customer, total, note)
      SELECT 'customer-' || n, (n % 997) * 1.25, md5(n::text) || repeat('x', 200)
      FROM generate_series(1, 20000) AS n;
    CREATE TABLE settings (key text PRIMARY KEY, value text);
    INSERT INTO settings VALUES ('theme', 'dark'), ('locale', 'en');`);
  rowsBefore = await cluster.query(checksumQuery);
}, 60_000);

const checksumQuery = `SELECT count(*), sum(total), md5(string_agg(customer || note, ',' ORDER BY id)) FROM orders;
  SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM settings;`;

interface Setup {
  app: RekeyApp;
  dir: string;
  configFile: string;
}

async function setUp(): Promise<Setup> {
  const server = sshd();
  const cluster = postgres();
  const dir = tempDir();
  const configFile = join(dir, 'shop.env');
  writeFileSync(configFile, 'DB_NAME=shop\nDB_PASSWORD=shop-db-password-0123456789\n');
  const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  await ok(app, 'hosts.add', {
    name: 'db-host',
    address: '127.0.0.1',
    port: server.port,
    user: server.user,
    login: { kind: 'import', privateKey: readFileSync(server.clientKeys.plain, 'utf8') },
  });
  await ok(app, 'hosts.trust', { name: 'db-host', fingerprint: server.hostKeyFingerprint });
  await ok(app, 'secrets.add', {
    ref: 'shop/db.password',
    value: { kind: 'enter', value: 'shop-db-password-0123456789' },
  });
  await ok(app, 'secrets.setValue', {
    ref: 'shop/db.password',
    value: { kind: 'enter', value: 'shop-db-password-rotated-999' },
  });
  void cluster;
  return { app, dir, configFile };
}

function database(name = 'shop') {
  const cluster = postgres();
  return {
    name: 'shop',
    host: 'db-host',
    database: name,
    connection: { host: cluster.dir, port: String(cluster.port), user: cluster.superuser },
  };
}

async function createBundle(setup: Setup, to: string) {
  return ok(setup.app, 'backups.create', {
    deployment: 'shop',
    to,
    databases: [database()],
    files: [{ host: 'db-host', path: setup.configFile }],
    secrets: true,
    passphrase: BUNDLE_PASSPHRASE,
  });
}

describe('backup bundles', () => {
  it('bundles a database over SSH with the config and the secrets, verified at once', async () => {
    const setup = await setUp();
    const out = join(setup.dir, 'usb');
    mkdirSync(out);
    const made = await createBundle(setup, out);

    expect(made.verified).toBe(true);
    expect(made.file).toMatch(/\/shop-\d{8}T\d{6}Z\.rekey\.tar\.gpg$/);
    expect(readdirSync(out)).toEqual([made.file.split('/').pop()]);
    expect(made.entries.map((entry) => entry.name)).toEqual([
      'dumps/shop.dump',
      `config/db-host${setup.configFile}`,
      'secrets.json',
    ]);
    expect(made.entries[0]?.size).toBeGreaterThan(100_000);
    const bytes = readFileSync(made.file);
    // Encrypted: neither the secrets nor the rows are readable in the file.
    expect(bytes.includes(Buffer.from('shop-db-password'))).toBe(false);
    expect(bytes.includes(Buffer.from('customer-1'))).toBe(false);
    const listed = await ok(setup.app, 'backups.list', {});
    expect(listed[0]).toMatchObject({
      deployment: 'shop',
      file: made.file,
      verified: { ok: true },
    });
    const history = JSON.stringify(await ok(setup.app, 'history.list', {}));
    expect(history).toContain('Backup of shop written to');
    expect(history).not.toContain(BUNDLE_PASSPHRASE);
  });

  it('opens with stock gpg, tar and sha256sum -c, without Rekey', async () => {
    const setup = await setUp();
    const made = await createBundle(setup, setup.dir);
    const home = join(setup.dir, 'gnupg');
    mkdirSync(home, { mode: 0o700 });
    const passphraseFile = join(setup.dir, 'passphrase');
    writeFileSync(passphraseFile, BUNDLE_PASSPHRASE, { mode: 0o600 });
    const extracted = join(setup.dir, 'extracted');
    mkdirSync(extracted);
    execFileSync('sh', [
      '-c',
      'gpg --homedir "$0" --batch --quiet --pinentry-mode loopback --passphrase-file "$1" --decrypt "$2" | tar -x -C "$3"',
      home,
      passphraseFile,
      made.file,
      extracted,
    ]);
    const check = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], {
      cwd: extracted,
      encoding: 'utf8',
    });
    expect(check.trim().split('\n')).toHaveLength(4);
    expect(check).not.toContain('FAILED');
    // The dump is a real pg_dump custom-format archive.
    expect(readFileSync(join(extracted, 'dumps/shop.dump')).subarray(0, 5).toString()).toBe(
      'PGDMP',
    );
    const secrets = JSON.parse(readFileSync(join(extracted, 'secrets.json'), 'utf8'));
    expect(secrets.secrets[0].versions.map((v: { labels: string[] }) => v.labels)).toEqual([
      ['previous'],
      ['current'],
    ]);
  });

  it('restores the database into a fresh one and the secrets into a fresh vault', async () => {
    const setup = await setUp();
    const made = await createBundle(setup, setup.dir);
    await postgres().createDatabase('shop_restored');
    const fresh = createApp({ vaultPath: join(setup.dir, 'fresh.rekey'), source: 'cli' });
    await ok(fresh, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    await ok(fresh, 'hosts.add', {
      name: 'db-host',
      address: '127.0.0.1',
      port: sshd().port,
      user: sshd().user,
      login: { kind: 'import', privateKey: readFileSync(sshd().clientKeys.plain, 'utf8') },
    });
    await ok(fresh, 'hosts.trust', { name: 'db-host', fingerprint: sshd().hostKeyFingerprint });

    const restored = await ok(fresh, 'backups.restore', {
      file: made.file,
      passphrase: BUNDLE_PASSPHRASE,
      databases: [database('shop_restored')],
      secrets: true,
    });

    expect(restored.databases).toEqual(['shop_restored on db-host']);
    expect(await postgres().query(checksumQuery.replaceAll('FROM', 'FROM'))).toEqual(rowsBefore);
    const cluster = postgres();
    const restoredRows = await cluster.query(checksumQuery, 'shop_restored');
    expect(restoredRows).toEqual(rowsBefore);
    expect(restored.secretsApplied).toEqual(['shop/db.password']);
    expect((await ok(fresh, 'secrets.reveal', { ref: 'shop/db.password' })).value).toBe(
      'shop-db-password-rotated-999',
    );
    expect(
      (await ok(fresh, 'secrets.reveal', { ref: 'shop/db.password', version: 'previous' })).value,
    ).toBe('shop-db-password-0123456789');
  });

  it('stops before touching a database when a secret conflict has no choice', async () => {
    const setup = await setUp();
    const made = await createBundle(setup, setup.dir);
    await ok(setup.app, 'secrets.setValue', {
      ref: 'shop/db.password',
      value: { kind: 'enter', value: 'shop-db-password-newest-777' },
    });
    await postgres().createDatabase('conflict_db');
    const refused = await setup.app.call('backups.restore', {
      file: made.file,
      passphrase: BUNDLE_PASSPHRASE,
      databases: [database('conflict_db')],
      secrets: true,
    });
    expect(refused.ok ? '' : refused.error.message).toMatch(
      /nothing was restored: shop\/db.password/,
    );
    const tables = await postgres().query(
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
      'conflict_db',
    );
    expect(tables).toEqual([['0']]);

    const kept = await ok(setup.app, 'backups.restore', {
      file: made.file,
      passphrase: BUNDLE_PASSPHRASE,
      databases: [database('conflict_db')],
      secrets: true,
      choices: { 'shop/db.password': 'keep-vault' },
    });
    expect(kept.databases).toEqual(['conflict_db on db-host']);
    expect((await ok(setup.app, 'secrets.reveal', { ref: 'shop/db.password' })).value).toBe(
      'shop-db-password-newest-777',
    );
  });

  it('verify tells what a restore would bring back and reports progress; restore too', async () => {
    const setup = await setUp();
    const made = await createBundle(setup, setup.dir);
    await ok(setup.app, 'secrets.setValue', {
      ref: 'shop/db.password',
      value: { kind: 'enter', value: 'shop-db-password-newest-778' },
    });
    const events: { part: string; bytes: number; totalBytes: number | null }[] = [];
    const stop = setup.app.onEvent((event) => {
      if (event.type === 'backup.progress') {
        events.push({ part: event.part, bytes: event.bytes, totalBytes: event.totalBytes });
      }
    });
    const report = await ok(setup.app, 'backups.verify', {
      file: made.file,
      passphrase: BUNDLE_PASSPHRASE,
    });
    expect(report.ok).toBe(true);
    expect(report.parts).toEqual([
      {
        kind: 'database',
        entry: 'dumps/shop.dump',
        size: made.entries[0]?.size,
        name: 'shop',
        source: { host: 'db-host', database: 'shop', connection: database().connection },
      },
      {
        kind: 'config',
        entry: `config/db-host${setup.configFile}`,
        size: made.entries[1]?.size,
        host: 'db-host',
        path: setup.configFile,
      },
      { kind: 'secrets', entry: 'secrets.json', size: made.entries[2]?.size },
    ]);
    // The vault's value is newer than the bundle's: a conflict, told by fingerprints only.
    expect(report.secrets).toEqual([
      {
        ref: 'shop/db.password',
        kind: 'conflict',
        versions: 0,
        vaultCurrent: expect.stringMatching(/\S/),
        bundleCurrent: expect.stringMatching(/\S/),
        vaultIsNewer: true,
      },
    ]);
    expect(report.secrets?.[0]?.vaultCurrent).not.toBe(report.secrets?.[0]?.bundleCurrent);
    expect(JSON.stringify(report)).not.toContain('shop-db-password');
    // Progress: bytes of the file read, rising to its size.
    expect(events.every((event) => event.part === 'verifying')).toBe(true);
    expect(events.at(-1)).toEqual({ part: 'verifying', bytes: made.size, totalBytes: made.size });
    const rising = events.map((event) => event.bytes);
    expect(rising).toEqual([...rising].sort((a, b) => a - b));

    events.length = 0;
    await postgres().createDatabase('shop_progress');
    await ok(setup.app, 'backups.restore', {
      file: made.file,
      passphrase: BUNDLE_PASSPHRASE,
      databases: [database('shop_progress')],
    });
    stop();
    const parts = [...new Set(events.map((event) => event.part))];
    expect(parts[0]).toBe('verifying');
    expect(parts).toContain('restoring dumps/shop.dump');
    expect(events.at(-1)?.bytes).toBe(made.size);
  });

  it('makes a bundle for a passphrase-locked kept key: unverified, not failed; opens with it', async () => {
    const setup = await setUp();
    const key = await ok(setup.app, 'keys.generate', {
      name: 'Drawer key',
      keepPrivate: true,
      passphrase: 'drawer key passphrase 4711',
    });
    const listed = await ok(setup.app, 'keys.list', {});
    expect(listed).toEqual([
      expect.objectContaining({
        fingerprint: key.fingerprint,
        hasPrivateKey: true,
        privateKeyProtected: true,
      }),
    ]);
    const made = await ok(setup.app, 'backups.create', {
      deployment: 'shop',
      to: setup.dir,
      secrets: true,
      recipients: [key.fingerprint],
    });
    expect(made.verified).toBe(false);
    expect(made.problems.join(' ')).toMatch(/needs its passphrase/);
    // Not a failed verification in the list: simply none yet.
    expect((await ok(setup.app, 'backups.list', {}))[0]?.verified).toBeNull();
    const withoutPassphrase = await setup.app.call('backups.verify', {
      file: made.file,
      key: key.fingerprint,
    });
    expect(withoutPassphrase.ok ? '' : withoutPassphrase.error.message).toMatch(/passphrase/);
    const opened = await ok(setup.app, 'backups.verify', {
      file: made.file,
      key: key.fingerprint,
      passphrase: 'drawer key passphrase 4711',
    });
    expect(opened.ok).toBe(true);
    expect((await ok(setup.app, 'backups.list', {}))[0]?.verified?.ok).toBe(true);
  });

  it('refuses a damaged bundle, a wrong passphrase and a cut one, and restores nothing', async () => {
    const setup = await setUp();
    const made = await createBundle(setup, setup.dir);
    const original = readFileSync(made.file);
    const wrong = await setup.app.call('backups.verify', { file: made.file, passphrase: 'not it' });
    expect(wrong.ok ? '' : wrong.error.code).toBe('WRONG_PASSWORD');

    const damaged = join(setup.dir, 'damaged.rekey.tar.gpg');
    for (const position of [200, Math.floor(original.length / 3), original.length - 30]) {
      const copy = Buffer.from(original);
      copy[position] = (copy[position] ?? 0) ^ 0x20;
      writeFileSync(damaged, copy);
      const result = await setup.app.call('backups.verify', {
        file: damaged,
        passphrase: BUNDLE_PASSPHRASE,
      });
      const failed = result.ok ? result.value.problems.join(' ') : result.error.message;
      expect(result.ok && result.value.ok, `byte ${position}`).toBe(false);
      expect(failed, `byte ${position}`).toMatch(/modified|incomplete|checksum|not a valid/i);
    }
    writeFileSync(damaged, original.subarray(0, Math.floor(original.length / 2)));
    await postgres().createDatabase('never_restored');
    const restore = await setup.app.call('backups.restore', {
      file: damaged,
      passphrase: BUNDLE_PASSPHRASE,
      databases: [database('never_restored')],
    });
    expect(restore.ok ? 'restored' : restore.error.message).toMatch(/did not verify|modified/);
    const tables = await postgres().query(
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
      'never_restored',
    );
    expect(tables).toEqual([['0']]);
  });
});
