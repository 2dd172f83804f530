import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  FORMAT_VERSION,
  MAGIC,
  type VaultHeader,
  decodeHeader,
  encodeHeader,
} from '../../src/main/vault/header';
import { kdfParams } from '../../src/main/vault/kdf';
import { FAST_KDF } from '../helpers/vault';

function sampleHeader(): VaultHeader {
  return {
    vaultId: randomBytes(16),
    createdAt: new Date().toISOString(),
    kdf: kdfParams(FAST_KDF),
    wrappedKey: randomBytes(60),
  };
}

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('vault header', () => {
  it('round-trips every field', () => {
    const header = sampleHeader();
    const bytes = encodeHeader(header);
    const { header: decoded, length } = decodeHeader(
      Buffer.concat([bytes, Buffer.from('tail')]),
      'v',
    );
    expect(length).toBe(bytes.length);
    expect(decoded.vaultId.equals(header.vaultId)).toBe(true);
    expect(decoded.wrappedKey.equals(header.wrappedKey)).toBe(true);
    expect(decoded.kdf.salt.equals(header.kdf.salt)).toBe(true);
    expect({ ...decoded.kdf, salt: null }).toEqual({ ...header.kdf, salt: null });
    expect(decoded.createdAt).toBe(header.createdAt);
  });

  it('says "not a vault" for other files', () => {
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from('hello world, this is a text file'),
      randomBytes(4096),
      Buffer.from('PK\x03\x04zipfile'),
    ]) {
      expect(codeOf(() => decodeHeader(bytes, 'f'))).toBe('NOT_A_VAULT');
    }
  });

  it('says "newer format" for a higher version, even though the rest is unknown', () => {
    const bytes = encodeHeader(sampleHeader());
    bytes.writeUInt16LE(FORMAT_VERSION + 1, 8);
    // A newer Rekey writes a valid prefix checksum; recompute it as one would.
    bytes.writeUInt32LE(crc32(bytes.subarray(0, 12)), 12);
    expect(codeOf(() => decodeHeader(bytes, 'f'))).toBe('NEWER_FORMAT');
  });

  it('reports damage, not a wrong file, when one magic byte or any header byte is flipped', () => {
    const bytes = encodeHeader(sampleHeader());
    for (let at = 0; at < bytes.length; at++) {
      const damaged = Buffer.from(bytes);
      damaged[at] = (damaged[at] as number) ^ 0x20;
      expect(
        codeOf(() => decodeHeader(damaged, 'f')),
        `byte ${at}`,
      ).toBe('VAULT_DAMAGED');
    }
  });

  it('reports damage for a file cut inside the header', () => {
    const bytes = encodeHeader(sampleHeader());
    for (const length of [MAGIC.length, 16, 20, bytes.length - 1]) {
      expect(codeOf(() => decodeHeader(bytes.subarray(0, length), 'f'))).toBe('VAULT_DAMAGED');
    }
  });
});
