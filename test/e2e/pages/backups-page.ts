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
 * verify-submit, verify-result (data-ok), backup-ages (li data-deployment data-state),
 * backup-databases, backup-database (data-database), backup-add-database,
 * backup-database-fields (database-host, database-name, database-server, database-port,
 * database-user, database-via, database-password); restore: restore-backup (in a row),
 * restore-from-file, restore-wizard, restore-body (data-step), restore-file-path,
 * restore-with, restore-passphrase, restore-verify-failed, restore-verified,
 * restore-database (data-entry), restore-database-fields, restore-file (data-file),
 * restore-include-secrets, restore-secret (data-ref, data-kind), conflict-keep-vault,
 * conflict-use-bundle, restore-summary, restore-confirm, restore-result,
 * restore-result-databases, restore-result-files, restore-result-secrets, restore-next,
 * restore-back.
 */

export type BackupStep = 'contents' | 'encryption' | 'destination' | 'run' | 'result';
export type RestoreStep = 'open' | 'choose' | 'confirm' | 'run' | 'result';

export interface DatabaseForm {
  host?: string;
  database?: string;
  server?: string;
  port?: string;
  user?: string;
}

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

  /** Fills a database form (backup's added database or restore's target); empty keeps as is. */
  async fillDatabase(fields: Locator, form: DatabaseForm): Promise<void> {
    if (form.host) await fields.getByTestId('database-host').selectOption(form.host);
    const inputs: [keyof DatabaseForm, string][] = [
      ['database', 'database-name'],
      ['server', 'database-server'],
      ['port', 'database-port'],
      ['user', 'database-user'],
    ];
    for (const [key, testId] of inputs) {
      const value = form[key];
      if (value !== undefined) await fields.getByTestId(testId).fill(value);
    }
  }

  async addDatabase(form: DatabaseForm): Promise<void> {
    await this.wizard.getByTestId('backup-add-database').click();
    await this.fillDatabase(this.wizard.getByTestId('backup-database-fields').last(), form);
  }

  get restoreWizard(): Locator {
    return this.byTestId('restore-wizard');
  }

  async openRestore(file: string): Promise<void> {
    await this.row(file).getByTestId('restore-backup').click();
    await this.restoreWizard.waitFor();
  }

  async waitForRestoreStep(step: RestoreStep, timeout?: number): Promise<void> {
    await this.restoreWizard
      .locator(`[data-testid="restore-body"][data-step="${step}"]`)
      .waitFor({ timeout });
  }

  async restoreNext(): Promise<void> {
    await this.restoreWizard.getByTestId('restore-next').click();
  }

  /** Types the bundle's passphrase and verifies; waits for the choose step or an error. */
  async openBundle(passphrase: string): Promise<'choose' | string> {
    await this.restoreWizard.getByTestId('restore-passphrase').fill(passphrase);
    await this.restoreNext();
    const chosen = this.restoreWizard.locator('[data-testid="restore-body"][data-step="choose"]');
    const failed = this.restoreWizard.locator('.form-error');
    await chosen.or(failed).first().waitFor({ timeout: RUN_TIMEOUT_MS });
    if (await chosen.count()) return 'choose';
    return clean(await failed.first().textContent());
  }

  /** The restore's secrets plan: each secret's ref and kind. */
  async secretsPlan(): Promise<{ ref: string; kind: string }[]> {
    const rows = this.restoreWizard.getByTestId('restore-secret');
    await rows.first().waitFor();
    const plan = [];
    for (const row of await rows.all()) {
      plan.push({
        ref: (await row.getAttribute('data-ref')) ?? '',
        kind: (await row.getAttribute('data-kind')) ?? '',
      });
    }
    return plan;
  }

  async chooseConflict(ref: string, choice: 'keep-vault' | 'use-bundle'): Promise<void> {
    await this.restoreWizard
      .locator(`[data-testid="restore-secret"][data-ref="${ref}"]`)
      .getByTestId(`conflict-${choice}`)
      .check();
  }

  /** The wizard's error line, once it shows. */
  async restoreError(): Promise<string> {
    const error = this.restoreWizard.locator('.form-error');
    await error.first().waitFor();
    return clean(await error.first().textContent());
  }

  async restoreResult(): Promise<{ databases: string; secrets: string; files: string }> {
    await this.waitForRestoreStep('result', RUN_TIMEOUT_MS);
    const result = this.restoreWizard.getByTestId('restore-result');
    const files = result.getByTestId('restore-result-files');
    return {
      databases: clean(await result.getByTestId('restore-result-databases').textContent()),
      secrets: clean(await result.getByTestId('restore-result-secrets').textContent()),
      files: (await files.count()) ? clean(await files.textContent()) : '',
    };
  }

  async closeVerify(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.verifyDialog.waitFor({ state: 'detached' });
  }
}
