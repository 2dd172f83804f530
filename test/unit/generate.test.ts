import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RekeyError } from '../../src/shared/errors';
import { GENERATOR_KINDS, type GeneratorSpec } from '../../src/shared/model';
import {
  DEFAULT_LENGTHS,
  formatGeneratorSpec,
  generateSecret,
  parseGeneratorSpec,
} from '../../src/main/vault/generate';
import { isWellFormedEd25519 } from '../../src/main/vault/ssh-ed25519';
import { useTempDirs } from '../helpers/temp';

const EFF_WORDS = readFileSync(
  new URL('../../resources/wordlists/eff-large.txt', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((word) => word.length > 0);

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function invalidInput(text: string): RekeyError {
  try {
    parseGeneratorSpec(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RekeyError);
    expect((error as RekeyError).code).toBe('INVALID_INPUT');
    return error as RekeyError;
  }
  throw new Error(`parseGeneratorSpec(${JSON.stringify(text)}) did not throw`);
}

async function generationError(spec: GeneratorSpec): Promise<RekeyError> {
  const error: unknown = await generateSecret(spec).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RekeyError);
  expect((error as RekeyError).code).toBe('INVALID_INPUT');
  return error as RekeyError;
}

describe('parseGeneratorSpec', () => {
  it('parses every kind with an explicit length', () => {
    expect(parseGeneratorSpec('hex:16')).toEqual({ kind: 'hex', length: 16 });
    expect(parseGeneratorSpec('base64:32')).toEqual({ kind: 'base64', length: 32 });
    expect(parseGeneratorSpec('base64url:48')).toEqual({ kind: 'base64url', length: 48 });
    expect(parseGeneratorSpec('alphanumeric:40')).toEqual({ kind: 'alphanumeric', length: 40 });
    expect(parseGeneratorSpec('passphrase:8')).toEqual({ kind: 'passphrase', length: 8 });
    expect(parseGeneratorSpec('ed25519')).toEqual({ kind: 'ed25519', length: 0 });
  });

  it('uses the default length when none is given', () => {
    for (const kind of GENERATOR_KINDS) {
      expect(parseGeneratorSpec(kind)).toEqual({ kind, length: DEFAULT_LENGTHS[kind] });
    }
    expect(parseGeneratorSpec('hex')).toEqual({ kind: 'hex', length: 32 });
    expect(parseGeneratorSpec('passphrase')).toEqual({ kind: 'passphrase', length: 6 });
  });

  it('accepts the aliases', () => {
    expect(parseGeneratorSpec('alnum:20')).toEqual({ kind: 'alphanumeric', length: 20 });
    expect(parseGeneratorSpec('words:5')).toEqual({ kind: 'passphrase', length: 5 });
    expect(parseGeneratorSpec('b64:24')).toEqual({ kind: 'base64', length: 24 });
    expect(parseGeneratorSpec('b64url:24')).toEqual({ kind: 'base64url', length: 24 });
    expect(parseGeneratorSpec('alnum')).toEqual({ kind: 'alphanumeric', length: 32 });
    expect(parseGeneratorSpec('words')).toEqual({ kind: 'passphrase', length: 6 });
  });

  it('ignores case and surrounding whitespace', () => {
    expect(parseGeneratorSpec('  HEX:16 ')).toEqual({ kind: 'hex', length: 16 });
    expect(parseGeneratorSpec('Base64URL')).toEqual({ kind: 'base64url', length: 32 });
    expect(parseGeneratorSpec('ALNUM:7')).toEqual({ kind: 'alphanumeric', length: 7 });
  });

  it('accepts the limits of every kind', () => {
    for (const kind of ['hex', 'base64', 'base64url'] as const) {
      expect(parseGeneratorSpec(`${kind}:1`).length).toBe(1);
      expect(parseGeneratorSpec(`${kind}:1024`).length).toBe(1024);
    }
    expect(parseGeneratorSpec('alphanumeric:1').length).toBe(1);
    expect(parseGeneratorSpec('alphanumeric:4096').length).toBe(4096);
    expect(parseGeneratorSpec('passphrase:1').length).toBe(1);
    expect(parseGeneratorSpec('passphrase:64').length).toBe(64);
    expect(parseGeneratorSpec('ed25519:0')).toEqual({ kind: 'ed25519', length: 0 });
  });

  it('rejects lengths outside the limits with the range in the message', () => {
    for (const kind of ['hex', 'base64', 'base64url'] as const) {
      expect(invalidInput(`${kind}:0`).message).toBe(
        `Length for ${kind} must be a whole number from 1 to 1024`,
      );
      expect(invalidInput(`${kind}:1025`).message).toContain('from 1 to 1024');
    }
    expect(invalidInput('alphanumeric:0').message).toContain('from 1 to 4096');
    expect(invalidInput('alphanumeric:4097').message).toContain('from 1 to 4096');
    expect(invalidInput('passphrase:0').message).toContain('from 1 to 64');
    expect(invalidInput('passphrase:65').message).toContain('from 1 to 64');
  });

  it('rejects lengths that are not written as whole decimal numbers', () => {
    for (const text of [
      'hex:',
      'hex:-1',
      'hex:+8',
      'hex:1.5',
      'hex:8.0',
      'hex:abc',
      'hex:0x10',
      'hex:1e2',
      'hex: 8',
      'hex:Infinity',
      'hex:NaN',
    ]) {
      expect(invalidInput(text).message, text).toBe(
        'Length for hex must be a whole number from 1 to 1024',
      );
    }
  });

  it('rejects a length for ed25519', () => {
    for (const text of ['ed25519:1', 'ed25519:32', 'ed25519:', 'ed25519:x']) {
      expect(invalidInput(text).message, text).toBe('ed25519 keys take no length');
    }
  });

  it('rejects unknown kinds and extra fields', () => {
    for (const text of [
      '',
      '   ',
      ':32',
      'rsa',
      'rsa:2048',
      'hexadecimal:8',
      'base32:16',
      'hex:16:2',
      'ed25519:0:0',
      'constructor',
      '__proto__',
      'toString:8',
    ]) {
      const error = invalidInput(text);
      expect(error.message, text).toContain(`Unknown generator "${text}"`);
      expect(error.message, text).toContain(GENERATOR_KINDS.join(', '));
    }
  });
});

describe('formatGeneratorSpec', () => {
  it('writes KIND:LEN, and only the kind for ed25519', () => {
    expect(formatGeneratorSpec({ kind: 'hex', length: 16 })).toBe('hex:16');
    expect(formatGeneratorSpec({ kind: 'passphrase', length: 6 })).toBe('passphrase:6');
    expect(formatGeneratorSpec({ kind: 'ed25519', length: 0 })).toBe('ed25519');
  });

  it('round-trips through parseGeneratorSpec', () => {
    const specs: GeneratorSpec[] = [
      { kind: 'hex', length: 1 },
      { kind: 'base64', length: 1024 },
      { kind: 'base64url', length: 33 },
      { kind: 'alphanumeric', length: 4096 },
      { kind: 'passphrase', length: 64 },
      { kind: 'ed25519', length: 0 },
    ];
    for (const spec of specs) {
      expect(parseGeneratorSpec(formatGeneratorSpec(spec))).toEqual(spec);
    }
  });
});

describe('generateSecret', () => {
  it('hex: LEN random bytes as 2*LEN lowercase hex digits', async () => {
    for (const length of [1, 16, 32, 1024]) {
      const secret = await generateSecret({ kind: 'hex', length });
      expect(secret.value).toMatch(/^[0-9a-f]+$/);
      expect(secret.value).toHaveLength(length * 2);
      expect(Buffer.from(secret.value, 'hex')).toHaveLength(length);
      expect(secret.bits).toBe(length * 8);
      expect(secret.publicKey).toBeNull();
    }
  });

  it('base64: LEN random bytes, padded standard alphabet', async () => {
    for (const length of [1, 2, 3, 31, 32, 33, 1024]) {
      const secret = await generateSecret({ kind: 'base64', length });
      expect(secret.value).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
      expect(secret.value).toHaveLength(Math.ceil(length / 3) * 4);
      const decoded = Buffer.from(secret.value, 'base64');
      expect(decoded).toHaveLength(length);
      expect(decoded.toString('base64')).toBe(secret.value);
      expect(secret.bits).toBe(length * 8);
      expect(secret.publicKey).toBeNull();
    }
  });

  it('base64url: LEN random bytes, URL alphabet without padding', async () => {
    for (const length of [1, 2, 3, 31, 32, 33, 1024]) {
      const secret = await generateSecret({ kind: 'base64url', length });
      expect(secret.value).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(secret.value).toHaveLength(Math.ceil((length * 4) / 3));
      const decoded = Buffer.from(secret.value, 'base64url');
      expect(decoded).toHaveLength(length);
      expect(decoded.toString('base64url')).toBe(secret.value);
      expect(secret.bits).toBe(length * 8);
      expect(secret.publicKey).toBeNull();
    }
  });

  it('alphanumeric: LEN characters from A-Z, a-z and 0-9', async () => {
    for (const length of [1, 12, 32, 4096]) {
      const secret = await generateSecret({ kind: 'alphanumeric', length });
      expect(secret.value).toMatch(/^[A-Za-z0-9]+$/);
      expect(secret.value).toHaveLength(length);
      expect(secret.bits).toBeCloseTo(length * Math.log2(62), 9);
      expect(secret.publicKey).toBeNull();
    }
  });

  it('passphrase: LEN words from the EFF large list joined by "-"', async () => {
    expect(EFF_WORDS).toHaveLength(7776);
    const list = new Set(EFF_WORDS);
    expect(list.size).toBe(7776);
    for (const length of [1, 6, 64]) {
      const secret = await generateSecret({ kind: 'passphrase', length });
      // A few list words have a hyphen of their own (drop-down, t-shirt): count the words by
      // grouping the parts, not by splitting on every "-".
      expect(joinsWords(secret.value, length, list), secret.value).toBe(true);
      expect(secret.bits).toBeCloseTo(length * Math.log2(7776), 9);
      expect(secret.publicKey).toBeNull();
    }
  });

  it('passphrase: reports 12.9 bits per word', async () => {
    const secret = await generateSecret({ kind: 'passphrase', length: 6 });
    expect(secret.bits).toBeGreaterThan(77.5);
    expect(secret.bits).toBeLessThan(77.6);
  });

  it('passphrase: draws from across the whole list', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const secret = await generateSecret({ kind: 'passphrase', length: 64 });
      for (const word of secret.value.split('-')) seen.add(word);
    }
    // 3,200 draws from 7,776 words give about 2,600 distinct ones.
    expect(seen.size).toBeGreaterThan(2000);
    const positions = [...seen].map((word) => EFF_WORDS.indexOf(word));
    expect(Math.min(...positions)).toBeLessThan(200);
    expect(Math.max(...positions)).toBeGreaterThan(7576);
  });

  it('gives a different value on every call', async () => {
    const specs: GeneratorSpec[] = [
      { kind: 'hex', length: 16 },
      { kind: 'base64', length: 16 },
      { kind: 'base64url', length: 16 },
      { kind: 'alphanumeric', length: 22 },
      { kind: 'passphrase', length: 6 },
      { kind: 'ed25519', length: 0 },
    ];
    for (const spec of specs) {
      const values = new Set<string>();
      const publicKeys = new Set<string | null>();
      for (let i = 0; i < 20; i++) {
        const secret = await generateSecret(spec);
        values.add(secret.value);
        publicKeys.add(secret.publicKey);
      }
      expect(values.size, spec.kind).toBe(20);
      if (spec.kind === 'ed25519') expect(publicKeys.size).toBe(20);
    }
  });

  it('rejects specs outside the limits', async () => {
    for (const spec of [
      { kind: 'hex', length: 0 },
      { kind: 'base64', length: 1025 },
      { kind: 'base64url', length: 0 },
      { kind: 'alphanumeric', length: 4097 },
      { kind: 'passphrase', length: 0 },
      { kind: 'passphrase', length: 65 },
      { kind: 'hex', length: 2.5 },
    ] satisfies GeneratorSpec[]) {
      const error = await generationError(spec);
      expect(error.message).toContain(`Length for ${spec.kind} must be a whole number`);
    }
  });

  it('ignores the length of an ed25519 spec', async () => {
    const secret = await generateSecret({ kind: 'ed25519', length: 99 });
    expect(secret.value).toContain('OPENSSH PRIVATE KEY');
  });

  it('alphanumeric output uses all 62 characters uniformly', async () => {
    const counts = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < 49; i++) {
      const { value } = await generateSecret({ kind: 'alphanumeric', length: 4096 });
      for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
      total += value.length;
    }
    expect(total).toBe(49 * 4096);
    expect([...counts.keys()].sort()).toEqual([...ALPHANUMERIC].sort());
    const expected = total / ALPHANUMERIC.length;
    let chiSquare = 0;
    for (const count of counts.values()) chiSquare += (count - expected) ** 2 / expected;
    // 61 degrees of freedom: mean 61, standard deviation 11. A bound of 200 is about twelve
    // deviations out, so a fair generator never reaches it, while dropping or doubling a single
    // character (about 3,300 of 3,200 expected) overshoots it tenfold.
    expect(chiSquare).toBeLessThan(200);
  });
});

