import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { HashingPassThrough, RING_BYTES, ThreadHash } from '../../src/main/backup/hash-thread';
import { useTempDirs } from '../helpers/temp';

/**
 * Hashes on worker threads (through a ring in shared memory) give node:crypto's digests, for
 * any size and chunking, one after the other and side by side; an abandoned hash neither
 * breaks the next ones nor holds the process open.
 */

const tempDir = useTempDirs();

function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

async function threadDigest(algorithm: 'sha1' | 'sha256', parts: Buffer[]): Promise<string> {
  const hash = new ThreadHash(algorithm);
  for (const part of parts) await hash.update(part);
  return (await hash.digest()).toString('hex');
}

const expected = (algorithm: string, bytes: Buffer) =>
  createHash(algorithm).update(bytes).digest('hex');

describe('ThreadHash', () => {
  it.each([0, 1, 1000, RING_BYTES - 1, RING_BYTES, RING_BYTES + 1, 3 * RING_BYTES + 5])(
    '%i bytes, in one piece and in odd pieces: the digest node:crypto gives',
    async (size) => {
      const bytes = randomBytes(size);
      for (const algorithm of ['sha1', 'sha256'] as const) {
        expect(await threadDigest(algorithm, [bytes])).toBe(expected(algorithm, bytes));
        expect(await threadDigest(algorithm, pieces(bytes, 65_537))).toBe(
          expected(algorithm, bytes),
        );
      }
    },
  );

  it('many short hashes one after the other (threads are reused; no wake-up is lost)', async () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(i % 97);
      expect(await threadDigest('sha1', [bytes])).toBe(expected('sha1', bytes));
    }
  }, 30_000);

  it('hashes side by side, fed in turns, each get their own digest', async () => {
    const fed = Array.from({ length: 8 }, (_, i) => ({
      bytes: randomBytes(2 * RING_BYTES + i * 1000),
      hash: new ThreadHash('sha256'),
    }));
    const chunk = 300_000;
    for (let at = 0; at < 2 * RING_BYTES + 8000; at += chunk) {
      await Promise.all(fed.map(({ bytes, hash }) => hash.update(bytes.subarray(at, at + chunk))));
    }
    for (const { bytes, hash } of fed) {
      expect((await hash.digest()).toString('hex')).toBe(expected('sha256', bytes));
    }
  });

  it('a discarded hash leaves the others working; a finished hash refuses more', async () => {
    const dropped = new ThreadHash('sha256');
    await dropped.update(randomBytes(RING_BYTES + 10));
    dropped.discard();
    await expect(dropped.update(Buffer.from('x'))).rejects.toMatchObject({ code: 'INTERNAL' });
    const bytes = randomBytes(100_000);
    expect(await threadDigest('sha256', [bytes])).toBe(expected('sha256', bytes));
    const done = new ThreadHash('sha1');
    await done.digest();
    await expect(done.update(Buffer.from('x'))).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('an abandoned hash does not keep the process running', () => {
    const script = join(tempDir(), 'abandon.mts');
    const module = resolve('src/main/backup/hash-thread.ts');
    writeFileSync(
      script,
      `import { ThreadHash } from ${JSON.stringify(module)};\n` +
        `const hash = new ThreadHash('sha256');\n` +
        `await hash.update(Buffer.alloc(${2 * RING_BYTES}));\n` +
        `console.log('left');\n`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      timeout: 20_000,
      encoding: 'utf8',
    });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('left\n');
  });

  it('HashingPassThrough passes the bytes on unchanged, counts and hashes them', async () => {
    const bytes = randomBytes(3 * RING_BYTES + 17);
    const measure = new HashingPassThrough('sha256');
    const out: Buffer[] = [];
    await pipeline(
      Readable.from(pieces(bytes, 100_003)),
      measure,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          out.push(chunk);
          done();
        },
      }),
    );
    expect(Buffer.concat(out).equals(bytes)).toBe(true);
    expect(measure.bytes).toBe(bytes.length);
    expect((await measure.hash.digest()).toString('hex')).toBe(expected('sha256', bytes));
  });

  it('HashingPassThrough destroyed by a failure gives its thread up', async () => {
    const measure = new HashingPassThrough('sha1');
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(RING_BYTES);
        throw new Error('source failed');
      })(),
    );
    await expect(
      pipeline(failing, measure, new Writable({ write: (_c, _e, done) => done() })),
    ).rejects.toThrow('source failed');
    await expect(measure.hash.digest()).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
