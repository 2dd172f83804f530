import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';
import type { DownloadedFile } from './history-page';

/**
 * The Incidents view and the incident page, the "Mark as exposed" dialog of the secret detail
 * pane and the dashboard's open incidents card.
 *
 * Test ids: nav-incidents, screen-incidents, new-incident, incidents-empty, incidents-footer,
 * incident-filter (filter-open, filter-contained, filter-resolved, filter-closed, filter-all),
 * incident-table, incident-rows, incident-row (data-id, data-status), incident-still-exposed,
 * severity-badge (data-severity), status-badge (data-status); details: edit-incident-details,
 * incident-details-dialog, incident-title-input, incident-summary-input,
 * incident-owner-note-input, save-incident-details, incident-owner-note; new incident:
 * new-incident-dialog,
 * incident-title, incident-severity, incident-detected-at, incident-summary, create-incident;
 * the page: incident-page (data-id, data-status), incident-back, incident-heading,
 * incident-summary-text, incident-severity-select, status-controls (status-open,
 * status-contained, status-resolved, status-closed, aria-pressed on the current one),
 * close-incident-dialog (close-summary, close-followups, confirm-close), export-markdown,
 * export-json; exposure-panel (data-still-exposed), nothing-exposed, exposed-secret (data-ref,
 * data-still-exposed), rotate-exposed, exposure-scope, exposed-version, exposed-target;
 * leak-response-panel, leak-response (data-ref), response-toggle (aria-expanded), response-step (data-step, data-action,
 * data-outcome: open|done|skipped), response-rotate, response-export, step-done, step-skip,
 * step-outcome; follow-ups, follow-up (data-id, data-done as recorded), follow-up-done, follow-up-add; affected-items,
 * affected-secret / affected-host / affected-deployment (data-name); timeline, timeline-day
 * (data-day), timeline-entry (data-id, data-kind, data-auto; its <time> has datetime and a UTC
 * title), entry-text, entry-auto, entry-edited, entry-revisions, entry-link (data-type,
 * data-link), edit-entry, remove-entry, edit-entry-dialog (edit-entry-kind, edit-entry-at,
 * edit-entry-text, save-entry), remove-entry-dialog (confirm-remove-entry); quick-add
 * (quick-kind, quick-text, quick-at, quick-add-button). Mark as exposed: mark-exposed-button
 * (detail pane), mark-exposed-dialog, exposed-incident, exposed-severity, exposed-text,
 * exposed-detected-at, confirm-exposed. Host compromised: host-compromised (host detail),
 * host-compromised-dialog, compromised-incident, compromised-severity, compromised-text,
 * confirm-host-compromised, host-compromised-result, compromised-secret (data-ref),
 * compromised-plan (data-deployment), rotate-plan, plan-problems, open-compromised-incident.
 * Dashboard: open-incidents, open-incident (data-id), open-incident-exposed.
 */

export interface ExposedSecretView {
  ref: string;
  stillExposed: boolean;
  versions: string[];
  targets: string[];
}

export interface ResponseStepView {
  id: string;
  action: string;
  outcome: string;
  title: string;
}

export interface EntryRow {
  id: string;
  kind: string;
  auto: boolean;
  text: string;
  /** The entry's time as ISO (the <time> element's datetime). */
  at: string;
  /** The local day heading it is under, as YYYY-MM-DD. */
  day: string;
}

const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

export class IncidentsPage extends BasePage {
  get incident(): Locator {
    return this.byTestId('incident-page');
  }

  get rows(): Locator {
    return this.byTestId('incident-row');
  }

  async open(): Promise<void> {
    await this.byTestId('nav-incidents').click();
    await this.byTestId('screen-incidents').waitFor();
  }

