import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';

/** Ctrl+K: navigation, actions and secrets from the keyboard. */
export class CommandPalette extends BasePage {
  get root(): Locator {
    return this.byTestId('palette');
  }

  async open(): Promise<void> {
    await this.page.keyboard.press('Control+K');
    await this.byTestId('palette-input').waitFor();
  }

  /** Types into the palette and runs the highlighted entry with Enter; the palette closes. */
  async run(text: string): Promise<void> {
    await this.byTestId('palette-input').fill(text);
    await this.page.keyboard.press('Enter');
    await this.root.waitFor({ state: 'detached' });
  }

  /** The entries the palette offers for what was typed. */
  async items(): Promise<string[]> {
    return this.root.locator('[cmdk-item]').allTextContents();
  }

  async closeWithEscape(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.root.waitFor({ state: 'detached' });
  }
}
