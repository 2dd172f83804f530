import type { VaultStatus } from '../../shared/api';
import { peekVaultId } from '../vault/device-key';
import { identityOf } from '../vault/file-io';
import { keychainStatus } from './device-keychain';
import type { AppSession } from './session';

/**
 * What `vault.status` and every vault call answer. `keychainNote` replaces the keychain's
 * reason when remembering just failed (the unlock itself succeeded).
 */
export async function vaultStatus(
  session: AppSession,
  keychainNote: string | null = null,
): Promise<VaultStatus> {
  const { vault } = session;
  const path = vault?.path ?? session.vaultPath;
  if (!vault) {
    const exists = (await identityOf(path)) !== null;
    const keychain = await keychainStatus(session, exists ? await peekVaultId(path) : null);
    return {
      path,
      state: exists ? 'locked' : 'missing',
      vaultId: null,
      createdAt: null,
      kdf: null,
      fileSize: null,
      secrets: null,
      events: null,
      keychain: keychainNote ? { ...keychain, reason: keychainNote } : keychain,
    };
  }
  const { memoryKiB, iterations, parallelism } = vault.kdf;
  const keychain = await keychainStatus(session, vault.vaultId);
  return {
    path,
    state: 'unlocked',
    vaultId: vault.vaultId,
    createdAt: vault.createdAt,
    kdf: { memoryKiB, iterations, parallelism },
    fileSize: vault.fileSize,
    secrets: vault.state.secrets.size,
    events: vault.state.eventCount,
    keychain: keychainNote ? { ...keychain, reason: keychainNote } : keychain,
  };
}
