import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';

/**
 * The Hosts view: the hosts table, the selected host's detail with its actions, the add/edit,
 * host key, remove and ~/.ssh/config dialogs, and the deployments' host toggles.
 *
 * Test ids: screen-hosts, nav-hosts, hosts-empty, host-rows (rows carry data-host),
 * host-detail, host-dialog, host-key-dialog, remove-host-dialog, ssh-config-dialog,
 * deployment-hosts (rows carry data-deployment, toggles data-host).
 */

export type LoginInput =
  | { kind: 'generate' }
  | { kind: 'agent' }
  | { kind: 'import'; privateKey: string; passphrase?: string };

export interface HostInput {
  name?: string;
  address?: string;
  port?: number;
  user?: string;
  login?: LoginInput;
}

export interface ProbedKey {
  algorithm: string;
  fingerprint: string;
  /** unknown, match or changed. */
  status: string;
  /** For a changed key: the pinned and the presented fingerprint as the warning shows them. */
  pinned: string | null;
  presented: string | null;
}

export interface ConnectionOutcome {
  passed: boolean;
  /** The whole text shown in place: "Logged in as root in 12 ms · Linux …" or the error. */
  text: string;
  remoteUser: string | null;
}

export interface SshConfigRow {
  name: string;
  /** Whether it can be ticked (hosts already in the vault cannot). */
  enabled: boolean;
  text: string;
}

/** How long a dialog may take to answer a click (SSH connections included). */
const ANSWER_TIMEOUT_MS = 15_000;

export class HostsPage extends BasePage {
  /** Follows the Hosts link in the sidebar and waits for the view. */
  async open(): Promise<void> {
    await this.byTestId('nav-hosts').click();
    await this.byTestId('screen-hosts').waitFor();
  }

  get emptyState(): Locator {
    return this.byTestId('hosts-empty');
  }

  get detail(): Locator {
    return this.byTestId('host-detail');
  }

  row(name: string): Locator {
    return this.byTestId('host-rows').locator(`[data-host="${name}"]`);
  }

  /** Names in table order. */
  async names(): Promise<string[]> {
    const rows = await this.byTestId('host-rows').locator('[data-host]').all();
    return Promise.all(rows.map(async (row) => (await row.getAttribute('data-host')) ?? ''));
  }

  /** The texts of a row's cells: name, endpoint, login, host key, deployments (when shown). */
  async rowCells(name: string): Promise<string[]> {
    const cells = await this.row(name).locator('.cell').allTextContents();
    return cells.map((cell) => cell.replace(/\s+/g, ' ').trim());
  }

  async hostKeyState(name: string): Promise<string> {
    return ((await this.row(name).getByTestId('host-key-state').textContent()) ?? '').trim();
  }

  /** The selected row's host, or null when none is selected. */
  async selectedName(): Promise<string | null> {
    const selected = this.byTestId('host-rows').locator('[aria-selected="true"]');
    return (await selected.count()) ? selected.getAttribute('data-host') : null;
  }

  /** Puts the keyboard focus on the table and presses `keys` one after the other. */
  async pressInTable(...keys: string[]): Promise<void> {
    await this.byTestId('host-rows').focus();
    for (const key of keys) await this.page.keyboard.press(key);
  }

  /** The test id of the element that has the keyboard focus. */
  async focusedTestId(): Promise<string | null> {
    return this.page.evaluate<string | null>(
      "document.activeElement?.getAttribute('data-testid') ?? null",
    );
  }

  /** Clicks the host's row and waits for its detail. */
  async select(name: string): Promise<void> {
    await this.row(name).click();
    await this.byTestId('host-detail-name').filter({ hasText: name }).waitFor();
  }

  // ---------- Add and edit ----------

  async openAddHost(): Promise<Locator> {
    await this.byTestId('add-host-button').click();
    const dialog = this.byTestId('host-dialog');
    await dialog.waitFor();
    return dialog;
  }