  /** Through "New incident…": opens the new incident's page. */
  async newIncident(input: { title: string; severity?: number; summary?: string }): Promise<void> {
    await this.byTestId('new-incident').click();
    const dialog = this.byTestId('new-incident-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('incident-title').fill(input.title);
    if (input.severity) {
      await dialog.getByTestId('incident-severity').selectOption(String(input.severity));
    }
    if (input.summary) await dialog.getByTestId('incident-summary').fill(input.summary);
    await dialog.getByTestId('create-incident').click();
    await dialog.waitFor({ state: 'detached' });
    await this.waitForIncident(input.title);
  }

  /** Waits until the incident page shows the incident titled `title`. */
  async waitForIncident(title: string): Promise<void> {
    await this.incident.getByTestId('incident-heading').filter({ hasText: title }).waitFor();
  }

  /** "Mark as exposed…" on the secret open in the detail pane; lands on the incident page. */
  async markExposedFromDetail(input: {
    text: string;
    severity?: number;
    /** Join this incident (by title); a new one is opened otherwise. */
    join?: string;
  }): Promise<void> {
    await this.byTestId('detail-pane').getByTestId('mark-exposed-button').click();
    const dialog = this.byTestId('mark-exposed-dialog');
    await dialog.waitFor();
    if (input.join) {
      await dialog.getByTestId('exposed-incident').selectOption({ label: input.join });
    }
    if (input.severity) {
      await dialog.getByTestId('exposed-severity').selectOption(String(input.severity));
    }
    await dialog.getByTestId('exposed-text').fill(input.text);
    await dialog.getByTestId('confirm-exposed').click();
    await dialog.waitFor({ state: 'detached' });
    await this.page.locator('[data-testid="incident-page"][data-id]').waitFor();
  }

  async status(): Promise<string> {
    return (await this.incident.getAttribute('data-status')) ?? '';
  }

  async title(): Promise<string> {
    return clean(await this.incident.getByTestId('incident-heading').textContent());
  }

  /** The "What is still exposed" panel, read. */
  async exposed(): Promise<ExposedSecretView[]> {
    const rows = await this.byTestId('exposure-panel').getByTestId('exposed-secret').all();
    return Promise.all(
      rows.map(async (row) => ({
        ref: (await row.getAttribute('data-ref')) ?? '',
        stillExposed: (await row.getAttribute('data-still-exposed')) === 'true',
        versions: (await row.getByTestId('exposed-version').allTextContents()).map(clean),
        targets: (await row.getByTestId('exposed-target').allTextContents()).map(clean),
      })),
    );
  }

  /** How many secrets the panel counts as still exposed. */
  async stillExposedCount(): Promise<number> {
    return Number(await this.byTestId('exposure-panel').getAttribute('data-still-exposed'));
  }

  private response(ref: string): Locator {
    return this.byTestId('leak-response-panel').locator(
      `[data-testid="leak-response"][data-ref="${ref}"]`,
    );
  }

  /** Unfolds the response of `ref` (folded when the incident has several exposed secrets). */
  async expandResponse(ref: string): Promise<void> {
    const toggle = this.response(ref).getByTestId('response-toggle');
    if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  }

  /** The leak response steps proposed for `ref`, once loaded (unfolding it). */
  async responseSteps(ref: string): Promise<ResponseStepView[]> {
    await this.expandResponse(ref);
    const steps = this.response(ref).getByTestId('response-step');
    await steps.first().waitFor();
    return Promise.all(
      (await steps.all()).map(async (step) => ({
        id: (await step.getAttribute('data-step')) ?? '',
        action: (await step.getAttribute('data-action')) ?? '',
        outcome: (await step.getAttribute('data-outcome')) ?? '',
        title: clean(await step.locator('strong').first().textContent()),
      })),
    );
  }

  step(ref: string, id: string): Locator {
    return this.response(ref).locator(`[data-testid="response-step"][data-step="${id}"]`);
  }

  /** Done or Skip on a step; waits until the step shows the outcome. */
  async respond(ref: string, id: string, outcome: 'done' | 'skipped'): Promise<void> {
    const step = this.step(ref, id);
    await step.getByTestId(outcome === 'done' ? 'step-done' : 'step-skip').click();
    await this.response(ref)
      .locator(`[data-testid="response-step"][data-step="${id}"][data-outcome="${outcome}"]`)
      .waitFor();
  }

  /** "Rotate now…" of a step: the rotation wizard opens. */
  async rotateFromStep(ref: string, id: string): Promise<void> {
    await this.step(ref, id).getByTestId('response-rotate').click();
    await this.byTestId('rotation-wizard').waitFor();
  }

  /** The timeline as shown, top to bottom. */
  async timeline(): Promise<EntryRow[]> {
    const entries = await this.byTestId('timeline').getByTestId('timeline-entry').all();
    return Promise.all(
      entries.map(async (entry) => ({
        id: (await entry.getAttribute('data-id')) ?? '',
        kind: (await entry.getAttribute('data-kind')) ?? '',
        auto: (await entry.getAttribute('data-auto')) === 'true',
        text: clean(await entry.getByTestId('entry-text').textContent()),
        at: (await entry.locator('time').getAttribute('datetime')) ?? '',
        day:
          (await entry
            .locator('xpath=ancestor::*[@data-testid="timeline-day"]')
            .getAttribute('data-day')) ?? '',
      })),
    );
  }

  /** Adds an entry from the quick-add bar with Enter; waits until the timeline shows it. */
  async quickAdd(input: { text: string; kind?: string; at?: string }): Promise<void> {
    const bar = this.byTestId('quick-add');
    if (input.kind) await bar.getByTestId('quick-kind').selectOption(input.kind);
    if (input.at) await bar.getByTestId('quick-at').fill(input.at);
    await bar.getByTestId('quick-text').fill(input.text);
    await bar.getByTestId('quick-text').press('Enter');
    await this.entry(input.text).waitFor();
  }

  entry(text: string): Locator {
    return this.byTestId('timeline')
      .getByTestId('timeline-entry')
      .filter({ has: this.page.getByTestId('entry-text').getByText(text, { exact: true }) });
  }

  /** Edits the title, summary and owner's note in the details dialog; empty keeps a field. */
  async editDetails(input: {
    title?: string;
    summary?: string;
    ownerNote?: string;
  }): Promise<void> {
    await this.incident.getByTestId('edit-incident-details').click();
    const dialog = this.byTestId('incident-details-dialog');
    await dialog.waitFor();
    if (input.title !== undefined)
      await dialog.getByTestId('incident-title-input').fill(input.title);
    if (input.summary !== undefined)
      await dialog.getByTestId('incident-summary-input').fill(input.summary);
    if (input.ownerNote !== undefined)
      await dialog.getByTestId('incident-owner-note-input').fill(input.ownerNote);
    await dialog.getByTestId('save-incident-details').click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** A status button other than closed; waits for the page to show it. */
  async setStatus(status: 'open' | 'contained' | 'resolved'): Promise<void> {
    await this.incident.getByTestId(`status-${status}`).click();
    await this.page.locator(`[data-testid="incident-page"][data-status="${status}"]`).waitFor();
  }

  /** Closes with a summary and follow-ups (one per line). */
  async close(summary: string, followUps: string[] = []): Promise<void> {
    await this.incident.getByTestId('status-closed').click();
    const dialog = this.byTestId('close-incident-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('close-summary').fill(summary);
    await dialog.getByTestId('close-followups').fill(followUps.join('\n'));
    await dialog.getByTestId('confirm-close').click();
    await dialog.waitFor({ state: 'detached' });
    await this.page.locator('[data-testid="incident-page"][data-status="closed"]').waitFor();
  }

  async followUps(): Promise<{ text: string; done: boolean }[]> {
    const items = await this.byTestId('follow-ups').getByTestId('follow-up').all();
    return Promise.all(
      items.map(async (item) => ({
        text: clean(await item.textContent()),
        done: await item.getByTestId('follow-up-done').isChecked(),
      })),
    );
  }

  async exportMarkdown(): Promise<DownloadedFile> {
    return this.download('export-markdown');
  }

  async exportJson(): Promise<DownloadedFile> {
    return this.download('export-json');
  }

  /** "All incidents": back to the list. */
  async back(): Promise<void> {
    await this.byTestId('incident-back').click();
    await this.incident.waitFor({ state: 'detached' });
  }

  /** Rewords an entry through its edit dialog. */
  async editEntry(text: string, newText: string): Promise<void> {
    const entry = this.entry(text);
    await entry.hover();
    await entry.getByTestId('edit-entry').click();
    const dialog = this.byTestId('edit-entry-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('edit-entry-text').fill(newText);
    await dialog.getByTestId('save-entry').click();
    await dialog.waitFor({ state: 'detached' });
    await this.entry(newText).waitFor();
  }

  /** The earlier wordings of an entry, shown by its "edited" marker. */
  async revisions(text: string): Promise<string[]> {
    const entry = this.entry(text);
    await entry.getByTestId('entry-edited').click();
    const list = entry.getByTestId('entry-revisions');
    await list.waitFor();
    return (await list.locator('.timeline-text').allTextContents()).map(clean);
  }

  /** Removes an entry, confirming in the dialog; it leaves the timeline. */
  async removeEntry(text: string): Promise<void> {
    const entry = this.entry(text);
    await entry.hover();
    await entry.getByTestId('remove-entry').click();
    const dialog = this.byTestId('remove-entry-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('confirm-remove-entry').click();
    await dialog.waitFor({ state: 'detached' });
    await entry.waitFor({ state: 'detached' });
  }

  async addFollowUp(text: string): Promise<void> {
    await this.byTestId('follow-up-add').fill(text);
    await this.byTestId('follow-up-add').press('Enter');
    await this.byTestId('follow-ups').getByTestId('follow-up').filter({ hasText: text }).waitFor();
  }

  /** Ticks (or unticks) a follow-up; waits until the incident says so. */
  async tickFollowUp(text: string, done = true): Promise<void> {
    const item = this.byTestId('follow-ups').getByTestId('follow-up').filter({ hasText: text });
    await item.getByTestId('follow-up-done').setChecked(done);
    await this.byTestId('follow-ups')
      .locator(`[data-testid="follow-up"][data-done="${done}"]`)
      .filter({ hasText: text })
      .waitFor();
  }

  get hostDialog(): Locator {
    return this.byTestId('host-compromised-dialog');
  }

  /** "Host compromised…" on the host open in the Hosts view; waits for the result. */
  async hostCompromised(text: string): Promise<{
    secrets: { ref: string; text: string }[];
    plans: { deployment: string; text: string; problems: string[] }[];
  }> {
    await this.byTestId('host-detail').getByTestId('host-compromised').click();
    await this.hostDialog.waitFor();
    await this.hostDialog.getByTestId('compromised-text').fill(text);
    await this.hostDialog.getByTestId('confirm-host-compromised').click();
    const result = this.hostDialog.getByTestId('host-compromised-result');
    await result.waitFor();
    const secrets = [];
    for (const row of await result.getByTestId('compromised-secret').all()) {
      secrets.push({
        ref: (await row.getAttribute('data-ref')) ?? '',
        text: clean(await row.textContent()),
      });
    }
    const plans = [];
    for (const row of await result.getByTestId('compromised-plan').all()) {
      const problems = row.getByTestId('plan-problems');
      plans.push({
        deployment: (await row.getAttribute('data-deployment')) ?? '',
        text: clean(await row.textContent()),
        problems: (await problems.count())
          ? (await problems.locator('li').allTextContents()).map(clean)
          : [],
      });
    }
    return { secrets, plans };
  }

  /** "Rotate these…" of a deployment's plan: the rotation wizard opens over the result. */
  async rotatePlan(deployment: string): Promise<void> {
    await this.hostDialog
      .locator(`[data-testid="compromised-plan"][data-deployment="${deployment}"]`)
      .getByTestId('rotate-plan')
      .click();
    await this.byTestId('rotation-wizard').waitFor();
  }

  /** The result's link to its incident: the dialog closes, the incident page opens. */
  async openCompromisedIncident(): Promise<void> {
    await this.hostDialog.getByTestId('open-compromised-incident').click();
    await this.hostDialog.waitFor({ state: 'detached' });
    await this.page.locator('[data-testid="incident-page"][data-id]').waitFor();
  }

  /** The dashboard card's incidents: title and the "still exposed" note. */
  async dashboardCard(): Promise<{ id: string; text: string }[]> {
    const items = await this.byTestId('open-incidents').getByTestId('open-incident').all();
    return Promise.all(
      items.map(async (item) => ({
        id: (await item.getAttribute('data-id')) ?? '',
        text: clean(await item.textContent()),
      })),
    );
  }

  private async download(button: string): Promise<DownloadedFile> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.byTestId(button).click(),
    ]);
    const path = await download.path();
    return { fileName: download.suggestedFilename(), content: await readFile(path, 'utf8') };
  }
}
