import { readFile } from 'node:fs/promises';
import { BasePage } from './base-page';

export interface HistoryRow {
  seq: number;
  source: string;
  kind: string;
  /** '' for events about no particular secret (vault, deployment, import). */
  ref: string;
  summary: string;
}

export interface DownloadedFile {
  fileName: string;
  content: string;
}

/** The event log: filters, the chain verification badge, exports. */
export class HistoryPage extends BasePage {
  /** The rows in the DOM, newest first (the table renders only the rows in view). */
  async rows(): Promise<HistoryRow[]> {
    const rows = await this.byTestId('history-table').locator('.table-body [role="row"]').all();
    return Promise.all(
      rows.map(async (row) => {
        const cells = (await row.locator('.cell').allTextContents()).map((cell) => cell.trim());
        return {
          seq: Number(cells[0]),
          source: cells[2] ?? '',
          kind: cells[3] ?? '',
          // '–' marks an event about no particular secret.
          ref: cells[4] === '–' ? '' : (cells[4] ?? ''),
          summary: cells[5] ?? '',
        };
      }),
    );
  }

  /** A secret's ref (deployment/name); '' clears the filter. */
  async filterRef(ref: string): Promise<void> {
    await this.byTestId('history-ref').fill(ref);
  }

  /** secret, version, deployment, secrets.imported, vault; '' for all kinds. */
  async filterKind(kind: string): Promise<void> {
    await this.byTestId('history-kind').selectOption(kind);
  }

  async filterDeployment(deployment: string): Promise<void> {
    await this.byTestId('history-deployment').fill(deployment);
  }

  /** The verification badge's text once the check has finished. */
  async verifiedBadge(): Promise<string> {
    const badge = this.byTestId('verified-badge');
    await badge.waitFor();
    return ((await badge.textContent()) ?? '').trim();
  }

  async exportCsv(): Promise<DownloadedFile> {
    return this.download('export-csv');
  }

  async exportJson(): Promise<DownloadedFile> {
    return this.download('export-json');
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
