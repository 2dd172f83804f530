import { randomBytes, randomInt } from 'node:crypto';
import { RekeyError } from '../../shared/errors';
import { GENERATOR_KINDS, type GeneratorKind, type GeneratorSpec } from '../../shared/model';
import { wellFormedEd25519 } from './ssh-ed25519';
import { wordlist } from './wordlist';

/** Every generator draws from the OS CSPRNG (Node's randomBytes / randomInt). */

export const DEFAULT_LENGTHS: Readonly<Record<GeneratorKind, number>> = {
  hex: 32,
  base64: 32,
  base64url: 32,
  alphanumeric: 32,
  passphrase: 6,
  ed25519: 0,
};

const LENGTH_LIMITS: Readonly<Record<GeneratorKind, [number, number]>> = {
  hex: [1, 1024],
  base64: [1, 1024],
  base64url: [1, 1024],
  alphanumeric: [1, 4096],
  passphrase: [1, 64],
  ed25519: [0, 0],
};

const ALIASES: Readonly<Record<string, GeneratorKind>> = {
  alnum: 'alphanumeric',
  words: 'passphrase',
  b64: 'base64',
  b64url: 'base64url',
};

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Parses `KIND[:LEN]`, e.g. `base64:32`, `hex`, `passphrase:6`, `ed25519`. */
export function parseGeneratorSpec(text: string): GeneratorSpec {
  const [rawKind = '', rawLength, ...rest] = text.trim().toLowerCase().split(':');
  const kind = ALIASES[rawKind] ?? rawKind;
  if (!isGeneratorKind(kind) || rest.length > 0) {
    throw new RekeyError(
      'INVALID_INPUT',
      `Unknown generator "${text}"; use KIND[:LEN] with KIND one of ${GENERATOR_KINDS.join(', ')}`,
    );
  }
  // Digits only: Number() would also take `0x20`, `1e3`, ` 8` and an empty string (as 0).
  const length =
    rawLength === undefined
      ? DEFAULT_LENGTHS[kind]
      : /^\d+$/.test(rawLength)
        ? Number(rawLength)
        : Number.NaN;
  const [min, max] = LENGTH_LIMITS[kind];
  if (!Number.isInteger(length) || length < min || length > max) {
    throw new RekeyError(
      'INVALID_INPUT',
      kind === 'ed25519'
        ? 'ed25519 keys take no length'
        : `Length for ${kind} must be a whole number from ${min} to ${max}`,
    );
  }
  return { kind, length };
}

function isGeneratorKind(kind: string): kind is GeneratorKind {
  return (GENERATOR_KINDS as readonly string[]).includes(kind);
}

export function formatGeneratorSpec(spec: GeneratorSpec): string {
  return spec.kind === 'ed25519' ? spec.kind : `${spec.kind}:${spec.length}`;
}

export interface GeneratedSecret {
  value: string;
  /** Public half of a generated key pair; not secret. */
  publicKey: string | null;
  /** Exact entropy of the generator, in bits. */
  bits: number;
}

export async function generateSecret(spec: GeneratorSpec): Promise<GeneratedSecret> {
  const { kind, length } = parseGeneratorSpec(formatGeneratorSpec(spec));
  switch (kind) {
    case 'hex':
      return { value: randomBytes(length).toString('hex'), publicKey: null, bits: length * 8 };
    case 'base64':
      return { value: randomBytes(length).toString('base64'), publicKey: null, bits: length * 8 };
    case 'base64url':
      return {
        value: randomBytes(length).toString('base64url'),
        publicKey: null,
        bits: length * 8,
      };
    case 'alphanumeric': {
      let value = '';
      for (let i = 0; i < length; i++) value += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
      return { value, publicKey: null, bits: length * Math.log2(ALPHANUMERIC.length) };
    }
    case 'passphrase': {
      const words = wordlist();
      const picked = Array.from({ length }, () => words[randomInt(words.length)]);
      return { value: picked.join('-'), publicKey: null, bits: length * Math.log2(words.length) };
    }
    case 'ed25519': {
      // Loaded on demand: the SSH library is large and most commands never need it.
      const { default: ssh2 } = await import('ssh2');
      const pair = wellFormedEd25519(() =>
        ssh2.utils.generateKeyPairSync('ed25519', { comment: 'rekey' }),
      );
      return { value: pair.private, publicKey: pair.public, bits: 256 };
    }
  }
}
