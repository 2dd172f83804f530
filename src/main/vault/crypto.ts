import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

/**
 * Authenticated encryption for the vault: AES-256-GCM from Node's OpenSSL with a random
 * 96-bit nonce per message. A vault seals far fewer than the 2^32 messages per key that
 * random GCM nonces allow. Sealed layout: nonce (12) | ciphertext | tag (16).
 */
const ALGORITHM = 'aes-256-gcm';
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
export const SEAL_OVERHEAD = NONCE_LENGTH + TAG_LENGTH;
export const VAULT_KEY_LENGTH = 32;

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return Buffer.concat([nonce, body, final, cipher.getAuthTag()]);
}

/** Returns the plaintext, or `null` when the key, the associated data or the bytes are wrong. */
export function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer | null {
  if (sealed.length < SEAL_OVERHEAD) return null;
  const nonce = sealed.subarray(0, NONCE_LENGTH);
  const tag = sealed.subarray(sealed.length - TAG_LENGTH);
  const body = sealed.subarray(NONCE_LENGTH, sealed.length - TAG_LENGTH);
  const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_LENGTH });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const plaintext = decipher.update(body);
  try {
    return Buffer.concat([plaintext, decipher.final()]);
  } catch {
    plaintext.fill(0);
    return null;
  }
}

export function newVaultKey(): Buffer {
  return randomBytes(VAULT_KEY_LENGTH);
}

export function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** Derives a purpose-bound subkey so the vault key itself is only ever used for sealing. */
export function subkey(vaultKey: Buffer, vaultId: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', vaultKey, vaultId, `rekey ${purpose} v1`, 32));
}

/**
 * A keyed fingerprint of a value: lets users and logs tell versions apart without the value,
 * and without offering an offline guessing oracle to anyone who lacks the vault key.
 */
export function fingerprint(fingerprintKey: Buffer, value: string): string {
  return createHmac('sha256', fingerprintKey).update(value, 'utf8').digest('hex').slice(0, 12);
}
