import { randomBytes } from 'node:crypto';
import { type Algorithm, type Version, hashRaw } from '@node-rs/argon2';
import { RekeyError } from '../../shared/errors';

/** Argon2id parameters as stored in the vault header. */
export interface KdfParams {
  algorithm: 'argon2id';
  version: 19;
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  salt: Buffer;
}

export type KdfCost = Pick<KdfParams, 'memoryKiB' | 'iterations' | 'parallelism'>;

/** OWASP's lowest recommended Argon2id setting; nothing weaker is ever written or accepted. */
export const KDF_FLOOR = { memoryKiB: 19 * 1024, iterations: 2 } as const;

/**
 * Upper bounds for parameters read from a header. A damaged or hostile file must not make
 * unlocking allocate gigabytes or spin for minutes before it fails.
 */
export const KDF_CEILING = { memoryKiB: 1024 * 1024, iterations: 64, parallelism: 16 } as const;

/** Memory used by calibration: strong against GPUs, comfortable on any desktop. */
const CALIBRATION_MEMORY_KIB = 64 * 1024;
const CALIBRATION_PARALLELISM = 2;
export const DEFAULT_KDF_TARGET_MS = 500;

const KEY_LENGTH = 32;
/** The library's const enums cannot be imported under isolated modules; these are their values. */
const ARGON2ID = 2 as Algorithm.Argon2id;
const VERSION_0X13 = 1 as Version.V0x13;
const SALT_LENGTH = 16;

export function checkKdfCost(cost: KdfCost): void {
  const { memoryKiB, iterations, parallelism } = cost;
  const integers = [memoryKiB, iterations, parallelism].every(Number.isSafeInteger);
  if (
    !integers ||
    memoryKiB < KDF_FLOOR.memoryKiB ||
    iterations < KDF_FLOOR.iterations ||
    parallelism < 1 ||
    memoryKiB > KDF_CEILING.memoryKiB ||
    iterations > KDF_CEILING.iterations ||
    parallelism > KDF_CEILING.parallelism ||
    memoryKiB < 8 * parallelism
  ) {
    throw new RekeyError(
      'INVALID_INPUT',
      `Argon2id parameters out of range: memory ${memoryKiB} KiB (min ${KDF_FLOOR.memoryKiB}, ` +
        `max ${KDF_CEILING.memoryKiB}), iterations ${iterations} (min ${KDF_FLOOR.iterations}, ` +
        `max ${KDF_CEILING.iterations}), parallelism ${parallelism} (1..${KDF_CEILING.parallelism})`,
    );
  }
}

export function kdfParams(cost: KdfCost, salt: Buffer = randomBytes(SALT_LENGTH)): KdfParams {
  checkKdfCost(cost);
  return { algorithm: 'argon2id', version: 19, ...cost, salt };
}

export async function deriveKey(password: string, params: KdfParams): Promise<Buffer> {
  checkKdfCost(params);
  return hashRaw(password, {
    algorithm: ARGON2ID,
    version: VERSION_0X13,
    memoryCost: params.memoryKiB,
    timeCost: params.iterations,
    parallelism: params.parallelism,
    outputLen: KEY_LENGTH,
    salt: params.salt,
  });
}

/**
 * Finds the Argon2id cost that takes about `targetMs` on this machine. Memory is fixed at
 * 64 MiB; the time of a run is a fixed part (filling the memory) plus a part per iteration,
 * so two probes at different iteration counts give both, and the iteration count follows.
 * On a machine too slow for two iterations in time, memory shrinks towards the floor instead.
 */
export async function calibrateKdf(
  targetMs = DEFAULT_KDF_TARGET_MS,
  onProgress?: (fraction: number) => void,
): Promise<KdfCost> {
  const base = { memoryKiB: CALIBRATION_MEMORY_KIB, parallelism: CALIBRATION_PARALLELISM };
  const probes = [KDF_FLOOR.iterations, KDF_FLOOR.iterations + 4];
  const runsPerProbe = 2;
  const fastest: number[] = [];
  let done = 0;
  for (const iterations of probes) {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < runsPerProbe; run++) {
      const started = performance.now();
      await deriveKey('calibration', kdfParams({ ...base, iterations }));
      best = Math.min(best, performance.now() - started);
      onProgress?.(++done / (probes.length * runsPerProbe));
    }
    fastest.push(best);
  }
  const [low = 0, high = 0] = fastest;
  const [fewer = 0, more = 0] = probes;
  const perIteration = Math.max((high - low) / (more - fewer), 0.01);
  const fixed = Math.max(low - perIteration * fewer, 0);
  const iterations = Math.floor((targetMs - fixed) / perIteration);
  if (iterations >= KDF_FLOOR.iterations) {
    return { ...base, iterations: Math.min(iterations, KDF_CEILING.iterations) };
  }
  const memoryKiB = Math.floor((base.memoryKiB * targetMs) / low);
  return {
    ...base,
    iterations: KDF_FLOOR.iterations,
    memoryKiB: Math.max(KDF_FLOOR.memoryKiB, memoryKiB),
  };
}
