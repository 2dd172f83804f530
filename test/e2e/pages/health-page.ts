import { readFile } from 'node:fs/promises';
import { BasePage } from './base-page';
import type { DownloadedFile } from './history-page';

/**
 * The Health view, its fix dialog, the Dashboard's health tiles and the detail pane's snooze.
 *
 * Test ids: nav-health, screen-health, health-summary, health-check-hosts, health-progress,
 * health-export, health-group (data-subject: secret:REF | host:NAME), health-finding
 * (data-finding: the finding id), finding-rotate, finding-tighten, finding-snoozed;
 * tighten-dialog, confirm-tighten; health-tiles, health-tile-{values,reused,backup,stale,hosts};
 * snooze-section, snooze-button, snooze-days, snooze-reason, snooze-confirm, snooze-state,
 * snooze-clear.
 */
export class HealthPage extends BasePage {
  async open(): Promise<void> {
    await this.byTestId('nav-health').click();
    await this.byTestId('screen-health').waitFor();
    await this.page
      .getByText(/finding|No findings/)
      .first()
      .waitFor();
  }

  /** Finding ids shown, in order. */
  async findingIds(): Promise<string[]> {
    const items = await this.byTestId('health-finding').all();
    return Promise.all(items.map(async (item) => (await item.getAttribute('data-finding')) ?? ''));
  }

  finding(id: string) {
    return this.page.locator(`[data-testid="health-finding"][data-finding="${id}"]`);
  }

  async waitForFinding(id: string): Promise<void> {
    await this.finding(id).waitFor();
  }

  /** Runs the host checks and waits for them to end (the progress goes away). */
  async checkHosts(): Promise<void> {
    await this.byTestId('health-check-hosts').click();
    await this.page.getByText(/hosts? checked/).waitFor({ timeout: 30_000 });
  }

  /** Tightens a file's mode from its finding, confirming with the keyboard. */
  async tighten(id: string): Promise<void> {
    await this.finding(id).getByTestId('finding-tighten').click();
    await this.byTestId('tighten-dialog').waitFor();
    await this.byTestId('confirm-tighten').focus();
    await this.page.keyboard.press('Enter');
    await this.byTestId('tighten-dialog').waitFor({ state: 'detached' });
    await this.finding(id).waitFor({ state: 'detached' });
  }

  async exportMarkdown(): Promise<DownloadedFile> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.byTestId('health-export').click(),
    ]);
    const path = await download.path();
    return { fileName: download.suggestedFilename(), content: await readFile(path, 'utf8') };
  }

  /** Snoozes the secret open in the detail pane. */
  async snoozeFromDetail(days: number, reason: string): Promise<void> {
    await this.byTestId('snooze-button').click();
    await this.byTestId('snooze-days').fill(String(days));
    await this.byTestId('snooze-reason').fill(reason);
    await this.byTestId('snooze-reason').press('Enter');
    await this.byTestId('snooze-state').waitFor();
  }
}
