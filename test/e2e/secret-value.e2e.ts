import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openUnlocked } from './harness/app';
import { useRekeyUi } from './harness/fixture';
import { type SeedSecret, knownValue } from './harness/seed-vault';
import { MASK } from './pages/detail-pane';

/** A revealed value hides itself, and a copied one leaves the clipboard by itself. */
describe('secret values', () => {
  const ui = useRekeyUi();
  const secret: SeedSecret = { ref: 'synctv-prod/jwt.secret', value: knownValue() };
  const other: SeedSecret = { ref: 'synctv-prod/redis.password', value: knownValue() };

  const clipboard = (page: Page) => page.evaluate<string>('navigator.clipboard.readText()');

  it('reveals the exact value and hides it again after revealSeconds', async () => {
    const { settings, inventory, base } = await openUnlocked(ui, [secret, other]);
    await base.navigate('settings');
    await settings.setPreferences({ revealSeconds: 3 });

    await base.navigate('inventory');
    const detail = await inventory.open(secret.ref);
    expect(await detail.value()).toBe(MASK);
    const revealedAt = Date.now();
    expect(await detail.reveal()).toBe(secret.value);
    // Hidden by itself: not before about 3 s, and well before 6 s.
    await detail.waitUntilHidden(6_000);
    expect(Date.now() - revealedAt).toBeGreaterThanOrEqual(2_000);
    expect(await detail.hidden()).toBe(true);

    // Hide by hand, and moving to another secret hides too.
    await detail.reveal();
    await detail.hide();
    await detail.reveal();
    await inventory.open(other.ref);
    expect(await detail.hidden()).toBe(true);
    expect(await detail.reveal()).toBe(other.value);

    base.expectNoConsoleErrors();
  });

  it('copies the value and clears the clipboard after clipboardClearSeconds', async () => {
    const { settings, inventory, base, ui: opened } = await openUnlocked(ui, [secret, other]);
    await base.navigate('settings');
    await settings.setPreferences({ clipboardClearSeconds: 5 });

    await base.navigate('inventory');
    const detail = await inventory.open(secret.ref);
    await detail.copy();
    const copiedAt = Date.now();
    expect(await clipboard(opened.page)).toBe(secret.value);
    // Copying does not reveal.
    expect(await detail.hidden()).toBe(true);
    await expect.poll(() => clipboard(opened.page), { timeout: 9_000, interval: 250 }).toBe('');
    expect(Date.now() - copiedAt).toBeGreaterThanOrEqual(4_000);

    base.expectNoConsoleErrors();
  });
});
