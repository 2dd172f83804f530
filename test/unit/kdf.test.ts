import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  KDF_CEILING,
  KDF_FLOOR,
  calibrateKdf,
  deriveKey,
  kdfParams,
} from '../../src/main/vault/kdf';

describe('Argon2id key derivation', () => {
  it('matches the reference implementation (Debian argon2) byte for byte', async () => {
    const salt = Buffer.from('rekey-salt-16byt');
    const params = kdfParams(
      { memoryKiB: KDF_FLOOR.memoryKiB, iterations: 3, parallelism: 2 },
      salt,
    );
    const ours = await deriveKey('pässword with ünïcode', params);
    const reference = execFileSync(
      'argon2',
      [
        salt.toString('latin1'),
        '-id',
        '-t',
        '3',
        '-k',
        String(KDF_FLOOR.memoryKiB),
        '-p',
        '2',
        '-l',
        '32',
        '-r',
      ],
      { input: 'pässword with ünïcode' },
    )
      .toString()
      .trim();
    expect(ours.toString('hex')).toBe(reference);
  });

  it('is deterministic for equal inputs and differs by salt', async () => {
    const cost = { memoryKiB: KDF_FLOOR.memoryKiB, iterations: 2, parallelism: 1 };
    const salt = Buffer.alloc(16, 7);
    const a = await deriveKey('pw', kdfParams(cost, salt));
    const b = await deriveKey('pw', kdfParams(cost, salt));
    const c = await deriveKey('pw', kdfParams(cost, Buffer.alloc(16, 8)));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it.each([
    { memoryKiB: KDF_FLOOR.memoryKiB - 1, iterations: 2, parallelism: 1 },
    { memoryKiB: KDF_FLOOR.memoryKiB, iterations: 1, parallelism: 1 },
    { memoryKiB: KDF_CEILING.memoryKiB + 1, iterations: 2, parallelism: 1 },
    { memoryKiB: KDF_FLOOR.memoryKiB, iterations: KDF_CEILING.iterations + 1, parallelism: 1 },
    { memoryKiB: KDF_FLOOR.memoryKiB, iterations: 2, parallelism: 0 },
    { memoryKiB: KDF_FLOOR.memoryKiB, iterations: 2.5, parallelism: 1 },
  ])('refuses parameters outside the floor and ceiling: %o', (cost) => {
    expect(() => kdfParams(cost)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('calibrates to at least the floor and reports progress', async () => {
    const progress: number[] = [];
    const cost = await calibrateKdf(60, (fraction) => progress.push(fraction));
    expect(cost.memoryKiB).toBeGreaterThanOrEqual(KDF_FLOOR.memoryKiB);
    expect(cost.iterations).toBeGreaterThanOrEqual(KDF_FLOOR.iterations);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  it('calibration spends more work for a longer target', async () => {
    const work = (c: { memoryKiB: number; iterations: number }) => c.memoryKiB * c.iterations;
    const short = await calibrateKdf(50);
    const long = await calibrateKdf(600);
    expect(work(long)).toBeGreaterThan(work(short));
  });
});
