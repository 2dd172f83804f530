import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openUnlocked } from './harness/app';
import { useRekeyUi } from './harness/fixture';
import { manySecrets } from './harness/seed-vault';

/**
 * Threat: a renderer compromise (an XSS, a malicious dependency) or a heap/DOM dump reads every
 * secret the UI ever loaded. Rule: the renderer holds no value it was not asked for, and then
 * only that one, only in the component that shows it, never in a store.
 */
describe('renderer holds no secret values unasked', () => {
  const ui = useRekeyUi();
  const secrets = manySecrets(1_000);

  const storesJson = (page: Page) =>
    page.evaluate<string>('JSON.stringify(window.__rekeyStores?.() ?? null)');
  const html = (page: Page) => page.evaluate<string>('document.documentElement.outerHTML');
  const valuesIn = (text: string) =>
    secrets.filter((secret) => text.includes(secret.value)).map((secret) => secret.ref);

  it('keeps all 1,000 values out of the stores and the DOM until one is revealed', async () => {
    const { inventory, history, base, ui: opened } = await openUnlocked(ui, secrets);
    const { page } = opened;

    // Browse as a user would: every row scrolled past, a few details opened, history listed.
    await base.navigate('inventory');
    await expect.poll(() => inventory.footer()).toMatch(/^1000 secrets/);
    const rendered = await page.evaluate<number>(`(async () => {
      const body = document.querySelector('[data-testid="secret-rows"]');
      const seen = new Set();
      const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      for (;;) {
        body.querySelectorAll('[data-ref]').forEach((row) => seen.add(row.dataset.ref));
        if (body.scrollTop + body.clientHeight >= body.scrollHeight - 1) break;
        body.scrollTop += body.clientHeight;
        await frame();
      }
      return seen.size;
    })()`);
    expect(rendered).toBe(1_000);
    const sorted = secrets.map((secret) => secret.ref).sort();
    const last = sorted.at(-1) as string;
    await inventory.open(last);
    await inventory.search('secret-00042');
    await inventory.open('synctv-prod/secret-00042');
    await inventory.search('');
    await inventory.byTestId('secret-rows').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
    await inventory.detail.waitForRef(
      sorted[sorted.indexOf('synctv-prod/secret-00042') - 3] as string,
    );
    await base.navigate('history');
    await history.verifiedBadge();
    await base.navigate('dashboard');
    await base.byTestId('latest-events').locator('li').first().waitFor();
    await base.navigate('inventory');
    await inventory.search(sorted[0] as string);
    const detail = await inventory.open(sorted[0] as string);
    await inventory.search('');

    const stores = await storesJson(page);
    // The stores did load the inventory (so the check below is about something).
    expect(stores).toContain(last);
    expect(valuesIn(stores)).toEqual([]);
    expect(valuesIn(await html(page))).toEqual([]);

    // Reveal one: exactly that value is on screen, and still in no store.
    const chosen = secrets.find((secret) => secret.ref === sorted[0]);
    expect(await detail.reveal()).toBe(chosen?.value);
    expect(valuesIn(await html(page))).toEqual([chosen?.ref]);
    expect(valuesIn(await storesJson(page))).toEqual([]);
    // Hidden again: gone from the DOM.
    await detail.hide();
    expect(valuesIn(await html(page))).toEqual([]);

    base.expectNoConsoleErrors();
  });
});
