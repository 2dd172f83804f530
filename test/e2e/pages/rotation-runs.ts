import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';

/**
 * The Rotations view: the runs table, the selected run's pane (steps, log, the actions a
 * stopped run offers) and the banner every view shows while a run is interrupted.
 *
 * Test ids: nav-rotations, screen-rotations, runs-empty, run-rows (rows carry data-run and
 * data-status), run-pane, run-pane-id, run-status (data-status), run-actions, resume-run,
 * rollback-run, retry-rollback, run-steps, run-log, run-result, interrupted-banner,
 * open-interrupted.
 */

export interface RunRow {
  id: string;
  status: string;
  cells: string[];
}

/** A rollback over SSH: undo, then check every target again. */
const RUN_TIMEOUT_MS = 45_000;

const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

export class RotationRunsPage extends BasePage {
  get pane(): Locator {
    return this.byTestId('run-pane');
  }

  get banner(): Locator {
    return this.byTestId('interrupted-banner');
  }

  /** Follows the Rotations link in the sidebar and waits for the view. */
  async open(): Promise<void> {
    await this.byTestId('nav-rotations').click();
    await this.byTestId('screen-rotations').waitFor();
  }

  async rows(): Promise<RunRow[]> {
    const rows = await this.byTestId('run-rows').locator('[data-run]').all();
    return Promise.all(
      rows.map(async (row) => ({
        id: (await row.getAttribute('data-run')) ?? '',
        status: (await row.getAttribute('data-status')) ?? '',
        cells: (await row.locator('.cell').allTextContents()).map(clean),
      })),
    );
  }

  async select(runId: string): Promise<void> {
    await this.byTestId('run-rows').locator(`[data-run="${runId}"]`).click();
    await this.byTestId('run-pane-id').filter({ hasText: runId }).waitFor();
  }

  /** The run open in the pane: its id, or null when none is. */
  async openRunId(): Promise<string | null> {
    const id = this.byTestId('run-pane-id');
    return (await id.count()) ? clean(await id.textContent()) : null;
  }

  /** The status of the run in the pane, once loaded (a run over SSH loads slowly under load). */
  async paneStatus(): Promise<string> {
    const badge = this.pane.locator('.detail-header [data-testid="run-status"]');
    await badge.waitFor({ timeout: RUN_TIMEOUT_MS });
    return (await badge.getAttribute('data-status')) ?? '';
  }

  /** Waits until the run in the pane has the status. */
  async waitForPaneStatus(status: string): Promise<void> {
    await this.pane
      .locator(`.detail-header [data-testid="run-status"][data-status="${status}"]`)
      .waitFor({ timeout: RUN_TIMEOUT_MS });
  }

  /** The buttons the pane offers for the run (by test id). */
  async actions(): Promise<string[]> {
    const buttons = await this.pane.getByTestId('run-actions').locator('button').all();
    return Promise.all(
      buttons.map(async (button) => (await button.getAttribute('data-testid')) ?? ''),
    );
  }

  async rollBack(): Promise<void> {
    await this.pane.getByTestId('rollback-run').click();
  }

  async paneSteps(): Promise<{ state: string; text: string }[]> {
    const rows = await this.pane.getByTestId('run-steps').locator('li').all();
    return Promise.all(
      rows.map(async (row) => ({
        state: (await row.getAttribute('data-state')) ?? '',
        text: clean(await row.textContent()),
      })),
    );
  }

  async logEntries(): Promise<string[]> {
    return (await this.pane.getByTestId('run-log').locator('li').allTextContents()).map(clean);
  }

  /** Clicks the banner's button: the Rotations view opens on the interrupted run. */
  async openFromBanner(): Promise<void> {
    await this.banner.getByTestId('open-interrupted').click();
    await this.byTestId('screen-rotations').waitFor();
    await this.pane.waitFor();
  }
}