  /** Fills what is given; leaves the rest as it is (port 22 and user root by default). */
  async fillHost(input: HostInput): Promise<void> {
    const dialog = this.byTestId('host-dialog');
    if (input.name !== undefined) await dialog.getByTestId('field-host-name').fill(input.name);
    if (input.address !== undefined)
      await dialog.getByTestId('field-host-address').fill(input.address);
    if (input.port !== undefined)
      await dialog.getByTestId('field-host-port').fill(String(input.port));
    if (input.user !== undefined) await dialog.getByTestId('field-host-user').fill(input.user);
    if (!input.login) return;
    await dialog.getByTestId(`login-${input.login.kind}`).check();
    if (input.login.kind === 'import') {
      await dialog.getByTestId('field-private-key').fill(input.login.privateKey);
      await dialog.getByTestId('field-passphrase').fill(input.login.passphrase ?? '');
    }
  }

  /** Clicks Add host/Save and waits for the outcome: the refusal shown in place, or null. */
  async saveHost(): Promise<string | null> {
    const dialog = this.byTestId('host-dialog');
    await dialog.getByTestId('save-host').click();
    await this.waitForOutcome('host-dialog', 'save-host', '[data-testid="host-created"]');
    const refused = dialog.locator('.form-error, .field-error');
    if (await refused.count()) return (await refused.allTextContents()).join(' | ');
    return null;
  }

