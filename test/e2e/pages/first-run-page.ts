import { BasePage } from './base-page';

/** No vault at the path yet: create one, or point Rekey at an existing file. */
export class FirstRunPage extends BasePage {
  /** Creates the vault with `password` (typed twice) and waits for the dashboard. */
  async createVault(password: string): Promise<void> {
    await this.expectScreen('first-run');
    await this.byTestId('new-password').fill(password);
    await this.byTestId('confirm-password').fill(password);
    await this.byTestId('create-vault').click();
    // Key derivation is calibrated to about half a second on creation.
    await this.expectScreen('dashboard');
  }

  /** Switches to an existing vault file; the unlock screen should follow. */
  async openExisting(path: string): Promise<void> {
    await this.expectScreen('first-run');
    await this.byTestId('tab-open').click();
    await this.byTestId('vault-path').fill(path);
    await this.byTestId('open-vault').click();
  }

  /**
   * "Try Rekey": opens the demo dialog, gives the folder (when `dir` is set; the suggested
   * one otherwise) and the password twice, and creates the demo. Waits for the inventory
   * unless `expect` is 'refused' (the dialog stays open with its error).
   */
  async tryRekey(
    options: { dir?: string; password: string },
    expect: 'inventory' | 'refused' = 'inventory',
  ): Promise<void> {
    await this.expectScreen('first-run');
    await this.byTestId('try-rekey').click();
    await this.byTestId('try-rekey-dialog').waitFor({ state: 'visible' });
    if (options.dir !== undefined) await this.byTestId('demo-dir').fill(options.dir);
    await this.byTestId('demo-password').fill(options.password);
    await this.byTestId('demo-confirm').fill(options.password);
    await this.byTestId('create-demo').click();
    if (expect === 'inventory') await this.expectScreen('inventory');
    else await this.byTestId('try-rekey-dialog').getByRole('alert').waitFor({ state: 'visible' });
  }

  /** The folder the demo dialog suggests (open it first with tryRekey's button). */
  async suggestedDemoDir(): Promise<string> {
    await this.byTestId('try-rekey').click();
    const dir = await this.byTestId('demo-dir').inputValue();
    await this.page.keyboard.press('Escape');
    return dir;
  }

  /** The error the demo dialog shows, or '' when there is none. */
  async demoError(): Promise<string> {
    const alert = this.byTestId('try-rekey-dialog').getByRole('alert');
    return (await alert.count()) > 0 ? ((await alert.textContent()) ?? '') : '';
  }

  /** The message shown in place when the form is refused, or '' when there is none. */
  async error(): Promise<string> {
    const alert = this.byTestId('screen-first-run').getByRole('alert');
    return (await alert.count()) > 0 ? ((await alert.textContent()) ?? '') : '';
  }
}
