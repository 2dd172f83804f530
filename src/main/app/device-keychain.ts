import { hostname } from 'node:os';
import type { KeychainStatus, KeychainUnlock } from '../../shared/api';
import { RekeyError } from '../../shared/errors';
import { AVAILABILITY_TIMEOUT_MS, UNLOCK_TIMEOUT_MS } from '../keychain/keychain';
import { reasonOf } from '../keychain/system';
import {
  StaleDeviceKeyError,
  deviceKeyUnlocker,
  encodeDeviceKey,
  peekVaultId,
} from '../vault/device-key';
import type { Unlocker } from '../vault/journal';
import { Vault } from '../vault/vault';
import type { Implementation } from './handle';
import type { AppSession } from './session';
import { vaultStatus } from './vault-status';

/**
 * "Remember on this device": the vault key (never the password) in the OS keychain, under
 * the vault's id. The key does not change when the password does, so an entry stays valid
 * after `passwd`; forgetting it is the user's choice (offered next to the password change).
 * A key that no longer opens the vault is removed and the password is asked for.
 */

/** Status is asked for often (every screen, every CLI unlock); the keychain answers slowly. */
const STATUS_CACHE_MS = 5_000;

interface CachedStatus {
  vaultId: string | null;
  status: KeychainStatus;
  at: number;
}

const cache = new WeakMap<AppSession, CachedStatus>();

export async function keychainStatus(
  session: AppSession,
  vaultId: string | null,
): Promise<KeychainStatus> {
  const hit = cache.get(session);
  const now = Date.now();
  if (hit && hit.vaultId === vaultId && now - hit.at < STATUS_CACHE_MS) return hit.status;
  const status = await probe(session, vaultId);
  cache.set(session, { vaultId, status, at: now });
  return status;
}

async function probe(session: AppSession, vaultId: string | null): Promise<KeychainStatus> {
  if (vaultId === null) {
    const availability = await session.keychain.availability();
    return availability.available
      ? { available: true, reason: null, remembered: false }
      : { available: false, reason: availability.reason, remembered: false };
  }
  try {
    const stored = await session.keychain.get(vaultId, { timeoutMs: AVAILABILITY_TIMEOUT_MS });
    stored?.fill(0);
    return { available: true, reason: null, remembered: stored !== null };
  } catch (error) {
    return { available: false, reason: reasonOf(error), remembered: false };
  }
}

function deviceName(): string {
  return hostname().slice(0, 255) || 'this device';
}

/** Stores the open vault's key; throws (with the keychain's reason) when it cannot. */
export async function rememberDevice(session: AppSession): Promise<void> {
  const vault = session.requireVault();
  const key = vault.copyVaultKey();
  const payload = encodeDeviceKey(vault.vaultIdBytes, key);
  key.fill(0);
  cache.delete(session);
  try {
    await session.keychain.set(vault.vaultId, payload, { timeoutMs: UNLOCK_TIMEOUT_MS });
  } finally {
    payload.fill(0);
  }
  const device = deviceName();
  await vault.transact((transaction) =>
    transaction.record(
      { kind: 'vault.device-remembered', data: { device } },
      { summary: `Vault key remembered in the keychain of ${device}` },
    ),
  );
}

/** The locked vault's id from its header; when there is none, opening it says why. */
async function requireVaultId(session: AppSession): Promise<string> {
  const vaultId = await peekVaultId(session.vaultPath);
  if (vaultId !== null) return vaultId;
  // Fails before any key is asked for: missing, not a vault, damaged or newer.
  (await Vault.open(session.vaultPath, passwordNeeded, session.vaultOptions())).close();
  throw new RekeyError('NOT_A_VAULT', `${session.vaultPath} has no readable vault header`);
}

const passwordNeeded: Unlocker = () => Promise.reject(new StaleDeviceKeyError());

async function unlockWithKeychain(session: AppSession): Promise<KeychainUnlock> {
  const path = session.vaultPath;
  const vaultId = await requireVaultId(session);
  const refused = async (problem: NonNullable<KeychainUnlock['problem']>, message: string) => ({
    unlocked: false,
    problem,
    message,
    status: await vaultStatus(session),
  });
  let payload: Buffer | null;
  try {
    payload = await session.keychain.get(vaultId, { timeoutMs: UNLOCK_TIMEOUT_MS });
  } catch (error) {
    return refused('unavailable', `No keychain on this device (${reasonOf(error)})`);
  }
  if (payload === null) return refused('not-remembered', 'This vault is not remembered here');
  try {
    const vault = await Vault.open(path, deviceKeyUnlocker(payload), session.vaultOptions());
    session.opened(vault);
  } catch (error) {
    if (!(error instanceof StaleDeviceKeyError)) throw error;
    cache.delete(session);
    await session.keychain.delete(vaultId).catch(() => false);
    return refused(
      'stale',
      "The remembered key no longer opens this vault and was removed from this device's " +
        'keychain; unlock with the password',
    );
  } finally {
    payload.fill(0);
  }
  return { unlocked: true, problem: null, message: null, status: await vaultStatus(session) };
}

async function forgetDevice(session: AppSession) {
  const vaultId = session.vault?.vaultId ?? (await requireVaultId(session));
  cache.delete(session);
  const removed = await session.keychain.delete(vaultId);
  if (removed && session.vault) {
    const device = deviceName();
    await session.vault.transact((transaction) =>
      transaction.record(
        { kind: 'vault.device-forgotten', data: { device } },
        { summary: `Vault key removed from the keychain of ${device}` },
      ),
    );
  }
  return vaultStatus(session);
}

export function keychainMethods(
  session: AppSession,
): Pick<
  Implementation,
  'vault.unlockWithKeychain' | 'vault.rememberDevice' | 'vault.forgetDevice'
> {
  return {
    'vault.unlockWithKeychain': () => unlockWithKeychain(session),
    'vault.rememberDevice': async () => {
      await rememberDevice(session);
      return vaultStatus(session);
    },
    'vault.forgetDevice': () => forgetDevice(session),
  };
}

/** After an unlock with the password and "remember" ticked: the unlock stands either way. */
export async function rememberAfterUnlock(session: AppSession): Promise<string | null> {
  try {
    await rememberDevice(session);
    return null;
  } catch (error) {
    return `Not remembered on this device: ${reasonOf(error)}`;
  }
}
