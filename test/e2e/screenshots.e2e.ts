import { describe, it } from 'vitest';
import { pagesOf } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';
import { PASSWORD, SAMPLE_STACK, seedVault } from './harness/seed-vault';

/**
 * A picture of every view in both themes, under test-results/screenshots/<view>-<scheme>.png,
 * for a person to look at: overlapping text, cut-off columns and poor contrast show there
 * first. The tests assert only that each view got to the state worth showing.
 */
const SCHEMES = ['light', 'dark'] as const;

const ENV = [
  '# Synapse on vps1',
  'SYNAPSE_SERVER_NAME=matrix.example.org',
  'POSTGRES_PASSWORD=Vq3xTz8pLk2wNe7RcY5uHs',
  'REGISTRATION_SHARED_SECRET=r8Jm2QxVt5Kp9LwZ3NcB7Hd',
  'TURN_SECRET=',
  '',
].join('\n');

describe('screenshots', () => {
  const ui = useRekeyUi();

  for (const scheme of SCHEMES) {
    it(`first run (${scheme})`, async () => {
      const { firstRun, ui: opened } = pagesOf(await ui.open({ colorScheme: scheme }));
      await firstRun.expectScreen('first-run');
      await firstRun.byTestId('new-password').fill('violet staple orbit canyon');
      await firstRun
        .byTestId('strength-meter')
        .and(opened.page.locator('[data-rating]:not([data-rating=""])'))
        .waitFor();
      await screenshot(opened.page, `first-run-${scheme}`);
      firstRun.expectNoConsoleErrors();
    });

    it(`unlock and every unlocked view (${scheme})`, async () => {
      const app = pagesOf(
        await ui.open({
          colorScheme: scheme,
          prepare: (paths) => seedVault(paths.vaultPath, SAMPLE_STACK),
        }),
      );
      const { page } = app.ui;
      const { unlock, dashboard, inventory, history, palette, base } = app;
      await unlock.expectScreen('unlock');
      await screenshot(page, `unlock-${scheme}`);
      await unlock.unlock(PASSWORD);

      await dashboard.tileCount('secrets');
      await dashboard.rotationChart.waitFor();
      await screenshot(page, `dashboard-${scheme}`);

      await base.navigate('inventory');
      await inventory.open('livekit-vps1/api.secret');
      await screenshot(page, `inventory-detail-${scheme}`);

      const add = await inventory.openAddSecret();
      await add.getByTestId('field-ref').fill('synctv-prod/session.secret');
      await screenshot(page, `add-secret-${scheme}`);
      await page.keyboard.press('Escape');
      await add.waitFor({ state: 'detached' });

      await inventory.previewImport({ deployment: 'matrix-vps1', content: ENV });
      await screenshot(page, `import-preview-${scheme}`);
      await page.keyboard.press('Escape');
      await inventory.byTestId('import-dialog').waitFor({ state: 'detached' });

      await base.navigate('history');
      await history.verifiedBadge();
      await screenshot(page, `history-${scheme}`);

      await base.navigate('settings');
      await screenshot(page, `settings-${scheme}`);

      await palette.open();
      await palette.byTestId('palette-input').fill('ma');
      await screenshot(page, `palette-${scheme}`);

      base.expectNoConsoleErrors();
    });
  }
});
