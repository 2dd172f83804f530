import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeychainUnavailableError } from '../../src/main/keychain/keychain';
import { systemKeychain } from '../../src/main/keychain/system';
import {
  StaleDeviceKeyError,
  deviceKeyUnlocker,
  encodeDeviceKey,
  peekVaultId,
} from '../../src/main/vault/device-key';
import { Vault } from '../../src/main/vault/vault';
import { useKeyring } from '../helpers/keyring';
import { useTempDirs } from '../helpers/temp';
import { PASSWORD, TEST_OPTIONS, createVault } from '../helpers/vault';

/**
 * The keychain module against a real gnome-keyring on a private D-Bus session, and the
 * vault's key-from-the-keychain unlocker against real vaults.
 */

const keyring = useKeyring();
const tempDir = useTempDirs();
const SERVICE = 'RekeyUnitTest';

describe('systemKeychain on the Secret Service', () => {
  it('is available, stores bytes, reads them back and deletes them', async () => {
    const keychain = systemKeychain({ service: SERVICE });
    expect(await keychain.availability()).toEqual({ available: true });
    const account = randomBytes(16).toString('hex');
    expect(await keychain.get(account)).toBeNull();
    const secret = randomBytes(52);
    await keychain.set(account, secret);
    expect((await keychain.get(account))?.equals(secret)).toBe(true);

    const found = await keyring().secretTool(['search', '--all', 'service', SERVICE]);
    expect(found.stderr).toContain(`username = ${account}`);

    expect(await keychain.delete(account)).toBe(true);
    expect(await keychain.delete(account)).toBe(false);
    expect(await keychain.get(account)).toBeNull();
  });

  it('says why when there is no session bus, without touching the library', async () => {
    const keychain = systemKeychain({ service: SERVICE, env: {}, platform: 'linux' });
    expect(await keychain.availability()).toEqual({
      available: false,
      reason: 'no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set',
    });
    await expect(keychain.get('x')).rejects.toBeInstanceOf(KeychainUnavailableError);
  });
});

describe('deviceKeyUnlocker', () => {
  it('opens the vault with the key the keychain holds', async () => {
    const vault = await createVault(tempDir());
    const key = vault.copyVaultKey();
    const payload = encodeDeviceKey(vault.vaultIdBytes, key);
    key.fill(0);
    const { path, vaultId } = vault;
    vault.close();
    expect(await peekVaultId(path)).toBe(vaultId);
    const reopened = await Vault.open(path, deviceKeyUnlocker(payload), TEST_OPTIONS);
    expect(reopened.vaultId).toBe(vaultId);
    expect(reopened.state.eventCount).toBeGreaterThan(0);
    reopened.close();
  });

  it('fails as stale, not as damage, for a wrong key, another vault or a foreign entry', async () => {
    const vault = await createVault(tempDir());
    const other = await createVault(tempDir());
    const otherKey = other.copyVaultKey();
    const cases = [
      encodeDeviceKey(vault.vaultIdBytes, randomBytes(32)),
      encodeDeviceKey(other.vaultIdBytes, otherKey),
      encodeDeviceKey(vault.vaultIdBytes, otherKey),
      Buffer.from(PASSWORD),
    ];
    const { path } = vault;
    vault.close();
    other.close();
    for (const payload of cases) {
      await expect(Vault.open(path, deviceKeyUnlocker(payload), TEST_OPTIONS)).rejects.toThrow(
        StaleDeviceKeyError,
      );
    }
    // The password still opens it.
    (await Vault.open(path, PASSWORD, TEST_OPTIONS)).close();
  });

  it('keeps working after the password changes: the vault key does not change', async () => {
    const vault = await createVault(tempDir());
    const key = vault.copyVaultKey();
    const payload = encodeDeviceKey(vault.vaultIdBytes, key);
    key.fill(0);
    await vault.changePassword(PASSWORD, 'a new password for this vault', {
      memoryKiB: 19 * 1024,
      iterations: 2,
      parallelism: 1,
    });
    const { path } = vault;
    vault.close();
    (await Vault.open(path, deviceKeyUnlocker(payload), TEST_OPTIONS)).close();
  });
});
