import type { KdfChoice } from '../../shared/api';
import { resolve } from 'node:path';
import { RekeyError } from '../../shared/errors';
import { identityOf } from '../vault/file-io';
import { type KdfCost, calibrateKdf, checkKdfCost } from '../vault/kdf';
import { Vault } from '../vault/vault';
import type { Implementation } from './handle';
import { keychainMethods, rememberAfterUnlock } from './device-keychain';
import type { AppSession } from './session';
import { vaultStatus } from './vault-status';

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
  | 'vault.unlockWithKeychain'
  | 'vault.rememberDevice'
  | 'vault.forgetDevice'
> {
  const options = () => session.vaultOptions();
  return {
    'vault.status': () => vaultStatus(session),
    'vault.create': async ({ password, kdf }) => {
      const path = session.vaultPath;
      if (await identityOf(path)) {
        throw new RekeyError('ALREADY_EXISTS', `A vault already exists at ${path}`);
      }
      const cost = await resolveKdf(kdf, (fraction) =>
        session.emit({ type: 'kdf.progress', fraction }),
      );
      session.opened(await Vault.create(path, password, cost, options()));
      return vaultStatus(session);
    },
    'vault.unlock': async ({ password, remember }) => {
      session.opened(await Vault.open(session.vaultPath, password, options()));
      return vaultStatus(session, remember ? await rememberAfterUnlock(session) : null);
    },
    ...keychainMethods(session),
    'vault.lock': async () => {
      session.lock('user');
      return vaultStatus(session);
    },
    'vault.setPath': async ({ path }) => {
      const absolute = resolve(path);
      session.lock(session.vault ? 'user' : null);
      session.vaultPath = absolute;
      await session.preferences.save({ lastVaultPath: absolute });
      return vaultStatus(session);
    },
    'vault.changePassword': async ({ currentPassword, newPassword, kdf }) => {
      const vault = session.requireVault();
      const cost = await resolveKdf(kdf, (fraction) =>
        session.emit({ type: 'kdf.progress', fraction }),
      );
      await vault.changePassword(currentPassword, newPassword, cost);
      return vaultStatus(session);
    },
    'vault.compact': async () => session.requireVault().compact(),
  };
}
