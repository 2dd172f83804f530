import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isRekeyError } from '../../src/shared/errors';
import { encodeFrame } from '../../src/main/vault/frames';
import { MAGIC, decodeHeader, encodeHeader } from '../../src/main/vault/header';
import { kdfParams } from '../../src/main/vault/kdf';
import { Vault } from '../../src/main/vault/vault';
import { addSecret } from '../helpers/secrets';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, TEST_OPTIONS, cachingUnlocker, createVault } from '../helpers/vault';

/**
 * The reader gets hostile input: random files, valid vaults mutated every way we can think
 * of, and files whose checksums are right but whose contents are junk. It may open a file
 * (a cut at a record boundary is a shorter valid vault) or fail, but only with one of its
 * typed errors: never a TypeError, a RangeError, a hang or a crash.
 */
const FILES = Number(process.env['REKEY_FUZZ_FILES'] ?? 5000);
const TYPED = new Set(['NOT_A_VAULT', 'VAULT_DAMAGED', 'NEWER_FORMAT', 'WRONG_PASSWORD']);

type Mutator = (valid: Buffer, other: Buffer) => Buffer;

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T;

function flipBytes(bytes: Buffer, count: number): Buffer {
  const copy = Buffer.from(bytes);
  for (let i = 0; i < count; i++) {
    const at = randomInt(copy.length);
    copy[at] = (copy[at] as number) ^ (1 + randomInt(255));
  }
  return copy;
}

/** A header whose checksums pass but whose fields are whatever we like. */
function headerWithBody(body: string, version = 1): Buffer {
  const json = Buffer.from(body);
  const bytes = Buffer.alloc(24 + json.length);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt16LE(version, 8);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 12)), 12);
  bytes.writeUInt32LE(json.length, 16);
  json.copy(bytes, 20);
  bytes.writeUInt32LE(crc32(bytes.subarray(16, 20 + json.length)), 20 + json.length);
  return bytes;
}

const mutators: Record<string, Mutator> = {
  random: () => randomBytes(randomInt(0, 4096)),
  randomAfterMagic: () => Buffer.concat([MAGIC, randomBytes(randomInt(0, 2048))]),
  flipOne: (valid) => flipBytes(valid, 1),
  flipMany: (valid) => flipBytes(valid, randomInt(2, 40)),
  truncate: (valid) => valid.subarray(0, randomInt(valid.length)),
  extendRandom: (valid) => Buffer.concat([valid, randomBytes(randomInt(1, 300))]),
  insert: (valid) => {
    const at = randomInt(valid.length);
    return Buffer.concat([
      valid.subarray(0, at),
      randomBytes(randomInt(1, 64)),
      valid.subarray(at),
    ]);
  },
  deleteRange: (valid) => {
    const at = randomInt(valid.length);
    return Buffer.concat([valid.subarray(0, at), valid.subarray(at + randomInt(1, 200))]);
  },
  zeroRange: (valid) => {
    const copy = Buffer.from(valid);
    const at = randomInt(copy.length);
    copy.fill(0, at, Math.min(copy.length, at + randomInt(1, 500)));
    return copy;
  },
  duplicateRange: (valid) => {
    const at = randomInt(valid.length);
    const length = randomInt(1, 400);
    return Buffer.concat([
      valid.subarray(0, at + length),
      valid.subarray(at, at + length),
      valid.subarray(at + length),
    ]);
  },
  spliceOther: (valid, other) => {
    const at = randomInt(valid.length);
    const from = randomInt(other.length);
    return Buffer.concat([valid.subarray(0, at), other.subarray(from)]);
  },
  otherHeaderOurRecords: (valid, other) => {
    const ours = decodeHeader(valid, 'v').length;
    const theirs = decodeHeader(other, 'v').length;
    return Buffer.concat([other.subarray(0, theirs), valid.subarray(ours)]);
  },
  validFrameJunkBody: (valid) => {
    const headerLength = decodeHeader(valid, 'v').length;
    return Buffer.concat([
      valid.subarray(0, headerLength),
      encodeFrame(randomBytes(randomInt(29, 2000))),
    ]);
  },
  hugeFrameLength: (valid) => {
    const headerLength = decodeHeader(valid, 'v').length;
    const frame = Buffer.alloc(8);
    frame.writeUInt32LE(0xffffff00, 0);
    frame.writeUInt32LE(crc32(frame.subarray(0, 4)), 4);
    return Buffer.concat([valid.subarray(0, headerLength), frame, randomBytes(100)]);
  },
  junkHeaderJson: () =>
    headerWithBody(
      pick([
        '{}',
        'null',
        '[]',
        '"text"',
        '{"vaultId":1}',
        '{not json',
        JSON.stringify({ vaultId: 'AAAA', createdAt: 'x', kdf: {}, wrappedKey: '' }),
        JSON.stringify({
          vaultId: randomBytes(16).toString('base64'),
          createdAt: new Date().toISOString(),
          kdf: {
            algorithm: 'argon2id',
            version: 19,
            memoryKiB: 1e12,
            iterations: 1e9,
            parallelism: 1,
            salt: randomBytes(16).toString('base64'),
          },
          wrappedKey: '',
        }),
        randomBytes(randomInt(1, 200)).toString('latin1'),
      ]),
    ),
  plausibleHeaderWrongKey: () =>
    Buffer.concat([
      encodeHeader({
        vaultId: randomBytes(16),
        createdAt: new Date().toISOString(),
        kdf: kdfParams(FAST_KDF),
        wrappedKey: randomBytes(randomInt(0, 80)),
      }),
      randomBytes(randomInt(0, 200)),
    ]),
  newerVersion: () => headerWithBody(randomBytes(30).toString('hex'), 2 + randomInt(60000)),
};

describe('vault reader fuzz', () => {
  const tempDir = useTempDirs();

  it(`answers ${FILES} hostile files with typed errors only`, { timeout: 900_000 }, async () => {
    const dir = tempDir();
    const vault = await createVault(dir, { autoCompactAfter: 4 });
    for (let i = 0; i < 6; i++) await addSecret(vault, `fuzz/s${i}`, `value-${i}-0123456789abcdef`);
    const valid = readFileSync(vault.path);
    const otherVault = await createVault(tempDir());
    await addSecret(otherVault, 'fuzz/x', 'other-value-0123456789');
    const other = readFileSync(otherVault.path);

    const unlock = cachingUnlocker();
    const names = Object.keys(mutators);
    const seen = new Map<string, number>();
    const path = join(dir, 'fuzzed.rekey');
    for (let i = 0; i < FILES; i++) {
      const name = names[i % names.length] as string;
      const bytes = (mutators[name] as Mutator)(valid, other);
      writeFileSync(path, bytes);
      let outcome = 'opened';
      try {
        (await Vault.open(path, unlock, { ...TEST_OPTIONS, onWarning: () => undefined })).close();
      } catch (error) {
        if (!isRekeyError(error) || !TYPED.has(error.code)) {
          throw new Error(
            `${name} (file ${i}, ${bytes.length} bytes, saved as ${path}) gave an untyped error`,
            { cause: error },
          );
        }
        outcome = error.code;
      }
      seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
    }
    // Every kind of typed failure was exercised, and some mutations left a readable vault.
    for (const code of [...TYPED, 'opened']) expect(seen.get(code) ?? 0, code).toBeGreaterThan(0);
  });
});
