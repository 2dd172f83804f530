import { join } from 'node:path';
import type { KdfCost } from '../../src/main/vault/kdf';
import type { Unlocker } from '../../src/main/vault/journal';
import { Vault, type VaultOptions, passwordUnlocker } from '../../src/main/vault/vault';

/** The cheapest Argon2id cost Rekey accepts: tests measure behaviour, not key stretching. */
export const FAST_KDF: KdfCost = { memoryKiB: 19 * 1024, iterations: 2, parallelism: 1 };
export const PASSWORD = 'correct horse battery staple';

export const TEST_OPTIONS: VaultOptions = { source: 'cli', command: 'test', lockTimeoutMs: 5_000 };

export async function createVault(
  dir: string,
  options: Partial<VaultOptions> = {},
): Promise<Vault> {
  return Vault.create(join(dir, 'vault.rekey'), PASSWORD, FAST_KDF, {
    ...TEST_OPTIONS,
    ...options,
  });
}

export async function openVault(path: string, options: Partial<VaultOptions> = {}): Promise<Vault> {
  return Vault.open(path, PASSWORD, { ...TEST_OPTIONS, ...options });
}

/**
 * An unlocker that runs Argon2id once per distinct header and then reuses the key: for tests
 * that open hundreds of copies of one vault.
 */
export function cachingUnlocker(password = PASSWORD): Unlocker {
  const keys = new Map<string, Promise<Buffer>>();
  const unlock = passwordUnlocker(password);
  return async (header) => {
    const id = `${header.vaultId.toString('hex')}:${header.wrappedKey.toString('hex')}`;
    if (!keys.has(id)) keys.set(id, unlock(header));
    return Buffer.from(await (keys.get(id) as Promise<Buffer>));
  };
}
