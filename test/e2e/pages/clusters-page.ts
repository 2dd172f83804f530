import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';
import { ScanDialog } from './scan-dialog';

/**
 * The Kubernetes clusters section of the Hosts view: the list, "Add cluster…", Test
 * connection, Remove, and the cluster scan dialog (the host scan dialog's page object, on
 * another root, with a Secret's key rows).
 *
 * Test ids: clusters, add-cluster-button, clusters-empty, cluster-rows (rows carry
 * data-cluster), cluster-kubeconfig, test-cluster, cluster-test-result (data-outcome),
 * edit-cluster, scan-cluster, remove-cluster, remove-cluster-dialog, confirm-remove-cluster;
 * cluster-dialog: cluster-name, kubeconfig-source-keep / -path / -vault (radios), kubeconfig-path
 * (input), kubeconfig-text, read-contexts, cluster-context, cluster-namespace, save-cluster;
 * cluster-scan-dialog: scan-namespace, scan-findings (tbody data-secret, rows data-path and
 * data-key), secret-workloads, finding-workloads, plus the scan dialog's ids.
 */

export interface ClusterRow {
  name: string;
  context: string;
  namespace: string;
  kubeconfig: string;
}

export interface ClusterFindingRow {
  path: string;
  key: string;
  name: string;
  strength: string;
  fingerprint: string;
  /** "Deployment web (env), StatefulSet db (volume)" or "–". */
  readBy: string;
  status: string;
  selectable: boolean;
}

const ANSWER_TIMEOUT_MS = 15_000;
const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

export class ClustersPage extends BasePage {
  get section(): Locator {
    return this.byTestId('clusters');
  }

  get dialog(): Locator {
    return this.byTestId('cluster-dialog');
  }

  row(name: string): Locator {
    return this.section.locator(`tr[data-cluster="${name}"]`);
  }

  /** Opens "Add cluster…", fills a kubeconfig path, reads its contexts and picks one. */
  async addFromPath(input: {
    name: string;
    path: string;
    context?: string;
    namespace?: string;
  }): Promise<string[]> {
    await this.section.getByTestId('add-cluster-button').click();
    await this.dialog.waitFor();
    await this.dialog.getByTestId('cluster-name').fill(input.name);
    await this.dialog.getByTestId('kubeconfig-path').fill(input.path);
    await this.dialog.getByTestId('read-contexts').click();
    const select = this.dialog.getByTestId('cluster-context');
    await select.waitFor({ timeout: ANSWER_TIMEOUT_MS });
    const contexts = await select
      .locator('option')
      .evaluateAll((options) => options.map((option) => option.getAttribute('value') ?? ''));
    if (input.context) await select.selectOption(input.context);
    if (input.namespace) await this.dialog.getByTestId('cluster-namespace').fill(input.namespace);
    await this.dialog.getByTestId('save-cluster').click();
    await this.dialog.waitFor({ state: 'detached', timeout: ANSWER_TIMEOUT_MS });
    await this.row(input.name).waitFor();
    return contexts;
  }

  /**
   * "Edit…" on a row: keeps the kubeconfig, reads its contexts (offered with the current one
   * chosen), picks `context` and sets the namespace (empty: the context's). Returns the
   * contexts offered and which was chosen when the list came.
   */
  async edit(
    name: string,
    input: { context: string; namespace: string },
  ): Promise<{ contexts: string[]; chosen: string; nameEditable: boolean }> {
    await this.row(name).getByTestId('edit-cluster').click();
    await this.dialog.waitFor();
    const nameEditable = await this.dialog.getByTestId('cluster-name').isEditable();
    await this.dialog.getByTestId('read-contexts').click();
    const select = this.dialog.getByTestId('cluster-context');
    await select.waitFor({ timeout: ANSWER_TIMEOUT_MS });
    const contexts = await select
      .locator('option')
      .evaluateAll((options) => options.map((option) => option.getAttribute('value') ?? ''));
    const chosen = await select.inputValue();
    await select.selectOption(input.context);
    await this.dialog.getByTestId('cluster-namespace').fill(input.namespace);
    await this.dialog.getByTestId('save-cluster').click();
    await this.dialog.waitFor({ state: 'detached', timeout: ANSWER_TIMEOUT_MS });
    return { contexts, chosen, nameEditable };
  }

