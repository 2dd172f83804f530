import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/shared/errors';
import { usePostgres } from '../helpers/postgres';
import {
  CLI_BUNDLE,
  type CliOptions,
  type CliRun,
  type CliVault,
  initCliVault,
} from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';
import { inTerminal } from '../helpers/terminal';

/**
 * `rekey backup` and `rekey key` through the built CLI, as separate processes: a deployment
 * whose secret is in the vault and whose config file is on `local` (and a PostgreSQL database
 * reached over its unix socket), bundled, verified, damaged, opened with a kept key and with
 * stock gpg, and restored into a fresh vault. No passphrase ever reaches any output.
 */

const tempDir = useTempDirs();
const postgres = usePostgres({ database: 'shop' });

const PASSPHRASE = 'drawer passphrase: seven wombats juggle quietly 4711';
const KEY_PASSPHRASE = 'paper key passphrase: nine herons 0815';
const SECRET_VALUE = 'shop-db-password-0123456789-abcdefghij';
const BUNDLE = /\.rekey\.tar\.gpg$/;

beforeAll(async () => {
  await postgres().query(`
    CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL);
    INSERT INTO orders (customer) SELECT 'customer-' || n FROM generate_series(1, 500) AS n;`);
}, 60_000);

interface Setup {
  dir: string;
  vault: CliVault;
  configFile: string;
  passphraseFile: string;
  out: string;
  rekey(args: readonly string[], options?: CliOptions): Promise<CliRun>;
}

/** Every run of every test, for "no passphrase in any output". */
const runs: CliRun[] = [];

function ok(run: CliRun): CliRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}\n${run.stdout}`);
  return run;
}

async function setUp(): Promise<Setup> {
  const dir = tempDir();
  const vault = await initCliVault(dir);
  const rekey = async (args: readonly string[], options?: CliOptions) => {
    const run = await vault.rekey(args, { timeoutMs: 60_000, ...options });
    runs.push(run);
    return run;
  };
  ok(
    await rekey(['secret', 'add', 'shop/db.password', '--value-stdin'], {
      stdin: `${SECRET_VALUE}\n`,
    }),
  );
  const configFile = join(dir, 'shop.env');
  writeFileSync(configFile, 'DB_NAME=shop\nDB_HOST=db\n');
  const passphraseFile = join(dir, 'bundle-passphrase');
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`, { mode: 0o600 });
  const out = join(dir, 'usb');
  mkdirSync(out);
  return { dir, vault, configFile, passphraseFile, out, rekey };
}

function bundlesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => BUNDLE.test(name))
    .map((name) => join(dir, name));
}

function both(run: CliRun): string {
  return `${run.stdout}\n${run.stderr}`;
}

function gpgHome(dir: string): string {
  const home = join(dir, `gnupg-${Math.random().toString(36).slice(2)}`);
  mkdirSync(home, { mode: 0o700 });
  return home;
}

