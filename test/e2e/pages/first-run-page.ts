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

  /** The message shown in place when the form is refused, or '' when there is none. */
  async error(): Promise<string> {
    const alert = this.byTestId('screen-first-run').getByRole('alert');
    return (await alert.count()) > 0 ? ((await alert.textContent()) ?? '') : '';
  }
}
