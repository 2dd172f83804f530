import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SEAL_OVERHEAD, fingerprint, open, seal, subkey } from '../../src/main/vault/crypto';

describe('sealing records', () => {
  const key = randomBytes(32);
  const aad = Buffer.from('context');

  it('round-trips and adds only nonce and tag', () => {
    const plaintext = Buffer.from('a secret value');
    const sealed = seal(key, plaintext, aad);
    expect(sealed.length).toBe(plaintext.length + SEAL_OVERHEAD);
    expect(open(key, sealed, aad)?.toString()).toBe('a secret value');
  });

  it('uses a fresh nonce every time', () => {
    const a = seal(key, Buffer.from('same'), aad);
    const b = seal(key, Buffer.from('same'), aad);
    expect(a.equals(b)).toBe(false);
  });

  it('rejects a wrong key, wrong context, any flipped bit and truncation', () => {
    const sealed = seal(key, Buffer.from('payload'), aad);
    expect(open(randomBytes(32), sealed, aad)).toBeNull();
    expect(open(key, sealed, Buffer.from('other'))).toBeNull();
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const flipped = Buffer.from(sealed);
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      expect(open(key, flipped, aad)).toBeNull();
    }
    expect(open(key, sealed.subarray(0, sealed.length - 1), aad)).toBeNull();
    expect(open(key, Buffer.alloc(5), aad)).toBeNull();
  });
});

describe('fingerprints', () => {
  it('are stable per key, differ across keys and never contain the value', () => {
    const vaultKey = randomBytes(32);
    const id = randomBytes(16);
    const fpKey = subkey(vaultKey, id, 'fingerprint');
    const other = subkey(randomBytes(32), id, 'fingerprint');
    expect(fingerprint(fpKey, 'hunter2hunter2')).toBe(fingerprint(fpKey, 'hunter2hunter2'));
    expect(fingerprint(fpKey, 'hunter2hunter2')).not.toBe(fingerprint(other, 'hunter2hunter2'));
    expect(fingerprint(fpKey, 'a')).not.toBe(fingerprint(fpKey, 'b'));
    expect(fingerprint(fpKey, 'x')).toMatch(/^[0-9a-f]{12}$/);
  });

  it('derives distinct subkeys per purpose', () => {
    const vaultKey = randomBytes(32);
    const id = randomBytes(16);
    expect(subkey(vaultKey, id, 'fingerprint').equals(subkey(vaultKey, id, 'other'))).toBe(false);
  });
});
