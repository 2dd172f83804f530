import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/shared/errors';
import { type GnupgHome, makeGnupgHome } from '../helpers/gnupg';
import { type CliVault, initCliVault } from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';

/**
 * `rekey import compose|pass|keepass|bitwarden` and `rekey export pass|keepass|env` as a
 * user runs them: the dry run changes nothing, duplicates follow --on-duplicate and --choose,
 * plaintext exports warn on stderr, and what we write, pass reads.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/interchange/', import.meta.url));
const tempDir = useTempDirs();
let gnupg: GnupgHome;

beforeAll(async () => {
  gnupg = await makeGnupgHome();
}, 60_000);
afterAll(async () => gnupg?.stop());

async function vaultWith(values: Record<string, string>): Promise<CliVault> {
  const vault = await initCliVault(tempDir());
  for (const [ref, value] of Object.entries(values)) {
    const added = await vault.rekey(['secret', 'add', ref, '--value-stdin'], { stdin: value });
    expect(added.code, added.stderr).toBe(0);
  }
  return vault;
}

const refs = async (vault: CliVault) => {
  const listed = await vault.rekey(['secret', 'list', '--json']);
  return (JSON.parse(listed.stdout) as { ref: string }[]).map((s) => s.ref).sort();
};

describe('rekey import (interchange)', () => {
  it('compose: --dry-run shows the duplicates and writes nothing; --on-duplicate version', async () => {
    const vault = await vaultWith({ 'stack/db.POSTGRES_PASSWORD': 'old-value-42' });
    const compose = join(FIXTURES, 'compose.yaml');
    const dry = await vault.rekey([
      'import',
      'compose',
      compose,
      '--deployment',
      'stack',
      '--dry-run',
    ]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(
      /stack\/db\.POSTGRES_PASSWORD .* different value than stack\/db\.POSTGRES_PASSWORD/,
    );
    expect(dry.stdout).toMatch(/stack\/synapse\.POSTGRES_PASSWORD .* new/);
    expect(dry.stdout).toMatch(/MACAROON_SECRET_KEY: interpolated/);
    expect(dry.stdout).not.toContain('pg-Secret-4f9a1c2e');
    expect(await refs(vault)).toEqual(['stack/db.POSTGRES_PASSWORD']);

    const applied = await vault.rekey([
      'import',
      'compose',
      compose,
      '--deployment',
      'stack',
      '--on-duplicate',
      'version',
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Imported: 2 new, 1 new versions, 0 skipped');
    const shown = await vault.rekey(['secret', 'reveal', 'stack/db.POSTGRES_PASSWORD']);
    expect(shown.stdout.trim()).toBe('pg-Secret-4f9a1c2e');
  });

  it('bitwarden: --choose renames one candidate; keepass CSV by extension', async () => {
    const vault = await vaultWith({ 'vault/Synapse-admin': 'Adm1n-pass-x9' });
    const bw = join(FIXTURES, 'bitwarden.json');
    const dry = await vault.rekey([
      'import',
      'bitwarden',
      bw,
      '--deployment',
      'vault',
      '--dry-run',
      '--json',
    ]);
    const preview = JSON.parse(dry.stdout) as {
      candidates: { id: string; ref: string; status: string }[];
    };
    const same = preview.candidates.find((c) => c.status === 'same');
    expect(same?.ref).toBe('vault/Synapse-admin');
    const applied = await vault.rekey([
      'import',
      'bitwarden',
      bw,
      '--deployment',
      'vault',
      '--choose',
      `${same?.id}=rename:vault/admin-copy`,
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await refs(vault)).toEqual([
      'vault/Backup-passphrase',
      'vault/Synapse-admin',
      'vault/Synapse-admin/api-token',
      'vault/admin-copy',
    ]);
    const csv = await vault.rekey([
      'import',
      'keepass',
      join(FIXTURES, 'keepassxc-export.csv'),
      '--deployment',
      'kp',
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toContain('Imported: 3 new');
  });
});

describe('rekey export', () => {
  it('env and keepass warn about plaintext and write 0600 files', async () => {
    const vault = await vaultWith({ 'web/API_TOKEN': 'tok-abc-123', 'web/DB_PASSWORD': 'p w"d' });
    const env = join(vault.dir, 'web.env');
    const exported = await vault.rekey(['export', 'env', 'web', env]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/warning: .*web\.env will hold the secrets' values in clear/);
    expect(readFileSync(env, 'utf8')).toBe("API_TOKEN=tok-abc-123\nDB_PASSWORD='p w\"d'\n");
    expect(statSync(env).mode & 0o777).toBe(0o600);
    const xml = join(vault.dir, 'all.xml');
    const kp = await vault.rekey(['export', 'keepass', xml]);
    expect(kp.stderr).toMatch(/in clear \(KeePass XML\)/);
    expect(statSync(xml).mode & 0o777).toBe(0o600);
    const history = await vault.rekey(['history', '--json']);
    expect((history.stdout.match(/secrets\.exported/g) ?? []).length).toBe(2);
    // An existing file stays as it is unless --force says to replace it.
    writeFileSync(env, 'KEEP=me\n');
    const refused = await vault.rekey(['export', 'env', 'web', env]);
    expect(refused.code).toBe(EXIT_CODES.CONFLICT);
    expect(refused.stderr).toContain('exists already: nothing was written');
    expect(readFileSync(env, 'utf8')).toBe('KEEP=me\n');
    const forced = await vault.rekey(['export', 'env', 'web', env, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(env, 'utf8')).toContain('API_TOKEN=tok-abc-123');
  });

  it('pass: encrypted to a gpg key id, read by pass show; imported back with --key', async () => {
    const vault = await vaultWith({ 'infra/backup.passphrase': 'bk-Passphrase-77' });
    const store = join(vault.dir, 'store');
    const env = { GNUPGHOME: gnupg.home };
    const exported = await vault.rekey(
      ['export', 'pass', store, '--recipient', gnupg.fingerprint],
      { env },
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).not.toMatch(/warning/);
    const shown = await gnupg.pass(store, ['show', 'infra/backup.passphrase']);
    expect(shown.stdout).toBe('bk-Passphrase-77\n');

    const keyFile = join(vault.dir, 'key.asc');
    const secretKey = await gnupg.gpg([
      '--passphrase',
      '',
      '--armor',
      '--export-secret-keys',
      gnupg.fingerprint,
    ]);
    writeFileSync(keyFile, secretKey.stdout, { mode: 0o600 });
    const dry = await vault.rekey(['import', 'pass', store, '--key', keyFile, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(
      /infra\/backup\.passphrase .* same value already in infra\/backup\.passphrase/,
    );
  });
});
