import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pagesOf } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';
import { expectNoValues, pageContents } from './harness/page-contents';
import { PASSWORD, knownValue, seedVault } from './harness/seed-vault';
import { InterchangeDialogs } from './pages/interchange-dialogs';

/**
 * A user imports a .env from the palette: the preview shows a secret the vault holds with
 * another value, one it holds with the same value and a new one; they choose a new version
 * for the first, import, and then export the deployment as a .env, which needs them to
 * confirm that the file is in clear. No value ever reaches the page or its stores.
 */

describe('import and export', () => {
  const ui = useRekeyUi();

  it('imports with a duplicate choice and exports after the plaintext warning', async () => {
    const [stored, same, changed, fresh] = [knownValue(), knownValue(), knownValue(), knownValue()];
    let envFile = '';
    const opened = await ui.open({
      prepare: async (paths) => {
        envFile = join(paths.dir, 'incoming.env');
        writeFileSync(envFile, `DB_PASSWORD=${changed}\nAPI_TOKEN=${same}\nNEW_SECRET=${fresh}\n`);
        await seedVault(paths.vaultPath, [
          { ref: 'web/DB_PASSWORD', value: stored },
          { ref: 'web/API_TOKEN', value: same },
        ]);
      },
    });
    const app = pagesOf(opened);
    await app.unlock.unlock(PASSWORD);
    const { page } = opened;
    const dialogs = new InterchangeDialogs(page, opened.errors);
    const seen: string[] = [];

    // From the palette, by keyboard.
    await app.base.navigate('inventory');
    await app.palette.open();
    await app.palette.run('import compose pass keepass');
    await dialogs.preview({ kind: 'env', path: envFile, deployment: 'web' });
    expect(await dialogs.rows()).toEqual([
      ['web/DB_PASSWORD', 'conflict', 'skip'],
      ['web/API_TOKEN', 'same', 'skip'],
      ['web/NEW_SECRET', 'new', 'create'],
    ]);
    await page.getByText('Different value than web/DB_PASSWORD').waitFor();
    await page.getByText('Same value already in web/API_TOKEN').waitFor();
    await dialogs.choose('web/DB_PASSWORD', 'version');
    seen.push(await pageContents(page));
    await screenshot(page, 'interchange-import-preview');
    await dialogs.apply();
    await page.getByText('Imported 1 new secrets and 1 new versions; 1 skipped').waitFor();
    await page.getByText('NEW_SECRET', { exact: true }).waitFor();
    expect((await app.inventory.visibleRefs()).sort()).toEqual([
      'web/API_TOKEN',
      'web/DB_PASSWORD',
      'web/NEW_SECRET',
    ]);
    seen.push(await pageContents(page));

    // Export the deployment as a .env: refused until the plaintext warning is confirmed.
    const out = join(opened.dir, 'web.env');
    await dialogs.openExport();
    await dialogs.fillExport({ kind: 'env', path: out, deployment: 'web' });
    await dialogs.byTestId('plaintext-warning').getByText('in clear').first().waitFor();
    expect(await dialogs.byTestId('interchange-export').isDisabled()).toBe(true);
    await dialogs.byTestId('plaintext-confirm').check();
    await dialogs.byTestId('interchange-export').click();
    await dialogs.byTestId('interchange-export-result').waitFor();
    seen.push(await pageContents(page));
    await screenshot(page, 'interchange-export-done');

    expect(readFileSync(out, 'utf8').split('\n').sort()).toEqual(
      ['', `API_TOKEN=${same}`, `DB_PASSWORD=${changed}`, `NEW_SECRET=${fresh}`].sort(),
    );
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expectNoValues(seen, [stored, same, changed, fresh]);
    expect(opened.errors).toEqual([]);
  });
});