  /**
   * Waits until a dialog has answered a click: closed, showing `success` inside, or showing
   * an error with its button no longer busy (errors of an earlier try are cleared on click).
   * Polled from here: the page's CSP rightly forbids the eval that waitForFunction needs.
   */
  private async waitForOutcome(dialogId: string, buttonId: string, success?: string) {
    const dialog = this.byTestId(dialogId);
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if ((await dialog.count()) === 0) return;
      if (success && (await dialog.locator(success).count()) > 0) return;
      // Counts, not reads: the dialog may close between two looks.
      const refused = await dialog.locator('.form-error, .field-error').count();
      const idle = await dialog
        .locator(`[data-testid="${buttonId}"]:not([aria-busy="true"])`)
        .count();
      if (refused > 0 && idle > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${dialogId} gave no answer within ${ANSWER_TIMEOUT_MS} ms`);
  }

  /** The value a field of the host dialog holds now. */
  async hostField(field: 'name' | 'address' | 'port' | 'user' | 'private-key'): Promise<string> {
    const id = field === 'private-key' ? 'field-private-key' : `field-host-${field}`;
    return this.byTestId('host-dialog').getByTestId(id).inputValue();
  }

  /** After a generated key: the public key the dialog shows for authorized_keys. */
  async generatedPublicKey(): Promise<string> {
    const dialog = this.byTestId('host-dialog');
    await dialog.getByTestId('host-created').waitFor();
    return dialog.getByTestId('host-public-key').inputValue();
  }

  async finishAdding(): Promise<void> {
    const dialog = this.byTestId('host-dialog');
    await dialog.getByTestId('host-dialog-done').click();
    await dialog.waitFor({ state: 'detached' });
  }

  // ---------- Detail actions ----------

  /** Runs Test connection on the selected host and returns what is shown in place. */
  async testConnection(): Promise<ConnectionOutcome> {
    await this.detail.getByTestId('test-connection').click();
    const result = this.detail.locator('[data-testid="connection-result"][data-outcome]');
    await result.waitFor();
    const passed = (await result.getAttribute('data-outcome')) === 'passed';
    return {
      passed,
      text: ((await result.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
      remoteUser: passed ? await result.getByTestId('remote-user').textContent() : null,
    };
  }

  /** Opens "Trust host key…" for the selected host and waits until it shows the probed key. */
  async openHostKeyDialog(): Promise<ProbedKey> {
    await this.detail.getByTestId('trust-host-key-button').click();
    const dialog = this.byTestId('host-key-dialog');
    await dialog.getByTestId('probed-fingerprint').waitFor();
    const text = async (id: string) => {
      const element = dialog.getByTestId(id);
      return (await element.count()) ? ((await element.textContent()) ?? '').trim() : null;
    };
    const status = dialog.getByTestId('host-key-status');
    return {
      algorithm: (await text('probed-algorithm')) ?? '',
      fingerprint: (await text('probed-fingerprint')) ?? '',
      status: (await status.count())
        ? ((await status.getAttribute('data-status')) ?? '')
        : 'unknown',
      pinned: await text('pinned-fingerprint'),
      presented: await text('presented-fingerprint'),
    };
  }

  /** Trusts the key the open host key dialog shows; the dialog closes. */
  async trustShownKey(): Promise<void> {
    const dialog = this.byTestId('host-key-dialog');
    await dialog.getByTestId('trust-host-key').click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** For a changed key: types the host's name and replaces the pin; the dialog closes. */
  async replacePin(name: string): Promise<void> {
    const dialog = this.byTestId('host-key-dialog');
    const replace = dialog.getByTestId('replace-host-key');
    if (!(await replace.isDisabled())) throw new Error('Replace the pin must wait for the name');
    await dialog.getByTestId('confirm-replace-name').fill(name);
    await replace.click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Closes whatever dialog is open with Escape. */
  async closeDialog(testId: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.byTestId(testId).waitFor({ state: 'detached' });
  }

  /** The pinned fingerprint in the detail, or null when the host is not trusted yet. */
  async pinnedFingerprint(): Promise<string | null> {
    const pinned = this.detail.getByTestId('pinned-host-key');
    return (await pinned.count()) ? ((await pinned.textContent()) ?? '').trim() : null;
  }

  /** Asks to remove the selected host; returns the refusal shown in place, or null once removed. */
  async removeSelected(): Promise<string | null> {
    await this.detail.getByTestId('remove-host').click();
    const dialog = this.byTestId('remove-host-dialog');
    await dialog.getByTestId('confirm-remove-host').click();
    await this.waitForOutcome('remove-host-dialog', 'confirm-remove-host');
    const refused = dialog.locator('.form-error');
    if (await refused.count()) return ((await refused.textContent()) ?? '').trim();
    return null;
  }

  // ---------- Deployments ----------

  deploymentToggle(deployment: string, host: string): Locator {
    return this.byTestId('deployment-hosts').locator(
      `[data-deployment="${deployment}"] [data-host="${host}"]`,
    );
  }

  /** Switches a host on or off for a deployment and waits until the core saved it. */
  async setDeploymentHost(deployment: string, host: string, on: boolean): Promise<void> {
    const toggle = this.deploymentToggle(deployment, host);
    if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
    await this.byTestId('deployment-hosts')
      .locator(`[data-deployment="${deployment}"] [data-host="${host}"][aria-pressed="${on}"]`)
      .waitFor();
  }

  // ---------- ~/.ssh/config ----------

  /** Opens the import dialog, fills the paths and previews; returns the rows it offers. */
  async previewSshConfig(paths: { config: string; knownHosts: string }): Promise<SshConfigRow[]> {
    await this.byTestId('import-ssh-config-button').click();
    const dialog = this.byTestId('ssh-config-dialog');
    await dialog.getByTestId('ssh-config-path').fill(paths.config);
    await dialog.getByTestId('known-hosts-path').fill(paths.knownHosts);
    await dialog.getByTestId('ssh-config-preview').click();
    const rows = dialog.getByTestId('ssh-config-candidates').locator('[data-candidate]');
    await rows.first().waitFor();
    const result: SshConfigRow[] = [];
    for (const row of await rows.all()) {
      result.push({
        name: (await row.getAttribute('data-candidate')) ?? '',
        enabled: await row.locator('input[type="checkbox"]').isEnabled(),
        text: ((await row.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
      });
    }
    return result;
  }

  /** Adds the ticked hosts of the preview; the dialog closes. */
  async addSelectedFromSshConfig(): Promise<void> {
    const dialog = this.byTestId('ssh-config-dialog');
    await dialog.getByTestId('ssh-config-add').click();
    await dialog.waitFor({ state: 'detached' });
  }
}
