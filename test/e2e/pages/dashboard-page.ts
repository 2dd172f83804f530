import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';

export type TileId = 'secrets' | 'overdue' | 'due' | 'weak' | 'compromised';

/** The overview after unlocking: count tiles, the rotation chart, the latest events. */
export class DashboardPage extends BasePage {
  /** The number on a tile, once the summary has loaded. */
  async tileCount(id: TileId): Promise<number> {
    const value = this.byTestId(`tile-${id}`).locator('.tile-value');
    // '–' until the summary arrives.
    await value.filter({ hasText: /^\d+$/ }).waitFor();
    return Number(await value.textContent());
  }

  /** Opens the inventory filtered as the tile says (e.g. only compromised secrets). */
  async openTile(id: TileId): Promise<void> {
    await this.byTestId(`tile-${id}`).click();
    await this.expectScreen('inventory');
  }

  get rotationChart(): Locator {
    return this.byTestId('rotation-chart');
  }

  /** The refs listed under "Needs a look". */
  async attention(): Promise<string[]> {
    return this.byTestId('attention').locator('li button').allTextContents();
  }

  /** The summaries of the latest events, newest first. */
  async latestEvents(): Promise<string[]> {
    return this.byTestId('latest-events').locator('.event-summary').allTextContents();
  }
}
