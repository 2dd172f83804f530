import { describe, expect, it } from 'vitest';
import { pagesOf } from './harness/app';
import { useRekeyUi } from './harness/fixture';
import { PASSWORD, seedVault } from './harness/seed-vault';
import { KeychainPage } from './pages/keychain-page';
import { useKeyring } from '../helpers/keyring';

/**
 * "Remember on this device" in the UI, through the browser host: hidden with a reason where
 * there is no keychain (the host's environment has no D-Bus session), and the whole round
 * trip against a real gnome-keyring on a private D-Bus session, by keyboard where it matters.
 */
describe('keychain unlock', () => {
  const ui = useRekeyUi();
  const keyring = useKeyring();
  const seeded = { prepare: (paths: { vaultPath: string }) => seedVault(paths.vaultPath, []) };

  it('without a keychain the option is hidden, a line says why, and the password unlocks', async () => {
    const app = pagesOf(await ui.open(seeded));
    const keychain = new KeychainPage(app.ui.page);
    await app.unlock.expectScreen('unlock');
    expect(await keychain.unavailableMessage()).toContain('No keychain on this device');
    expect(await keychain.unavailableMessage()).toContain('D-Bus');
    expect(await keychain.rememberOffered()).toBe(false);
    expect(await keychain.keychainButtonShown()).toBe(false);

    await app.unlock.unlock(PASSWORD);
    await app.base.navigate('settings');
    expect(await keychain.rememberedInSettings()).toBe(false);
    expect(await keychain.settingsText()).toContain('No keychain on this device');
    app.base.expectNoConsoleErrors();
  });

  it('remembers on unlock, unlocks by keyboard without the password, forgets in one click', async () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: keyring().address };
    const app = pagesOf(await ui.open({ ...seeded, env }));
    const keychain = new KeychainPage(app.ui.page);
    await app.unlock.expectScreen('unlock');
    expect(await keychain.unavailableMessage()).toBe('');
    expect(await keychain.rememberOffered()).toBe(true);
    expect(await keychain.keychainButtonShown()).toBe(false);

    await keychain.unlockAndRemember(PASSWORD);
    await app.base.navigate('settings');
    await expect.poll(() => keychain.rememberedInSettings()).toBe(true);
    const stored = await keyring().secretTool(['search', '--all', 'service', 'Rekey']);
    expect(stored.stderr).toContain('attribute.username = ');
    expect(stored.stdout).not.toContain(PASSWORD);

    await app.base.lock();
    expect(await keychain.keychainButtonFocused()).toBe(true);
    await app.ui.page.keyboard.press('Enter');
    await app.base.expectScreen('settings');

    await keychain.forgetInSettings();
    expect(await keychain.rememberedInSettings()).toBe(false);
    const gone = await keyring().secretTool(['search', '--all', 'service', 'Rekey']);
    expect(gone.stderr).not.toContain('attribute.username = ');

    await app.base.lock();
    expect(await keychain.keychainButtonShown()).toBe(false);
    expect(await keychain.rememberOffered()).toBe(true);
    app.base.expectNoConsoleErrors();
  });
});
