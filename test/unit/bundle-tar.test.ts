import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  type BundleEntry,
  bufferEntry,
  checkEntryName,
  readBundleTar,
  writeBundleTar,
} from '../../src/main/backup/bundle-tar';
import { useTempDirs } from '../helpers/temp';

/** The tar inside a bundle: stock `tar -x` and `sha256sum -c` accept it, and Rekey checks it. */
describe('bundle tar', () => {
  const tempDir = useTempDirs();
  const big = randomBytes(20 * 1024 * 1024);
  const entries = (): BundleEntry[] => [
    {
      name: 'dumps/app.dump',
      size: big.length,
      open: () => Readable.from([big.subarray(0, 1 << 20), big.subarray(1 << 20)]),
    },
    bufferEntry('config/srv/app/.env', Buffer.from('A=1\nTOKEN=x\n')),
    bufferEntry('secrets.json', Buffer.from('{"secrets":[]}\n')),
  ];

  async function writeTo(path: string, list = entries()): Promise<void> {
    const { tar, written } = writeBundleTar(list, (done) => ({ format: 1, files: done }));
    await Promise.all([pipeline(tar, createWriteStream(path)), written]);
  }

  it('is extracted by tar and checked by sha256sum -c', async () => {
    const dir = tempDir();
    const file = join(dir, 'bundle.tar');
    await writeTo(file);
    const out = join(dir, 'out');
    mkdirSync(out);
    execFileSync('tar', ['-x', '-f', file, '-C', out]);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' })).toBe(
      'dumps/app.dump: OK\nconfig/srv/app/.env: OK\nsecrets.json: OK\nMANIFEST.json: OK\n',
    );
    expect(readFileSync(join(out, 'dumps/app.dump')).equals(big)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'MANIFEST.json'), 'utf8'));
    expect(manifest.files[0]).toEqual({
      name: 'dumps/app.dump',
      size: big.length,
      sha256: createHash('sha256').update(big).digest('hex'),
    });
  });

  it('reads back with every checksum right, handing each entry over as a stream', async () => {
    const file = join(tempDir(), 'bundle.tar');
    await writeTo(file);
    const seen = new Map<string, number>();
    const report = await readBundleTar(createReadStream(file), async (name, data) => {
      let bytes = 0;
      for await (const chunk of data) bytes += (chunk as Buffer).length;
      seen.set(name, bytes);
    });
    expect(report.problems).toEqual([]);
    expect(seen.get('dumps/app.dump')).toBe(big.length);
    expect(report.entries.map((entry) => entry.name)).toEqual([
      'dumps/app.dump',
      'config/srv/app/.env',
      'secrets.json',
      'MANIFEST.json',
      'SHA256SUMS',
    ]);
  });

  it('names the entry whose bytes changed', async () => {
    const file = join(tempDir(), 'bundle.tar');
    await writeTo(file);
    const bytes = readFileSync(file);
    // Inside the dump's data (after its 512-byte header).
    bytes[512 + 1000] = (bytes[512 + 1000] ?? 0) ^ 0x01;
    writeFileSync(file, bytes);
    const report = await readBundleTar(createReadStream(file));
    expect(report.problems).toEqual(['dumps/app.dump does not match its checksum']);
  });

  it('notices a missing entry and a cut-off archive', async () => {
    const dir = tempDir();
    const file = join(dir, 'bundle.tar');
    await writeTo(file);
    const cut = join(dir, 'cut.tar');
    writeFileSync(cut, readFileSync(file).subarray(0, 4 * 1024 * 1024));
    await expect(readBundleTar(createReadStream(cut))).rejects.toMatchObject({
      code: 'FORMAT_ERROR',
    });
  });

  it('refuses a source that is not the size announced, and names that are not plain paths', async () => {
    const file = join(tempDir(), 'bundle.tar');
    const short: BundleEntry = {
      name: 'dumps/x.dump',
      size: 10,
      open: () => Readable.from([Buffer.alloc(5)]),
    };
    await expect(writeTo(file, [short])).rejects.toThrow();
    for (const name of [
      '/etc/passwd',
      '../x',
      'a/../b',
      'MANIFEST.json',
      'SHA256SUMS',
      '',
      'a\nb',
    ]) {
      expect(() => checkEntryName(name), name).toThrow(/cannot be a file name/);
    }
    expect(() => checkEntryName('config/srv/synctv/config.yaml')).not.toThrow();
  });
});
