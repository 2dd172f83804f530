import { type KdfParams, deriveKey } from './kdf';
import { VAULT_KEY_LENGTH, open, seal } from './crypto';
import { wrongPassword } from './errors';

/**
 * The vault key is random and never changes; the password only wraps it. Binding the KDF
 * parameters into the associated data means a header edited to weaker parameters cannot
 * unwrap the key.
 */
function wrapContext(vaultId: Buffer, kdf: KdfParams): Buffer {
  const descriptor = [
    kdf.algorithm,
    kdf.version,
    kdf.memoryKiB,
    kdf.iterations,
    kdf.parallelism,
    kdf.salt.toString('base64'),
  ].join('|');
  return Buffer.concat([Buffer.from('rekey-wrap-v1', 'latin1'), vaultId, Buffer.from(descriptor)]);
}

export async function wrapVaultKey(
  vaultKey: Buffer,
  password: string,
  vaultId: Buffer,
  kdf: KdfParams,
): Promise<Buffer> {
  const keyEncryptionKey = await deriveKey(password, kdf);
  try {
    return seal(keyEncryptionKey, vaultKey, wrapContext(vaultId, kdf));
  } finally {
    keyEncryptionKey.fill(0);
  }
}

export async function unwrapVaultKey(
  wrapped: Buffer,
  password: string,
  vaultId: Buffer,
  kdf: KdfParams,
): Promise<Buffer> {
  const keyEncryptionKey = await deriveKey(password, kdf);
  try {
    const vaultKey = open(keyEncryptionKey, wrapped, wrapContext(vaultId, kdf));
    if (!vaultKey || vaultKey.length !== VAULT_KEY_LENGTH) throw wrongPassword();
    return vaultKey;
  } finally {
    keyEncryptionKey.fill(0);
  }
}
