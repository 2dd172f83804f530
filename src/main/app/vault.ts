import type { KdfChoice, VaultStatus } from '../../shared/api';
import { resolve } from 'node:path';
import { RekeyError } from '../../shared/errors';
import { identityOf } from '../vault/file-io';
import { type KdfCost, calibrateKdf, checkKdfCost } from '../vault/kdf';
import { Vault } from '../vault/vault';
import type { Implementation } from './handle';
import type { AppSession } from './session';

export async function resolveKdf(
  choice: KdfChoice | undefined,
  onProgress?: (fraction: number) => void,
): Promise<KdfCost> {
  if (choice && 'memoryKiB' in choice) {
    checkKdfCost(choice);
    return choice;
  }
  return calibrateKdf(choice?.targetMs, onProgress);
}

async function status(session: AppSession): Promise<VaultStatus> {
  const { vault } = session;
  const path = vault?.path ?? session.vaultPath;
  if (!vault) {
    const exists = (await identityOf(path)) !== null;
    return {
      path,
      state: exists ? 'locked' : 'missing',
      vaultId: null,
      createdAt: null,
      kdf: null,
      fileSize: null,
      secrets: null,
      events: null,
    };
  }
  const { memoryKiB, iterations, parallelism } = vault.kdf;
  return {
    path,
    state: 'unlocked',
    vaultId: vault.vaultId,
    createdAt: vault.createdAt,
    kdf: { memoryKiB, iterations, parallelism },
    fileSize: vault.fileSize,
    secrets: vault.state.secrets.size,
    events: vault.state.eventCount,
  };
}

export function vaultMethods(
  session: AppSession,
): Pick<
  Implementation,
  | 'vault.status'
  | 'vault.create'
  | 'vault.unlock'
  | 'vault.lock'
  | 'vault.setPath'
  | 'vault.changePassword'
  | 'vault.compact'
> {
  const options = () => session.vaultOptions();
  return {
    'vault.status': () => status(session),
    'vault.create': async ({ password, kdf }) => {
      const path = session.vaultPath;
      if (await identityOf(path)) {
        throw new RekeyError('ALREADY_EXISTS', `A vault already exists at ${path}`);
      }
      const cost = await resolveKdf(kdf, (fraction) =>
        session.emit({ type: 'kdf.progress', fraction }),
      );
      session.opened(await Vault.create(path, password, cost, options()));
      return status(session);
    },
    'vault.unlock': async ({ password }) => {
      session.opened(await Vault.open(session.vaultPath, password, options()));
      return status(session);
    },
    'vault.lock': async () => {
      session.lock('user');
      return status(session);
    },
    'vault.setPath': async ({ path }) => {
      const absolute = resolve(path);
      session.lock(session.vault ? 'user' : null);
      session.vaultPath = absolute;
      await session.preferences.save({ lastVaultPath: absolute });
      return status(session);
    },
    'vault.changePassword': async ({ currentPassword, newPassword, kdf }) => {
      const vault = session.requireVault();
      const cost = await resolveKdf(kdf, (fraction) =>
        session.emit({ type: 'kdf.progress', fraction }),
      );
      await vault.changePassword(currentPassword, newPassword, cost);
      return status(session);
    },
    'vault.compact': async () => session.requireVault().compact(),
  };
}
