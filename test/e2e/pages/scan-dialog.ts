import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';

/**
 * "Scan for secrets" (Hosts view): where to look, the findings table with its checkboxes and
 * names, the deployment to add them to, and what adding did.
 *
 * Test ids: scan-local (header button), scan-host (host detail), scan-dialog, scan-body
 * (data-scans counts finished scans, aria-busy while working), scan-directories,
 * scan-max-depth, scan-host-select, scan-run, scan-findings (rows carry data-path and
 * data-key), scan-select-all, scan-skipped, scan-deployment-select, scan-deployment-name,
 * scan-add, adopt-result (adopt-added, adopt-targets, adopt-skipped).
 */

export interface FindingRow {
  path: string;
  key: string;
  /** `livekit.yaml:4` */
  where: string;
  service: string;
  name: string;
  /** The rating, and for a weak value its first problem: "weak placeholder or default value". */
  strength: string;
  /** `fp:0123456789ab` */
  fingerprint: string;
  /** "new", "same value as …", "tracked by …", plus "same value in …" for twins in this scan. */
  status: string;
  /** Whether its checkbox can be ticked (not when a secret tracks it already). */
  selectable: boolean;
}

export interface AdoptOutcome {
  headline: string;
  added: string[];
  targetAdded: string[];
  /** "ref reason" per refusal. */
  skipped: string[];
}

/** How long a scan or an adoption may take (an SSH host would be slower than `local`). */
const ANSWER_TIMEOUT_MS = 15_000;

const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

export class ScanDialog extends BasePage {
  get root(): Locator {
    return this.byTestId('scan-dialog');
  }

  private get body(): Locator {
    return this.root.getByTestId('scan-body');
  }

  /** Clicks "Scan this machine" in the Hosts view's header. */
  async openForThisMachine(): Promise<void> {
    await this.byTestId('scan-local').click();
    await this.root.waitFor();
  }

  async host(): Promise<string> {
    return this.root.getByTestId('scan-host-select').inputValue();
  }

  get directoriesBox(): Locator {
    return this.root.getByTestId('scan-directories');
  }

  async directories(): Promise<string[]> {
    return (await this.directoriesBox.inputValue()).split('\n').filter(Boolean);
  }

  async setDirectories(directories: readonly string[]): Promise<void> {
    await this.directoriesBox.fill(directories.join('\n'));
  }

  /** How many scans have finished since the dialog opened. */
  async scansFinished(): Promise<number> {
    return Number(await this.body.getAttribute('data-scans'));
  }

  /**
   * Starts a scan with `start` (a click on Scan by default) and waits for its answer; returns
   * the error shown in place, or null when the findings are shown.
   */
  async scan(start?: () => Promise<void>): Promise<string | null> {
    const before = await this.scansFinished();
    await (start ? start() : this.root.getByTestId('scan-run').click());
    await this.waitUntilScanned(before + 1);
    const error = this.body.locator('.form-error');
    return (await error.count()) ? clean(await error.first().textContent()) : null;
  }

  /** Waits until `count` scans have finished and nothing runs any more. */
  async waitUntilScanned(count: number): Promise<void> {
    await this.root
      .locator(`[data-testid="scan-body"][data-scans="${count}"][aria-busy="false"]`)
      .waitFor({ timeout: ANSWER_TIMEOUT_MS });
  }

  row(key: string): Locator {
    return this.root.getByTestId('scan-findings').locator(`tr[data-key="${key}"]`);
  }

  async findings(): Promise<FindingRow[]> {
    const rows = await this.root.getByTestId('scan-findings').locator('tr[data-key]').all();
    const result: FindingRow[] = [];
    for (const row of rows) {
      // innerText: the lines of a cell (badge, then its note) read as separate words.
      const text = async (id: string) => clean(await row.getByTestId(id).innerText());
      result.push({
        path: (await row.getAttribute('data-path')) ?? '',
        key: (await row.getAttribute('data-key')) ?? '',
        where: await text('finding-where'),
        service: await text('finding-service'),
        name: await row.getByTestId('finding-name').inputValue(),
        strength: await text('finding-strength'),
        fingerprint: await text('finding-fingerprint'),
        status: await text('finding-status'),
        selectable: await row.locator('input[type="checkbox"]').isEnabled(),
      });
    }
    return result;
  }

  /** Ticks a finding and, when given, names it. */
  async pick(key: string, name?: string): Promise<void> {
    const row = this.row(key);
    await row.locator('input[type="checkbox"]').check();
    if (name !== undefined) await row.getByTestId('finding-name').fill(name);
  }

  /** The problem shown under a finding's name, or null. */
  async nameProblem(key: string): Promise<string | null> {
    const problem = this.row(key).getByTestId('finding-problem');
    return (await problem.count()) ? clean(await problem.textContent()) : null;
  }

  async skipped(): Promise<string[]> {
    const items = await this.root.getByTestId('scan-skipped').locator('li').allTextContents();
    return items.map(clean);
  }

  /** Picks an existing deployment, or types a new one. */
  async setDeployment(name: string): Promise<void> {
    const select = this.root.getByTestId('scan-deployment-select');
    if (await select.count()) {
      const existing = await select.locator(`option[value="${name}"]`).count();
      await select.selectOption(existing ? name : '+new');
      if (existing) return;
    }
    await this.root.getByTestId('scan-deployment-name').fill(name);
  }

  async addLabel(): Promise<string> {
    return clean(await this.root.getByTestId('scan-add').textContent());
  }

  /**
   * Clicks "Add N selected to the inventory" and waits for the answer: what was added (and the
   * fresh scan that follows it), or the refusal shown in place as an Error.
   */
  async addSelected(): Promise<AdoptOutcome> {
    const scans = await this.scansFinished();
    await this.root.getByTestId('scan-add').click();
    const result = this.root.getByTestId('adopt-result');
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      if (await result.count()) break;
      const refused = await this.body.locator('.form-error, .field-error').count();
      const idle = await this.root.locator('[data-testid="scan-body"][aria-busy="false"]').count();
      if (refused && idle) {
        const texts = await this.body.locator('.form-error, .field-error').allTextContents();
        throw new Error(`Adding was refused: ${texts.map(clean).join(' | ')}`);
      }
      if (Date.now() > deadline) throw new Error('Adding gave no answer');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.waitUntilScanned(scans + 1);
    const refs = async (id: string) => {
      const items = await result.getByTestId(id).locator('li').all();
      return Promise.all(items.map(async (item) => (await item.getAttribute('data-ref')) ?? ''));
    };
    const skipped = await result.getByTestId('adopt-skipped').locator('li').allTextContents();
    return {
      headline: clean(await result.locator('strong').textContent()),
      added: await refs('adopt-added'),
      targetAdded: await refs('adopt-targets'),
      skipped: skipped.map(clean),
    };
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.root.waitFor({ state: 'detached' });
  }
}