describe('generateSecret ed25519', () => {
  const tempDir = useTempDirs();

  it('returns an OpenSSH private key whose public key ssh-keygen derives', async () => {
    const secret = await generateSecret({ kind: 'ed25519', length: 0 });
    expect(secret.bits).toBe(256);
    expect(secret.value).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(secret.value.trimEnd()).toMatch(/\n-----END OPENSSH PRIVATE KEY-----$/);
    expect(secret.publicKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+={0,2}( |$)/);

    const file = join(tempDir(), 'id_ed25519');
    writeFileSync(file, secret.value, { mode: 0o600 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const derived = execFileSync('ssh-keygen', ['-y', '-f', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const fields = (line: string): string[] => line.trim().split(' ').slice(0, 2);
    expect(fields(derived)).toEqual(fields(secret.publicKey ?? ''));
    expect(fields(derived)[0]).toBe('ssh-ed25519');

    // The key blob is the 32-byte public key behind its type name, as RFC 8709 describes.
    const blob = Buffer.from(fields(derived)[1] ?? '', 'base64');
    expect(blob).toHaveLength(4 + 11 + 4 + 32);
    expect(blob.subarray(4, 15).toString()).toBe('ssh-ed25519');
  });

  it('never returns a key with a byte missing (ssh2 drops leading zeros about once in 150)', async () => {
    for (let i = 0; i < 400; i++) {
      const secret = await generateSecret({ kind: 'ed25519', length: 0 });
      expect(isWellFormedEd25519(secret.value)).toBe(true);
      const blob = Buffer.from(secret.publicKey?.split(' ')[1] ?? '', 'base64');
      expect(blob).toHaveLength(4 + 11 + 4 + 32);
    }
  });
});

/** Whether `value` is `count` list words joined by "-" (in some grouping of its parts). */
function joinsWords(value: string, count: number, list: ReadonlySet<string>): boolean {
  const parts = value.split('-');
  // counts[i]: every number of list words that parts[0..i) can be grouped into.
  const counts: Set<number>[] = [new Set([0])];
  for (let end = 1; end <= parts.length; end += 1) {
    const here = new Set<number>();
    for (let start = Math.max(0, end - 2); start < end; start += 1) {
      if (!list.has(parts.slice(start, end).join('-'))) continue;
      for (const before of counts[start] ?? []) here.add(before + 1);
    }
    counts.push(here);
  }
  return counts[parts.length]?.has(count) ?? false;
}
