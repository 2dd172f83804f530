import { join } from 'node:path';
import type { KdfCost } from '../../src/main/vault/kdf';
import { Vault, type VaultOptions } from '../../src/main/vault/vault';

/** The cheapest Argon2id cost Rekey accepts: tests measure behaviour, not key stretching. */
export const FAST_KDF: KdfCost = { memoryKiB: 19 * 1024, iterations: 2, parallelism: 1 };
export const PASSWORD = 'correct horse battery staple';

export const TEST_OPTIONS: VaultOptions = { source: 'cli', command: 'test', lockTimeoutMs: 5_000 };

export async function createVault(dir: string, options: Partial<VaultOptions> = {}): Promise<Vault> {
  return Vault.create(join(dir, 'vault.rekey'), PASSWORD, FAST_KDF, { ...TEST_OPTIONS, ...options });
}

export async function openVault(path: string, options: Partial<VaultOptions> = {}): Promise<Vault> {
  return Vault.open(path, PASSWORD, { ...TEST_OPTIONS, ...options });
}
