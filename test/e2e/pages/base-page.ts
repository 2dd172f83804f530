import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Base of the page objects: tests say what a user does ("open the inventory"), page objects
 * know how (which data-testid). When the UI changes, page objects change, tests do not.
 *
 * Test id conventions shared with src/renderer:
 *   screens   screen-first-run, screen-unlock, screen-dashboard, screen-inventory,
 *             screen-history, screen-settings
 *   nav links nav-dashboard, nav-inventory, nav-history, nav-settings
 *   lock      lock-button
 */

export type Screen = 'first-run' | 'unlock' | 'dashboard' | 'inventory' | 'history' | 'settings';
export type Section = 'dashboard' | 'inventory' | 'history' | 'settings';

export class BasePage {
  /** `errors` is the list the harness fills with console errors and uncaught exceptions. */
  constructor(
    readonly page: Page,
    private readonly errors: readonly string[] = [],
  ) {}

  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Waits until the screen's root element is visible. */
  async expectScreen(screen: Screen): Promise<void> {
    await this.byTestId(`screen-${screen}`).waitFor({ state: 'visible' });
  }

  /** Follows a navigation link and waits for its screen. */
  async navigate(section: Section): Promise<void> {
    await this.byTestId(`nav-${section}`).click();
    await this.expectScreen(section);
  }

  /** Locks the vault from the toolbar; the unlock screen must follow. */
  async lock(): Promise<void> {
    await this.byTestId('lock-button').click();
    await this.expectScreen('unlock');
  }

  /** Waits until `text` is visible somewhere on the page (or inside `within`). */
  async waitForText(text: string | RegExp, within?: Locator): Promise<Locator> {
    const match = (within ?? this.page).getByText(text).first();
    await match.waitFor({ state: 'visible' });
    return match;
  }

  /** A working UI logs no errors: CSP violations, failed requests and exceptions all land here. */
  expectNoConsoleErrors(): void {
    expect(this.errors).toEqual([]);
  }
}
