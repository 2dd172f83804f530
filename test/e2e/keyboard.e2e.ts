import { describe, expect, it } from 'vitest';
import { openUnlocked } from './harness/app';
import { useRekeyUi } from './harness/fixture';
import { type SeedSecret, knownValue } from './harness/seed-vault';

/** Everything reachable from the keyboard: palette, search, table, dialogs. */
describe('keyboard', () => {
  const ui = useRekeyUi();
  const secrets: SeedSecret[] = ['a', 'b', 'c'].map((name) => ({
    ref: `stack/${name}.key`,
    value: knownValue(),
  }));

  it('navigates with the palette, searches with /, moves with arrows, closes with Escape', async () => {
    const { palette, inventory, base, ui: opened } = await openUnlocked(ui, secrets);
    const { page } = opened;
    const focused = () =>
      page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null");
    const selected = () =>
      inventory.rows.and(page.locator('[aria-selected="true"]')).getAttribute('data-ref');

    // Ctrl+K, "inventory", Enter.
    await palette.open();
    expect(await focused()).toBe('palette-input');
    await palette.run('inventory');
    await inventory.expectScreen('inventory');
    // The arrows move over the rows the table has loaded; wait for all three.
    await expect.poll(() => inventory.rows.count(), { timeout: 10_000 }).toBe(secrets.length);

    // "/" focuses the search box (and types nothing into it).
    await page.keyboard.press('/');
    expect(await focused()).toBe('search');
    expect(await inventory.byTestId('search').inputValue()).toBe('');

    // ArrowDown leaves the search for the table; then arrows move the selection.
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('secret-rows');
    await page.keyboard.press('ArrowDown');
    await inventory.detail.waitForRef('stack/a.key');
    expect(await selected()).toBe('stack/a.key');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await inventory.detail.waitForRef('stack/c.key');
    // At the end it stays at the end.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await inventory.detail.waitForRef('stack/b.key');
    expect(await selected()).toBe('stack/b.key');
    expect(await focused()).toBe('secret-rows');
    // Escape in the table closes the detail.
    await page.keyboard.press('Escape');
    await inventory.detail.root.waitFor({ state: 'detached' });

    // Escape closes every dialog, and the palette.
    for (const [button, dialog] of [
      ['add-secret-button', 'add-secret-dialog'],
      ['import-button', 'import-dialog'],
    ] as const) {
      await inventory.byTestId(button).click();
      await inventory.byTestId(dialog).waitFor();
      await page.keyboard.press('Escape');
      await inventory.byTestId(dialog).waitFor({ state: 'detached' });
    }
    await palette.open();
    await palette.closeWithEscape();
    // A palette action opens its dialog, which Escape closes too.
    await palette.open();
    await palette.run('change password');
    await base.expectScreen('settings');
    await base.byTestId('change-password-dialog').waitFor();
    await page.keyboard.press('Escape');
    await base.byTestId('change-password-dialog').waitFor({ state: 'detached' });

    base.expectNoConsoleErrors();
  });
});