describe('rekey backup', () => {
  it('creates a verified bundle, finds a flipped byte (17) and a wrong passphrase (3)', async () => {
    const setup = await setUp();
    const created = ok(
      await setup.rekey([
        'backup',
        'create',
        'shop',
        '--to',
        setup.out,
        '--passphrase-file',
        setup.passphraseFile,
        '--file',
        `local:${setup.configFile}`,
      ]),
    );
    const files = bundlesIn(setup.out);
    expect(files).toHaveLength(1);
    expect(readdirSync(setup.out)).toHaveLength(1);
    const file = files[0] as string;
    expect(created.stdout).toContain(`file:     ${file}`);
    expect(created.stdout).toContain('verified: yes');
    expect(created.stdout).toContain(`config/local${setup.configFile}`);
    expect(created.stdout).toContain('secrets.json');
    expect(created.stdout).toContain(`gpg --decrypt ${file} | tar -x && sha256sum -c SHA256SUMS`);
    expect(created.stderr).toContain('Writing secrets.json…');

    const verified = ok(
      await setup.rekey(['backup', 'verify', file, '--passphrase-file', setup.passphraseFile]),
    );
    expect(verified.stdout).toMatch(/^OK: /);
    expect(verified.stdout).toContain('secrets.json');
    expect(verified.stdout).toContain('SHA256SUMS');
    // It says what `backup restore` could bring back, in its own flags.
    expect(verified.stdout).toContain(`--file local:${setup.configFile}`);
    expect(verified.stdout).toMatch(
      /--secrets \(1 secrets: 0 new to this vault, 0 with a different/,
    );

    const listed = ok(await setup.rekey(['backup', 'list', '--json']));
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { deployment: 'shop', file, passphrase: true, verified: { ok: true } },
    ]);

    const bytes = readFileSync(file);
    const damaged = join(setup.dir, 'damaged.rekey.tar.gpg');
    const copy = Buffer.from(bytes);
    const middle = Math.floor(copy.length / 2);
    copy[middle] = (copy[middle] ?? 0) ^ 0x20;
    writeFileSync(damaged, copy);
    const refused = await setup.rekey([
      'backup',
      'verify',
      damaged,
      '--passphrase-file',
      setup.passphraseFile,
    ]);
    expect(refused.code).toBe(EXIT_CODES.FORMAT_ERROR);
    expect(refused.code).toBe(17);
    expect(both(refused)).toMatch(/modified|incomplete|checksum|not a valid/i);
    expect(refused.stdout).not.toMatch(/^OK/);

    const wrong = await setup.rekey(['backup', 'verify', file, '--passphrase-stdin'], {
      stdin: 'not the passphrase\n',
    });
    expect(wrong.code).toBe(EXIT_CODES.WRONG_PASSWORD);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('Wrong passphrase');

    // The right one on stdin works too.
    ok(
      await setup.rekey(['backup', 'verify', file, '--passphrase-stdin'], {
        stdin: `${PASSPHRASE}\n`,
      }),
    );
  }, 120_000);

  it('refuses to create without a passphrase when there is no terminal (exit 2)', async () => {
    const setup = await setUp();
    const refused = await setup.rekey(['backup', 'create', 'shop', '--to', setup.out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('no terminal to ask on');
    expect(refused.stderr).toContain('--passphrase-file');
    expect(readdirSync(setup.out)).toEqual([]);

    const badDb = await setup.rekey([
      'backup',
      'create',
      'shop',
      '--to',
      setup.out,
      '--passphrase-file',
      setup.passphraseFile,
      '--db',
      'shop=local',
    ]);
    expect(badDb.code).toBe(2);
    expect(badDb.stderr).toContain('--db takes NAME=HOST:DATABASE');
    const noFile = await setup.rekey(['backup', 'verify', join(setup.dir, 'none.rekey.tar.gpg')]);
    expect(noFile.code).toBe(2);
  });

  it('asks for the passphrase twice on a terminal, hidden, with a note when it is weak', async () => {
    const setup = await setUp();
    const command = [
      process.execPath,
      CLI_BUNDLE,
      '--vault',
      setup.vault.vaultPath,
      '--password-file',
      setup.vault.passwordFile,
      'backup',
      'create',
      'shop',
      '--to',
      setup.out,
    ].join(' ');
    const mismatch = await inTerminal(command, [
      { prompt: 'Bundle passphrase: ', answer: PASSPHRASE },
      { prompt: 'Repeat the passphrase: ', answer: `${PASSPHRASE}!` },
    ]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.output).toContain('The passphrases do not match; nothing was written');
    expect(mismatch.output).not.toContain(PASSPHRASE);
    expect(readdirSync(setup.out)).toEqual([]);

    const weak = 'shop2024';
    const created = await inTerminal(command, [
      { prompt: 'Bundle passphrase: ', answer: weak },
      { prompt: 'Repeat the passphrase: ', answer: weak },
    ]);
    expect(created.code).toBe(0);
    expect(created.output).toContain('verified: yes');
    expect(created.output).toMatch(/Note: this passphrase is weak/);
    expect(created.output).not.toContain(weak);
    expect(bundlesIn(setup.out)).toHaveLength(1);
  }, 60_000);

  it('encrypts to a key kept in the vault, verifies with it, exports its public key for gpg', async () => {
    const setup = await setUp();
    const generated = ok(
      await setup.rekey(['key', 'generate', 'backup-key', '--keep-private', '--json']),
    );
    const { fingerprint } = JSON.parse(generated.stdout) as { fingerprint: string };
    expect(fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(generated.stdout).not.toContain('PRIVATE KEY');
    const keys = JSON.parse(ok(await setup.rekey(['key', 'list', '--json'])).stdout);
    expect(keys).toMatchObject([{ fingerprint, name: 'backup-key', hasPrivateKey: true }]);

    const created = ok(
      await setup.rekey([
        'backup',
        'create',
        'shop',
        '--to',
        setup.out,
        '--recipient',
        fingerprint,
      ]),
    );
    expect(created.stdout).toContain('verified: yes');
    const file = bundlesIn(setup.out)[0] as string;
    const verified = ok(await setup.rekey(['backup', 'verify', file, '--key', fingerprint]));
    expect(verified.stdout).toMatch(/^OK: /);

    // The public key, as printed, is one stock gpg imports.
    const exported = ok(await setup.rekey(['key', 'export', fingerprint]));
    expect(exported.stdout).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    expect(exported.stdout).not.toContain('PRIVATE');
    const publicFile = join(setup.dir, 'public.asc');
    writeFileSync(publicFile, exported.stdout);
    const home = gpgHome(setup.dir);
    execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--import', publicFile], {
      stdio: 'pipe',
    });
    const listedByGpg = execFileSync(
      'gpg',
      ['--homedir', home, '--batch', '--with-colons', '--list-keys'],
      { encoding: 'utf8' },
    );
    expect(listedByGpg).toContain(fingerprint);

    // A private key never goes to stdout unasked, and never into a file that is not a key.
    const refusedPrivate = await setup.rekey(['key', 'export', fingerprint, '--private']);
    expect(refusedPrivate.code).toBe(2);
    expect(refusedPrivate.stdout).toBe('');
    const privateFile = join(setup.dir, 'private.asc');
    const exportedPrivate = await setup.rekey([
      'key',
      'export',
      fingerprint,
      '--private',
      '--out',
      privateFile,
    ]);
    if (exportedPrivate.code === 0) {
      expect(readFileSync(privateFile, 'utf8')).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----/);
      expect(statSync(privateFile).mode & 0o777).toBe(0o600);
    } else {
      expect(existsSync(privateFile)).toBe(false);
    }
  }, 120_000);

  it('writes a paper key only to a new 0600 file; gpg and another vault open bundles with it', async () => {
    const setup = await setUp();
    const keyPassphraseFile = join(setup.dir, 'key-passphrase');
    writeFileSync(keyPassphraseFile, `${KEY_PASSPHRASE}\n`, { mode: 0o600 });
    const nowhere = await setup.rekey(['key', 'generate', 'paper-key']);
    expect(nowhere.code).toBe(2);
    const paper = join(setup.dir, 'paper-key.asc');
    const generated = ok(
      await setup.rekey([
        'key',
        'generate',
        'paper-key',
        '--email',
        'ops@example.org',
        '--out',
        paper,
        '--passphrase-file',
        keyPassphraseFile,
      ]),
    );
    expect(generated.stdout).not.toContain('PRIVATE KEY BLOCK');
    expect(readFileSync(paper, 'utf8')).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----/);
    expect(statSync(paper).mode & 0o777).toBe(0o600);
    const before = readFileSync(paper, 'utf8');
    const overwrite = await setup.rekey(['key', 'generate', 'other', '--out', paper]);
    expect(overwrite.code).toBe(EXIT_CODES.ALREADY_EXISTS);
    expect(readFileSync(paper, 'utf8')).toBe(before);
    const keys = JSON.parse(ok(await setup.rekey(['key', 'list', '--json'])).stdout);
    expect(keys).toMatchObject([{ name: 'paper-key <ops@example.org>', hasPrivateKey: false }]);

    // Only the public key is in the vault: the bundle is made, and says it cannot be checked.
    const { fingerprint } = keys[0] as { fingerprint: string };
    const created = ok(
      await setup.rekey([
        'backup',
        'create',
        'shop',
        '--to',
        setup.out,
        '--recipient',
        fingerprint,
      ]),
    );
    expect(created.stdout).toContain('Not verified');
    const file = bundlesIn(setup.out)[0] as string;

    // Stock gpg opens it with the paper key and its passphrase.
    const home = gpgHome(setup.dir);
    const gpg = ['--homedir', home, '--batch', '--quiet', '--pinentry-mode', 'loopback'];
    execFileSync('gpg', [...gpg, '--passphrase-file', keyPassphraseFile, '--import', paper], {
      stdio: 'pipe',
    });
    const listing = execFileSync(
      'sh',
      [
        '-c',
        'gpg --homedir "$0" --batch --quiet --pinentry-mode loopback --passphrase-file "$1" --decrypt "$2" | tar -t',
        home,
        keyPassphraseFile,
        file,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(listing.split('\n')).toEqual(
      expect.arrayContaining(['secrets.json', 'MANIFEST.json', 'SHA256SUMS']),
    );

    // Another vault given the private key (protected by its passphrase) verifies the bundle.
    const other = await initCliVault(tempDir());
    const imported = await other.rekey(['key', 'import', paper]);
    runs.push(imported);
    expect(ok(imported).stdout).toContain('with its private key');
    const verified = await other.rekey([
      'backup',
      'verify',
      file,
      '--key',
      fingerprint,
      '--passphrase-file',
      keyPassphraseFile,
    ]);
    runs.push(verified);
    expect(ok(verified).stdout).toMatch(/^OK: /);

    const printed = ok(await setup.rekey(['key', 'generate', 'printed', '--out', '-']));
    expect(printed.stdout).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----/);
    expect(printed.stderr).toContain('Generated OpenPGP key');
  }, 120_000);

  it('restores the secrets into a fresh vault, and asks for a choice on a conflict', async () => {
    const setup = await setUp();
    ok(
      await setup.rekey([
        'backup',
        'create',
        'shop',
        '--to',
        setup.out,
        '--passphrase-file',
        setup.passphraseFile,
      ]),
    );
    const file = bundlesIn(setup.out)[0] as string;
    const fresh = await initCliVault(tempDir());
    const rekeyFresh = async (args: readonly string[], options?: CliOptions) => {
      const run = await fresh.rekey(args, { timeoutMs: 60_000, ...options });
      runs.push(run);
      return run;
    };
    const restored = ok(
      await rekeyFresh([
        'backup',
        'restore',
        file,
        '--passphrase-file',
        setup.passphraseFile,
        '--secrets',
      ]),
    );
    expect(restored.stdout).toContain('secrets applied: shop/db.password');
    const revealed = ok(await rekeyFresh(['secret', 'reveal', 'shop/db.password']));
    expect(revealed.stdout).toBe(`${SECRET_VALUE}\n`);

    ok(
      await rekeyFresh(['secret', 'set', 'shop/db.password', '--value-stdin'], {
        stdin: 'a-newer-value-in-the-fresh-vault-0123456789\n',
      }),
    );
    const conflict = await rekeyFresh([
      'backup',
      'restore',
      file,
      '--passphrase-file',
      setup.passphraseFile,
      '--secrets',
    ]);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toContain('shop/db.password');
    expect(conflict.stderr).toContain('--keep-vault REF');
    expect(conflict.stderr).toContain('--use-bundle REF');
    ok(
      await rekeyFresh([
        'backup',
        'restore',
        file,
        '--passphrase-file',
        setup.passphraseFile,
        '--secrets',
        '--use-bundle',
        'shop/db.password',
      ]),
    );
    expect(ok(await rekeyFresh(['secret', 'reveal', 'shop/db.password'])).stdout).toBe(
      `${SECRET_VALUE}\n`,
    );
  }, 120_000);

  it('bundles a PostgreSQL database on local and restores it into another', async () => {
    const setup = await setUp();
    const cluster = postgres();
    const connection = `host=${cluster.dir},port=${cluster.port},user=${cluster.superuser}`;
    const created = ok(
      await setup.rekey([
        'backup',
        'create',
        'shop',
        '--to',
        setup.out,
        '--passphrase-file',
        setup.passphraseFile,
        '--db',
        `shop=local:shop,${connection}`,
        '--no-secrets',
      ]),
    );
    expect(created.stdout).toContain('dumps/shop.dump');
    expect(created.stdout).not.toContain('secrets.json');
    expect(created.stderr).toContain('Dumping shop…');
    const file = bundlesIn(setup.out)[0] as string;
    await cluster.createDatabase('shop_restored');
    const restored = ok(
      await setup.rekey([
        'backup',
        'restore',
        file,
        '--passphrase-file',
        setup.passphraseFile,
        '--db',
        `shop=local:shop_restored,${connection}`,
      ]),
    );
    expect(restored.stdout).toContain('database shop_restored on local');
    expect(restored.stderr).toContain('Verifying…');
    expect(restored.stderr).toContain('Restoring dumps/shop.dump…');
    const count = 'SELECT count(*), max(customer) FROM orders';
    expect(await cluster.query(count, 'shop_restored')).toEqual(await cluster.query(count));
  }, 120_000);

  it('reaches a database through a command prefix (as through docker compose exec -T)', async () => {
    const setup = await setUp();
    const cluster = postgres();
    // Without the prefix, pg_dump has no way to the cluster: the prefix carries the connection,
    // as `docker compose exec -T db` carries a command into the database's container.
    const via = `env PGHOST=${cluster.dir} PGPORT=${cluster.port} PGUSER=${cluster.superuser}`;
    const direct = await setup.rekey([
      'backup',
      'create',
      'shop',
      '--to',
      setup.out,
      '--passphrase-file',
      setup.passphraseFile,
      '--db',
      'shop=local:shop',
      '--no-secrets',
    ]);
    expect(direct.code).not.toBe(0);
    expect(direct.stderr).toMatch(/pg_dump/);
    expect(bundlesIn(setup.out)).toEqual([]);
    ok(
      await setup.rekey([
        'backup',
        'create',
        'shop',
        '--to',
        setup.out,
        '--passphrase-file',
        setup.passphraseFile,
        '--db',
        'shop=local:shop',
        '--via-for',
        `shop=${via}`,
        '--no-secrets',
      ]),
    );
    const file = bundlesIn(setup.out)[0] as string;
    const verified = ok(
      await setup.rekey([
        'backup',
        'verify',
        file,
        '--passphrase-file',
        setup.passphraseFile,
        '--json',
      ]),
    );
    const report = JSON.parse(verified.stdout) as { parts: unknown[] };
    expect(report.parts).toEqual([
      expect.objectContaining({
        kind: 'database',
        name: 'shop',
        source: { host: 'local', database: 'shop', via: via.split(' ') },
      }),
    ]);
    await cluster.createDatabase('shop_via');
    ok(
      await setup.rekey([
        'backup',
        'restore',
        file,
        '--passphrase-file',
        setup.passphraseFile,
        '--db',
        'shop=local:shop_via',
        '--via-for',
        `shop=${via}`,
      ]),
    );
    const count = 'SELECT count(*), max(customer) FROM orders';
    expect(await cluster.query(count, 'shop_via')).toEqual(await cluster.query(count));
  }, 120_000);

  it('never shows a passphrase in any output', () => {
    expect(runs.length).toBeGreaterThan(20);
    for (const run of runs) {
      for (const secret of [PASSPHRASE, KEY_PASSPHRASE, 'not the passphrase']) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    }
  });
});
