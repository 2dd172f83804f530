import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';
import { type MetadataInput, fieldErrors, fillMetadata } from './metadata-form';

/** What the value box shows while the value is hidden. */
export const MASK = '••••••••••••••••••••••••';

export interface VersionRow {
  fingerprint: string;
  labels: string[];
}

/** The selected secret beside the inventory table: value, metadata, versions, actions. */
export class DetailPane extends BasePage {
  get root(): Locator {
    return this.byTestId('detail-pane');
  }

  /** The ref shown in the pane's title, once its detail has loaded. */
  async ref(): Promise<string> {
    return (await this.byTestId('detail-ref').textContent()) ?? '';
  }

  async waitForRef(ref: string): Promise<void> {
    await this.byTestId('detail-ref')
      .filter({ hasText: new RegExp(`^${escape(ref)}$`) })
      .waitFor();
  }

  /** Asks for the value and waits until it is shown; returns it. */
  async reveal(): Promise<string> {
    await this.byTestId('reveal-button').filter({ hasText: 'Reveal' }).click();
    await this.byTestId('reveal-countdown').waitFor();
    return this.value();
  }

  /** Hides a revealed value by hand. */
  async hide(): Promise<void> {
    await this.byTestId('reveal-button').filter({ hasText: 'Hide' }).click();
    await this.waitUntilHidden(2_000);
  }

  /** What the value box shows now: the mask unless revealed. */
  async value(): Promise<string> {
    return (await this.byTestId('secret-value').textContent()) ?? '';
  }

  async hidden(): Promise<boolean> {
    return (await this.value()) === MASK;
  }

  /** Waits until the value box shows the mask again (the reveal timer ran out). */
  async waitUntilHidden(timeoutMs: number): Promise<void> {
    await this.byTestId('secret-value').filter({ hasText: MASK }).waitFor({ timeout: timeoutMs });
  }

  /** Copies the current value (in a browser tab the page writes the clipboard itself). */
  async copy(): Promise<void> {
    await this.byTestId('copy-button').click();
    await this.waitForText(/^Copied fp:/, this.page.locator('.toasts'));
  }

  /** Label -> text of the "Details" list. */
  async metadata(): Promise<Record<string, string>> {
    const list = this.byTestId('metadata');
    await list.waitFor();
    const terms = await list.locator('dt').allTextContents();
    const values = await list.locator('dd').allTextContents();
    return Object.fromEntries(terms.map((term, i) => [term, values[i] ?? '']));
  }

  /** The badges under the title: rotation state, strength, "compromised", service. */
  async badges(): Promise<string[]> {
    return this.root.locator('.detail-header .badge').allTextContents();
  }

  /** Opens the edit form, fills it and saves; waits until the form closed (saved). */
  async editMetadata(input: MetadataInput): Promise<void> {
    await this.startEditing(input);
    await this.byTestId('save-metadata').click();
    await this.byTestId('edit-form').waitFor({ state: 'detached' });
  }

  /** Opens the edit form, fills it and saves, expecting a refusal: returns the errors in place. */
  async editMetadataRefused(input: MetadataInput): Promise<string[]> {
    await this.startEditing(input);
    await this.byTestId('save-metadata').click();
    const form = this.byTestId('edit-form');
    await form.locator('.field-error').first().waitFor();
    return fieldErrors(form);
  }

  async cancelEditing(): Promise<void> {
    await this.byTestId('edit-form').getByRole('button', { name: 'Cancel' }).click();
    await this.byTestId('edit-form').waitFor({ state: 'detached' });
  }

  /** Stores a new current value: the entered one, or a generated one. */
  async newValue(value?: string): Promise<void> {
    const before = (await this.versions()).length;
    await this.byTestId('new-version-button').click();
    const dialog = this.byTestId('new-version-dialog');
    await dialog.waitFor();
    if (value !== undefined) {
      await dialog.getByTestId('mode-enter').click();
      await dialog.getByTestId('version-value').fill(value);
    }
    await dialog.getByTestId('save-version').click();
    await dialog.waitFor({ state: 'detached' });
    await this.byTestId('versions').locator('li').nth(before).waitFor();
  }

  /** The versions, oldest first, by fingerprint and labels. */
  async versions(): Promise<VersionRow[]> {
    const items = await this.byTestId('versions').locator('li').all();
    return Promise.all(
      items.map(async (item) => ({
        fingerprint: ((await item.locator('code').textContent()) ?? '').replace(/^fp:/, ''),
        labels: await item.locator('.badge').allTextContents(),
      })),
    );
  }

  /** Deletes the secret, typing its name to confirm; the pane closes. */
  async delete(ref: string): Promise<void> {
    const dialog = await this.openDeleteDialog();
    await dialog.getByTestId('confirm-delete-name').fill(ref);
    await dialog.getByTestId('confirm-delete').click();
    await dialog.waitFor({ state: 'detached' });
    await this.root.waitFor({ state: 'detached' });
  }

  /** Opens the delete confirmation (or returns it when open already). */
  async openDeleteDialog(): Promise<Locator> {
    const dialog = this.byTestId('delete-dialog');
    if (!(await dialog.isVisible())) await this.byTestId('delete-button').click();
    await dialog.waitFor();
    return dialog;
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close detail' }).click();
    await this.root.waitFor({ state: 'detached' });
  }

  private async startEditing(input: MetadataInput): Promise<void> {
    const form = this.byTestId('edit-form');
    // After a refusal the form stays open with what was typed.
    if (!(await form.isVisible())) await this.byTestId('edit-button').click();
    await form.waitFor();
    await fillMetadata(form, input);
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
