import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../src/main/backup/verify-bundle';
import { useTempDirs } from '../helpers/temp';

/**
 * A bundle made without Rekey: the files, MANIFEST.json and SHA256SUMS written by hand and by
 * `sha256sum`, archived by GNU `tar -c` and encrypted by stock `gpg --symmetric` (GnuPG 2.2, its
 * default zlib compression, AES-256). Rekey's verify reads it, and names the file whose bytes
 * changed after SHA256SUMS was made. gpg runs in a private GNUPGHOME; the passphrase goes
 * through a file; the agent it starts is killed afterwards.
 */

const tempDir = useTempDirs();
const PASSPHRASE = 'stock tools passphrase, with spaces';
const homes: string[] = [];

afterEach(() => {
  for (const home of homes.splice(0)) {
    execFileSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
  }
});

const CONFIG = 'config/local/etc/shop/app.env';
const FILES = ['secrets.json', CONFIG, 'MANIFEST.json'];

/** Writes the files, SHA256SUMS over them, `tar -c` (SHA256SUMS last) and `gpg --symmetric`. */
function stockBundle(dir: string, alterAfterSums?: string): string {
  const files = join(dir, 'files');
  mkdirSync(join(files, 'config/local/etc/shop'), { recursive: true });
  writeFileSync(
    join(files, 'secrets.json'),
    `${JSON.stringify({ format: 1, deployment: 'shop', secrets: [] }, null, 2)}\n`,
  );
  writeFileSync(join(files, CONFIG), 'DB_NAME=shop\nDB_PASSWORD=made-by-hand-0123456789\n');
  writeFileSync(
    join(files, 'MANIFEST.json'),
    `${JSON.stringify({ format: 1, tool: { name: 'tar+gpg' }, deployment: 'shop' }, null, 2)}\n`,
  );
  execFileSync('sh', ['-c', 'cd "$0" && sha256sum -- "$@" > SHA256SUMS', files, ...FILES]);
  if (alterAfterSums) {
    writeFileSync(join(files, alterAfterSums), 'DB_NAME=shop\nDB_PASSWORD=changed-afterwards-99\n');
  }
  const tar = join(dir, 'bundle.tar');
  // Only the files are named, so tar writes no directory entries.
  execFileSync('tar', ['-c', '-f', tar, '-C', files, ...FILES, 'SHA256SUMS']);
  const home = join(dir, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  homes.push(home);
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, PASSPHRASE, { mode: 0o600 });
  const encrypted = join(dir, 'bundle.tar.gpg');
  execFileSync(
    'gpg',
    [
      '--batch',
      '--quiet',
      '--pinentry-mode',
      'loopback',
      '--passphrase-file',
      passphraseFile,
      '--symmetric',
      '--cipher-algo',
      'AES256',
      '--output',
      encrypted,
      tar,
    ],
    { env: { ...process.env, GNUPGHOME: home } },
  );
  return encrypted;
}

describe('a bundle made with tar, sha256sum and gpg', () => {
  it('verifies with Rekey', async () => {
    const report = await verifyBundle(stockBundle(tempDir()), { passphrase: PASSPHRASE });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.entries.map((entry) => entry.name)).toEqual([...FILES, 'SHA256SUMS']);
    expect(report.manifest).toMatchObject({ tool: { name: 'tar+gpg' }, deployment: 'shop' });
  });

  it('names the file changed after SHA256SUMS was made', async () => {
    const report = await verifyBundle(stockBundle(tempDir(), CONFIG), { passphrase: PASSPHRASE });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([`${CONFIG} does not match its checksum`]);
  });

  it('refuses a wrong passphrase', async () => {
    await expect(
      verifyBundle(stockBundle(tempDir()), { passphrase: 'not the passphrase' }),
    ).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });
});
