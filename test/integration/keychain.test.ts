import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { ok } from '../helpers/app';
import { useKeyring } from '../helpers/keyring';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * "Remember on this device" through the app contract against a real gnome-keyring on a
 * private D-Bus session: what is stored (the vault key, never the password), unlocking
 * without a password, forgetting, and a key that no longer opens the vault.
 */

const keyring = useKeyring();
const tempDir = useTempDirs();

async function newApp(dir: string): Promise<RekeyApp> {
  const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'desktop' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  return app;
}

/** What `secret-tool` sees for a vault id (attributes on stderr, the secret on stdout). */
async function entryOf(vaultId: string) {
  const found = await keyring().secretTool([
    'search',
    '--all',
    'service',
    'Rekey',
    'username',
    vaultId,
  ]);
  return { exists: found.stderr.includes(`attribute.username = ${vaultId}`), text: found.stdout };
}

async function historyKinds(app: RekeyApp): Promise<string[]> {
  const events = await ok(app, 'history.list', {});
  return events.map((event) => event.kind);
}

describe('remember on this device', () => {
  it('remembers the key, unlocks without a password after a lock, and forgets in one call', async () => {
    const app = await newApp(tempDir());
    const created = await ok(app, 'vault.status', {});
    expect(created.keychain).toEqual({ available: true, reason: null, remembered: false });
    const vaultId = created.vaultId as string;

    const remembered = await ok(app, 'vault.rememberDevice', {});
    expect(remembered.keychain.remembered).toBe(true);
    expect(await historyKinds(app)).toContain('vault.device-remembered');

    const entry = await entryOf(vaultId);
    expect(entry.exists).toBe(true);
    expect(entry.text).not.toContain(PASSWORD);
    expect(entry.text).toContain('secret = RKD1');

    const locked = await ok(app, 'vault.lock', {});
    expect(locked.state).toBe('locked');
    expect(locked.keychain.remembered).toBe(true);
    const unlocked = await ok(app, 'vault.unlockWithKeychain', {});
    expect(unlocked).toMatchObject({ unlocked: true, problem: null });
    expect(unlocked.status.state).toBe('unlocked');
    expect(unlocked.status.vaultId).toBe(vaultId);

    const forgotten = await ok(app, 'vault.forgetDevice', {});
    expect(forgotten.keychain.remembered).toBe(false);
    expect((await entryOf(vaultId)).exists).toBe(false);
    expect(await historyKinds(app)).toContain('vault.device-forgotten');

    await ok(app, 'vault.lock', {});
    const refused = await ok(app, 'vault.unlockWithKeychain', {});
    expect(refused).toMatchObject({ unlocked: false, problem: 'not-remembered' });
    expect((await ok(app, 'vault.unlock', { password: PASSWORD })).state).toBe('unlocked');
  });

  it('remembers while unlocking with the password, and keeps working after a password change', async () => {
    const app = await newApp(tempDir());
    await ok(app, 'vault.lock', {});
    const status = await ok(app, 'vault.unlock', { password: PASSWORD, remember: true });
    expect(status.keychain).toEqual({ available: true, reason: null, remembered: true });
    await ok(app, 'vault.changePassword', {
      currentPassword: PASSWORD,
      newPassword: 'another password entirely',
      kdf: FAST_KDF,
    });
    await ok(app, 'vault.lock', {});
    expect(await ok(app, 'vault.unlockWithKeychain', {})).toMatchObject({ unlocked: true });
    await ok(app, 'vault.forgetDevice', {});
  });

  it('a tampered entry fails as stale, is removed, and the password still opens the vault', async () => {
    const app = await newApp(tempDir());
    const { vaultId } = await ok(app, 'vault.rememberDevice', {});
    await ok(app, 'vault.lock', {});
    // Another program overwrites the entry (same attributes: the item is replaced).
    const stored = await keyring().secretTool(
      ['store', '--label', 'tampered', 'service', 'Rekey', 'username', vaultId as string],
      'not the vault key',
    );
    expect(stored.code).toBe(0);

    const refused = await ok(app, 'vault.unlockWithKeychain', {});
    expect(refused.unlocked).toBe(false);
    expect(refused.problem).toBe('stale');
    expect(refused.message).toContain('remembered key no longer opens this vault');
    expect(refused.status.state).toBe('locked');
    expect(refused.status.keychain.remembered).toBe(false);
    expect((await entryOf(vaultId as string)).exists).toBe(false);
    expect((await ok(app, 'vault.unlock', { password: PASSWORD })).state).toBe('unlocked');
  });

  it("another vault's key under this vault's id fails as stale, never as damage", async () => {
    const dir = tempDir();
    const first = await newApp(dir);
    const firstId = (await ok(first, 'vault.rememberDevice', {})).vaultId as string;
    await ok(first, 'vault.lock', {});
    // The vault is recreated at the same path: a new id, so nothing is remembered for it.
    rmSync(join(dir, 'vault.rekey'));
    const second = await newApp(dir);
    const secondId = (await ok(second, 'vault.status', {})).vaultId as string;
    expect(secondId).not.toBe(firstId);
    expect((await ok(second, 'vault.status', {})).keychain.remembered).toBe(false);
    await ok(second, 'vault.lock', {});
    expect(await ok(second, 'vault.unlockWithKeychain', {})).toMatchObject({
      problem: 'not-remembered',
    });

    // The old vault's entry copied under the new id (what a restore from elsewhere can do).
    const { systemKeychain } = await import('../../src/main/keychain/system');
    const keychain = systemKeychain();
    const old = (await keychain.get(firstId)) as Buffer;
    await keychain.set(secondId, old);
    old.fill(0);
    const refused = await ok(second, 'vault.unlockWithKeychain', {});
    expect(refused).toMatchObject({ unlocked: false, problem: 'stale' });
    expect(await keychain.get(secondId)).toBeNull();
    await keychain.delete(firstId);
  });
});
