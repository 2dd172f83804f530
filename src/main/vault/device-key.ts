import { open } from 'node:fs/promises';
import { RekeyError } from '../../shared/errors';
import { VAULT_KEY_LENGTH } from './crypto';
import { decodeHeader } from './header';
import type { Unlocker } from './journal';

/**
 * The vault key as "remember on this device" keeps it in the OS keychain: a tag, the vault id
 * and the raw key (52 bytes). The id makes an entry that was moved or copied under another
 * vault's name fail as stale before any decryption is tried; the key itself is checked on the
 * vault's first record (a password check does not exist for it).
 */

const TAG = Buffer.from('RKD1', 'latin1');
const VAULT_ID_LENGTH = 16;
const PAYLOAD_LENGTH = TAG.length + VAULT_ID_LENGTH + VAULT_KEY_LENGTH;
/** Header prefix (20 bytes), the largest body decodeHeader accepts, and its checksum. */
const MAX_HEADER_BYTES = 20 + 64 * 1024 + 4;

export function encodeDeviceKey(vaultId: Buffer, vaultKey: Buffer): Buffer {
  if (vaultId.length !== VAULT_ID_LENGTH || vaultKey.length !== VAULT_KEY_LENGTH) {
    throw new RekeyError('INTERNAL', 'A device key needs a 16-byte vault id and a 32-byte key');
  }
  return Buffer.concat([TAG, vaultId, vaultKey]);
}

/** The parts of a stored entry (views into `payload`), or null when it is not one of ours. */
export function decodeDeviceKey(payload: Buffer): { vaultId: Buffer; vaultKey: Buffer } | null {
  if (payload.length !== PAYLOAD_LENGTH || !payload.subarray(0, TAG.length).equals(TAG)) {
    return null;
  }
  return {
    vaultId: payload.subarray(TAG.length, TAG.length + VAULT_ID_LENGTH),
    vaultKey: payload.subarray(TAG.length + VAULT_ID_LENGTH),
  };
}

/** The key from the keychain did not open the vault: removed, and the password is needed. */
export class StaleDeviceKeyError extends RekeyError {
  constructor() {
    super(
      'WRONG_PASSWORD',
      'The remembered key no longer opens this vault; unlock it with the password',
    );
    this.name = 'StaleDeviceKeyError';
  }
}

/**
 * Unlocks with a key taken from the keychain. Returns a copy of the key: the caller zeroes
 * `payload` as soon as the vault is open or has refused it.
 */
export function deviceKeyUnlocker(payload: Buffer): Unlocker {
  return async (header, context) => {
    const decoded = decodeDeviceKey(payload);
    if (!decoded || !decoded.vaultId.equals(header.vaultId)) throw new StaleDeviceKeyError();
    if (!context?.keyOpensVault(decoded.vaultKey)) throw new StaleDeviceKeyError();
    return Buffer.from(decoded.vaultKey);
  };
}

/**
 * The vault id from the file's header, which is not encrypted: the keychain account of a
 * locked vault. Null when there is no readable vault (opening it reports why).
 */
export async function peekVaultId(path: string): Promise<string | null> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(MAX_HEADER_BYTES);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return decodeHeader(buffer.subarray(0, bytesRead), path).header.vaultId.toString('hex');
  } catch {
    return null;
  } finally {
    await file.close();
  }
}
