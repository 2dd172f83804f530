import { BasePage } from '../pages/base-page';
import { CommandPalette } from '../pages/command-palette';
import { DashboardPage } from '../pages/dashboard-page';
import { FirstRunPage } from '../pages/first-run-page';
import { HistoryPage } from '../pages/history-page';
import { InventoryPage } from '../pages/inventory-page';
import { SettingsPage } from '../pages/settings-page';
import { UnlockPage } from '../pages/unlock-page';
import type { OpenUiOptions, RekeyUi, RekeyUiFixture } from './fixture';
import { PASSWORD, type SeedSecret, seedVault } from './seed-vault';

/** Every page object over one opened UI, sharing its console-error list. */
export interface App {
  ui: RekeyUi;
  base: BasePage;
  firstRun: FirstRunPage;
  unlock: UnlockPage;
  dashboard: DashboardPage;
  inventory: InventoryPage;
  history: HistoryPage;
  settings: SettingsPage;
  palette: CommandPalette;
}

export function pagesOf(ui: RekeyUi): App {
  const { page, errors } = ui;
  return {
    ui,
    base: new BasePage(page, errors),
    firstRun: new FirstRunPage(page, errors),
    unlock: new UnlockPage(page, errors),
    dashboard: new DashboardPage(page, errors),
    inventory: new InventoryPage(page, errors),
    history: new HistoryPage(page, errors),
    settings: new SettingsPage(page, errors),
    palette: new CommandPalette(page, errors),
  };
}

/** Opens the UI on a fresh vault holding `secrets` (made with the library) and unlocks it. */
export async function openUnlocked(
  fixture: RekeyUiFixture,
  secrets: readonly SeedSecret[],
  options: Omit<OpenUiOptions, 'prepare'> = {},
): Promise<App> {
  const app = pagesOf(
    await fixture.open({ ...options, prepare: (paths) => seedVault(paths.vaultPath, secrets) }),
  );
  await app.unlock.unlock(PASSWORD);
  return app;
}
