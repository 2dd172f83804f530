import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openUnlocked, pagesOf } from './harness/app';
import { useRekeyUi } from './harness/fixture';
import { PASSWORD, knownValue } from './harness/seed-vault';

/** Locking, unlocking and the master password. */
describe('session', () => {
  const ui = useRekeyUi();
  const password = 'amber kettle dawn seventeen';

  it('locks and unlocks; a wrong password is refused in place', async () => {
    const app = pagesOf(await ui.open());
    const { firstRun, unlock, inventory, settings, base } = app;
    await firstRun.createVault(password);

    // The vault is a real file at the path the host was given, and Settings names it.
    expect(statSync(app.ui.vaultPath).size).toBeGreaterThan(0);
    await base.navigate('settings');
    expect(await settings.vaultPath()).toBe(app.ui.vaultPath);

    await base.navigate('inventory');
    await inventory.addSecret({ ref: 'matrix-vps1/db.password', value: knownValue() });
    await base.lock();
    // Nothing of the unlocked vault is left on screen.
    expect(await base.byTestId('secret-rows').count()).toBe(0);

    expect(await unlock.unlockFails('not the password')).toBe(
      'That is not the password of this vault.',
    );
    await unlock.expectScreen('unlock');
    // The field is cleared for the next try.
    expect(await unlock.byTestId('unlock-password').inputValue()).toBe('');

    // Back where the user was, with the inventory loaded again.
    await unlock.unlock(password, 'inventory');
    await expect.poll(() => inventory.visibleRefs()).toEqual(['matrix-vps1/db.password']);

    base.expectNoConsoleErrors();
  });

  it('changes the master password: the old one fails, the new one works', async () => {
    const { settings, unlock, base } = await openUnlocked(ui, []);
    const next = 'quartz meadow lantern ninety';
    await base.navigate('settings');

    expect(await settings.changePasswordRefused('wrong current password', next)).toMatch(
      /password/i,
    );
    await settings.changePassword(PASSWORD, next);
    await base.waitForText('Password changed. Use the new one from now on.');

    await base.lock();
    expect(await unlock.unlockFails(PASSWORD)).toBe('That is not the password of this vault.');
    await unlock.unlock(next, 'settings');

    base.expectNoConsoleErrors();
  });
});