  async rows(): Promise<ClusterRow[]> {
    const rows = await this.section.locator('tr[data-cluster]').all();
    return Promise.all(
      rows.map(async (row) => {
        const cells = (await row.locator('td').allInnerTexts()).map(clean);
        return {
          name: (await row.getAttribute('data-cluster')) ?? '',
          context: cells[1] ?? '',
          namespace: cells[2] ?? '',
          kubeconfig: cells[3] ?? '',
        };
      }),
    );
  }

  /** Clicks Test connection; returns the outcome shown in place. */
  async test(name: string): Promise<{ passed: boolean; text: string }> {
    await this.row(name).getByTestId('test-cluster').click();
    const result = this.section.locator(
      '[data-testid="cluster-test-result"]:not([data-outcome="running"])',
    );
    await result.waitFor({ timeout: ANSWER_TIMEOUT_MS });
    return {
      passed: (await result.getAttribute('data-outcome')) === 'passed',
      text: clean(await result.innerText()),
    };
  }

  async openScan(name: string): Promise<ClusterScanDialog> {
    await this.row(name).getByTestId('scan-cluster').click();
    const dialog = new ClusterScanDialog(this.page);
    await dialog.root.waitFor();
    return dialog;
  }

  async remove(name: string): Promise<void> {
    await this.row(name).getByTestId('remove-cluster').click();
    await this.byTestId('confirm-remove-cluster').click();
    await this.byTestId('remove-cluster-dialog').waitFor({ state: 'detached' });
  }

  /** Asks to remove, expecting a refusal: its message, the dialog left open and then closed. */
  async removeRefused(name: string): Promise<string> {
    await this.row(name).getByTestId('remove-cluster').click();
    const dialog = this.byTestId('remove-cluster-dialog');
    await dialog.getByTestId('confirm-remove-cluster').click();
    const error = dialog.locator('.form-error');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    await this.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    return text;
  }
}

export class ClusterScanDialog extends ScanDialog {
  override get root(): Locator {
    return this.byTestId('cluster-scan-dialog');
  }

  async setNamespace(namespace: string): Promise<void> {
    await this.root.getByTestId('scan-namespace').fill(namespace);
  }

  /** Ticks a key (`data-key`; the first Secret that has it) and, when given, names it. */
  override async pick(key: string, name?: string): Promise<void> {
    const row = this.row(key).first();
    await row.locator('input[type="checkbox"]').check();
    if (name !== undefined) await row.getByTestId('finding-name').fill(name);
  }

  /** The "read by" line of each Secret, by `namespace/name`. */
  async secretReaders(): Promise<Record<string, string>> {
    const groups = await this.root.getByTestId('scan-findings').locator('tbody[data-secret]').all();
    const entries = await Promise.all(
      groups.map(async (group) => [
        (await group.getAttribute('data-secret')) ?? '',
        clean(await group.getByTestId('secret-workloads').innerText()),
      ]),
    );
    return Object.fromEntries(entries);
  }

  async clusterFindings(): Promise<ClusterFindingRow[]> {
    const rows = await this.root.getByTestId('scan-findings').locator('tr[data-key]').all();
    const result: ClusterFindingRow[] = [];
    for (const row of rows) {
      const text = async (id: string) => clean(await row.getByTestId(id).innerText());
      result.push({
        path: (await row.getAttribute('data-path')) ?? '',
        key: (await row.getAttribute('data-key')) ?? '',
        name: await row.getByTestId('finding-name').inputValue(),
        strength: await text('finding-strength'),
        fingerprint: await text('finding-fingerprint'),
        readBy: await text('finding-workloads'),
        status: await text('finding-status'),
        selectable: await row.locator('input[type="checkbox"]').isEnabled(),
      });
    }
    return result;
  }
}
