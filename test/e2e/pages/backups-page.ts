import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';

/**
 * The Backups view and its dialogs: the bundle table, the create wizard (Contents,
 * Encryption, Destination, Run, Result) and the verify dialog.
 *
 * Test ids: nav-backups, screen-backups, new-backup, backup-table, backup-row (data-file),
 * backup-encryption, backup-verification, verify-backup, backups-empty, backup-wizard,
 * backup-body (data-step), backup-stepper, backup-deployment, backup-include-secrets,
 * backup-file (data-file="host:path"), backup-passphrase-input, backup-passphrase-confirm,
 * strength-meter (data-rating), weak-passphrase, backup-recipient (data-fingerprint),
 * backup-destination, same-disk-warning, backup-progress, backup-progress-bytes,
 * backup-progress-part, backup-result (data-verified), backup-verified, backup-result-file,
 * backup-problems, backup-recipe, backup-next, backup-back, verify-dialog, verify-passphrase,
 * verify-submit, verify-result (data-ok), backup-ages (li data-deployment data-state).
 */

export type BackupStep = 'contents' | 'encryption' | 'destination' | 'run' | 'result';

const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/** Making and verifying a bundle reads and writes files; it gets longer than an action. */
const RUN_TIMEOUT_MS = 45_000;

export class BackupsPage extends BasePage {
  get wizard(): Locator {
    return this.byTestId('backup-wizard');
  }

  get verifyDialog(): Locator {
    return this.byTestId('verify-dialog');
  }

  async open(): Promise<void> {
    await this.byTestId('nav-backups').click();
    await this.byTestId('screen-backups').waitFor();
  }

  async openWizard(): Promise<void> {
    await this.byTestId('new-backup').click();
    await this.wizard.waitFor();
  }

  async waitForStep(step: BackupStep, timeout?: number): Promise<void> {
    await this.wizard.locator(`[data-testid="backup-body"][data-step="${step}"]`).waitFor({
      timeout,
    });
  }

  /** The config files the contents step offers, as "host:path", with their state. */
  async offeredFiles(): Promise<{ file: string; checked: boolean }[]> {
    const boxes = this.wizard.getByTestId('backup-file');
    await boxes.first().waitFor();
    const result = [];
    for (const box of await boxes.all()) {
      result.push({
        file: (await box.getAttribute('data-file')) ?? '',
        checked: await box.isChecked(),
      });
    }
    return result;
  }

  async next(): Promise<void> {
    await this.wizard.getByTestId('backup-next').click();
  }

  async typePassphrase(passphrase: string, confirmation = passphrase): Promise<void> {
    await this.wizard.getByTestId('backup-passphrase-input').fill(passphrase);
    await this.wizard.getByTestId('backup-passphrase-confirm').fill(confirmation);
  }

  /** Waits until the meter rated what is typed now; returns the rating. */
  async strengthRating(): Promise<string> {
    const meter = this.wizard.locator('[data-testid="strength-meter"]:not([data-rating=""])');
    await meter.waitFor();
    return (await meter.getAttribute('data-rating')) ?? '';
  }

  weakNote(): Locator {
    return this.wizard.getByTestId('weak-passphrase');
  }

  async setDestination(path: string): Promise<void> {
    await this.wizard.getByTestId('backup-destination').fill(path);
  }

  sameDiskWarning(): Locator {
    return this.wizard.getByTestId('same-disk-warning');
  }

  /** Waits for the result step and reads it. */
  async result(): Promise<{
    verified: boolean;
    file: string;
    problems: string[];
    recipe: string;
  }> {
    await this.waitForStep('result', RUN_TIMEOUT_MS);
    const result = this.wizard.getByTestId('backup-result');
    const problems = result.getByTestId('backup-problems');
    return {
      verified: (await result.getAttribute('data-verified')) === 'true',
      file: clean(await result.getByTestId('backup-result-file').textContent()),
      problems: (await problems.count())
        ? (await problems.locator('li').allTextContents()).map(clean)
        : [],
      recipe: clean(await result.getByTestId('backup-recipe').textContent()),
    };
  }

  async closeWizard(): Promise<void> {
    await this.wizard.getByTestId('backup-next').click();
    await this.wizard.waitFor({ state: 'detached' });
  }

  row(file: string): Locator {
    return this.byTestId('backup-table').locator(`[data-testid="backup-row"][data-file="${file}"]`);
  }

  /** A row's cells as text. */
  async rowText(file: string): Promise<string> {
    const row = this.row(file);
    await row.waitFor();
    return clean(await row.textContent());
  }

  async verification(file: string): Promise<string> {
    return clean(await this.row(file).getByTestId('backup-verification').textContent());
  }

  async openVerify(file: string): Promise<void> {
    await this.row(file).getByTestId('verify-backup').click();
    await this.verifyDialog.waitFor();
  }

  /** Types the passphrase, presses Verify, waits for the outcome (a report or an error). */
  async verifyWith(passphrase: string): Promise<{ ok: boolean | null; text: string }> {
    await this.verifyDialog.getByTestId('verify-passphrase').fill(passphrase);
    await this.verifyDialog.getByTestId('verify-submit').click();
    const outcome = this.verifyDialog.locator('[data-testid="verify-result"], .form-error');
    await outcome.first().waitFor({ timeout: RUN_TIMEOUT_MS });
    const report = this.verifyDialog.getByTestId('verify-result');
    if (await report.count()) {
      return {
        ok: (await report.getAttribute('data-ok')) === 'true',
        text: clean(await report.textContent()),
      };
    }
    return { ok: null, text: clean(await outcome.first().textContent()) };
  }

  async closeVerify(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.verifyDialog.waitFor({ state: 'detached' });
  }
}
