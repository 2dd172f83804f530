import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { pagesOf } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';
import { PASSWORD, SAMPLE_STACK, type SeedSecret, seedVault } from './harness/seed-vault';
import { RotationWizard } from './pages/rotation-wizard';

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

/** The sample stack with SyncTV's JWT secret living in a config file on this machine. */
function stackWithTarget(dir: string): SeedSecret[] {
  const config = join(dir, 'synctv', 'config.yaml');
  return SAMPLE_STACK.map((secret) => {
    if (secret.ref !== 'synctv-prod/jwt.secret') return secret;
    mkdirSync(join(dir, 'synctv'), { recursive: true });
    writeFileSync(
      config,
      `server:\n  port: 8080\njwt:\n  secret: ${secret.value}\n  expire: 48h\n`,
    );
    const target = { host: 'local', path: config, format: 'yaml', key: 'jwt.secret' };
    return { ...secret, metadata: { ...secret.metadata, targets: [target] } };
  });
}

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

    it(`rotation wizard and the Rotations view (${scheme})`, async () => {
      const app = pagesOf(
        await ui.open({
          colorScheme: scheme,
          prepare: (paths) => seedVault(paths.vaultPath, stackWithTarget(paths.dir)),
        }),
      );
      const { page } = app.ui;
      const wizard = new RotationWizard(page, app.ui.errors);
      await app.unlock.unlock(PASSWORD);
      await app.base.navigate('inventory');
      await app.inventory.open('synctv-prod/jwt.secret');

      await wizard.openFromDetail();
      await wizard.plan();
      await wizard.tick('backup');
      await screenshot(page, `rotation-plan-${scheme}`);
      await wizard.tickAll();
      await wizard.next();
      await wizard.preview();
      await screenshot(page, `rotation-preview-${scheme}`);
      await wizard.run();
      await wizard.result();
      await screenshot(page, `rotation-result-${scheme}`);
      await wizard.openRun();
      await page.getByTestId('run-pane').getByTestId('run-log').waitFor();
      await screenshot(page, `rotations-${scheme}`);

      app.base.expectNoConsoleErrors();
    });
  }
});
