import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';
import { DetailPane } from './detail-pane';
import { type MetadataInput, fillMetadata } from './metadata-form';

export interface NewSecret extends MetadataInput {
  ref: string;
  /** Entered as is; without it Rekey generates the value. */
  value?: string;
}

export interface ImportPreview {
  /** The summary line: "2 new · 0 updated · 0 unchanged · 1 skipped". */
  summary: string;
  added: string[];
  updated: string[];
  /** Keys left out, as "KEY: reason". */
  skipped: string[];
}

export type SortColumn =
  'ref' | 'deployment' | 'service' | 'ageDays' | 'rotation' | 'impact' | 'difficulty' | 'strength';

/** The secrets table with its search, facets and dialogs; the detail pane is `detail`. */
export class InventoryPage extends BasePage {
  get detail(): DetailPane {
    return new DetailPane(this.page);
  }

  get rows(): Locator {
    return this.byTestId('secret-rows').locator('[data-ref]');
  }

  row(ref: string): Locator {
    return this.byTestId('secret-rows').locator(`[data-ref="${ref}"]`);
  }

  /** The texts of a row's cells: name, deployment, service, age, policy, impact, difficulty, strength. */
  async rowCells(ref: string): Promise<string[]> {
    const cells = await this.row(ref).locator('.cell').allTextContents();
    return cells.map((cell) => cell.trim());
  }

  /** Refs of the rows in the DOM, top to bottom (the table renders only the rows in view). */
  async visibleRefs(): Promise<string[]> {
    const refs: string[] = [];
    for (const row of await this.rows.all()) refs.push((await row.getAttribute('data-ref')) ?? '');
    return refs;
  }

  /** "3 of 12 secrets · ↑↓ to move…" */
  async footer(): Promise<string> {
    return (await this.byTestId('table-footer').textContent()) ?? '';
  }

  async search(text: string): Promise<void> {
    await this.byTestId('search').fill(text);
  }

  async toggleWeak(): Promise<void> {
    await this.byTestId('facet-weak').click();
  }

  async toggleCompromised(): Promise<void> {
    await this.byTestId('facet-compromised').click();
  }

  /** '' for all deployments. */
  async filterDeployment(name: string): Promise<void> {
    await this.byTestId('facet-deployment').selectOption(name);
  }

  /** overdue, due, ok, manual, no-policy; '' for any. */
  async filterRotation(status: string): Promise<void> {
    await this.byTestId('facet-rotation').selectOption(status);
  }

  /** Clicks a column header; returns its aria-sort afterwards (ascending/descending). */
  async sortBy(column: SortColumn): Promise<string> {
    await this.byTestId(`sort-${column}`).click();
    return (await this.byTestId(`sort-${column}`).locator('..').getAttribute('aria-sort')) ?? '';
  }

  /** Clicks the secret's row and waits for its detail. */
  async open(ref: string): Promise<DetailPane> {
    await this.row(ref).click();
    const detail = this.detail;
    await detail.waitForRef(ref);
    return detail;
  }

  /** Adds a secret through the "Add secret" dialog; the new secret opens in the detail pane. */
  async addSecret(secret: NewSecret): Promise<DetailPane> {
    const dialog = await this.openAddSecret();
    await dialog.getByTestId('field-ref').fill(secret.ref);
    if (secret.value !== undefined) {
      await dialog.getByTestId('mode-enter').click();
      await dialog.getByTestId('field-value').fill(secret.value);
    }
    await fillMetadata(dialog, secret);
    await dialog.getByTestId('save-secret').click();
    await dialog.waitFor({ state: 'detached' });
    const detail = this.detail;
    await detail.waitForRef(secret.ref);
    return detail;
  }

  async openAddSecret(): Promise<Locator> {
    await this.byTestId('add-secret-button').click();
    const dialog = this.byTestId('add-secret-dialog');
    await dialog.waitFor();
    return dialog;
  }

  async openImport(): Promise<Locator> {
    const dialog = this.byTestId('import-dialog');
    if (!(await dialog.isVisible())) await this.byTestId('import-button').click();
    await dialog.waitFor();
    return dialog;
  }

  /** Fills the import dialog and asks for the dry run; returns what it would do. */
  async previewImport(input: {
    deployment: string;
    content: string;
    all?: boolean;
  }): Promise<ImportPreview> {
    const dialog = await this.openImport();
    await dialog.getByTestId('import-deployment').fill(input.deployment);
    await dialog.getByTestId('import-content').fill(input.content);
    if (input.all) await dialog.getByLabel('Import every key').check();
    await dialog.getByTestId('import-preview').click();
    const summary = dialog.getByTestId('import-summary');
    await summary.waitFor();
    const lines = (await summary.locator('span').allTextContents()).map((line) => line.trim());
    const after = (prefix: string) =>
      lines.filter((line) => line.startsWith(prefix)).map((line) => line.slice(2));
    return {
      summary: ((await summary.locator('strong').textContent()) ?? '').replace(/\s+/g, ' '),
      added: after('+ '),
      updated: after('~ '),
      skipped: after('– '),
    };
  }

  /** Imports what the preview showed; the dialog closes. */
  async confirmImport(): Promise<void> {
    const dialog = this.byTestId('import-dialog');
    await dialog.getByTestId('import-confirm').click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Preview, then import: returns the preview. */
  async importEnv(input: { deployment: string; content: string }): Promise<ImportPreview> {
    const preview = await this.previewImport(input);
    await this.confirmImport();
    return preview;
  }
}
