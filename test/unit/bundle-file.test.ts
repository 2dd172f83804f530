import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BundleFileWriter } from '../../src/main/backup/bundle-file';
import { useTempDirs } from '../helpers/temp';

/**
 * The bundle file writer: every byte lands in order (single writes and batched writev), the
 * file is created new with the given mode, and it is flushed to disk while it grows.
 */

const tempDir = useTempDirs();
const MiB = 1024 * 1024;

async function fileHandlePrototype(path: string): Promise<object> {
  const handle = await open(path, 'w');
  await handle.close();
  return Object.getPrototypeOf(handle) as object;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('BundleFileWriter', () => {
  it('writes every chunk in order, creates the file with its mode, flushes as it grows', async () => {
    const dir = tempDir();
    const proto = (await fileHandlePrototype(join(dir, 'probe'))) as {
      datasync(): Promise<void>;
    };
    const datasync = vi.spyOn(proto, 'datasync');
    const chunks = Array.from({ length: 200 }, (_, i) => randomBytes(1 + ((i * 7919) % 60_000)));
    const path = join(dir, 'bundle.gpg');
    await pipeline(Readable.from(chunks), new BundleFileWriter(path, 0o600, 1 * MiB));
    expect(readFileSync(path).equals(Buffer.concat(chunks))).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // About 6 MiB with a flush due every MiB: flushed before the end (one flush at a time, so
    // how many depends on the disk).
    expect(datasync).toHaveBeenCalled();
  });

  it('refuses to overwrite an existing file', async () => {
    const path = join(tempDir(), 'exists.gpg');
    writeFileSync(path, 'keep me');
    await expect(
      pipeline(Readable.from([Buffer.from('new')]), new BundleFileWriter(path)),
    ).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });

  it('a failing flush fails the write instead of being lost', async () => {
    const dir = tempDir();
    const proto = (await fileHandlePrototype(join(dir, 'probe'))) as {
      datasync(): Promise<void>;
    };
    vi.spyOn(proto, 'datasync').mockRejectedValue(Object.assign(new Error('EIO'), { code: 'EIO' }));
    const chunks = Array.from({ length: 50 }, () => randomBytes(100_000));
    await expect(
      pipeline(Readable.from(chunks), new BundleFileWriter(join(dir, 'b.gpg'), 0o600, 1 * MiB)),
    ).rejects.toMatchObject({ code: 'EIO' });
  });
});
