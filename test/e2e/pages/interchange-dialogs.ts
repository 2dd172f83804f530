import { BasePage } from './base-page';

/** The import and export dialogs (views/interchange), opened from the palette or the Inventory. */
export class InterchangeDialogs extends BasePage {
  async preview(input: { kind: string; path: string; deployment?: string }): Promise<void> {
    const dialog = this.byTestId('interchange-import-dialog');
    await dialog.waitFor();
    await this.byTestId('interchange-kind').selectOption(input.kind);
    await this.byTestId('interchange-path').fill(input.path);
    if (input.deployment) await this.byTestId('interchange-deployment').fill(input.deployment);
    await this.byTestId('interchange-preview-button').click();
    await this.byTestId('interchange-preview').waitFor();
  }

  /** Each candidate row as [ref, status, chosen action]. */
  async rows(): Promise<[string, string, string][]> {
    const rows = this.byTestId('interchange-preview').locator('tbody tr');
    const result: [string, string, string][] = [];
    for (const row of await rows.all()) {
      const ref = (await row.locator('td .mono').first().textContent()) ?? '';
      const status = (await row.getAttribute('data-status')) ?? '';
      const action = await row.locator('select').inputValue();
      result.push([ref, status, action]);
    }
    return result;
  }

  async choose(ref: string, action: string): Promise<void> {
    await this.page.getByLabel(`Choice for ${ref}`).selectOption(action);
  }

  async apply(): Promise<void> {
    await this.byTestId('interchange-apply').click();
    await this.byTestId('interchange-import-dialog').waitFor({ state: 'detached' });
  }

  async openExport(): Promise<void> {
    await this.byTestId('interchange-export-button').click();
    await this.byTestId('interchange-export-dialog').waitFor();
  }

  async fillExport(input: { kind: string; path: string; deployment?: string }): Promise<void> {
    await this.byTestId('interchange-export-kind').selectOption(input.kind);
    await this.byTestId('interchange-export-path').fill(input.path);
    if (input.deployment)
      await this.byTestId('interchange-export-deployment').fill(input.deployment);
  }
}
