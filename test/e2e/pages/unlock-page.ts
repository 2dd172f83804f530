import { BasePage, type Section } from './base-page';

/** The vault exists and is locked. */
export class UnlockPage extends BasePage {
  /**
   * Unlocks with the right password and waits for the app: the dashboard after opening, or the
   * view that was open when the vault locked.
   */
  async unlock(password: string, returnsTo: Section = 'dashboard'): Promise<void> {
    await this.submit(password);
    await this.expectScreen(returnsTo);
  }

  /** Submits a password expected to be refused; returns the message shown in place. */
  async unlockFails(password: string): Promise<string> {
    await this.submit(password);
    const alert = this.byTestId('screen-unlock').getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    return (await alert.textContent()) ?? '';
  }

  /** The error shown on the unlock screen, or '' when there is none. */
  async error(): Promise<string> {
    const alert = this.byTestId('screen-unlock').getByRole('alert');
    return (await alert.count()) > 0 ? ((await alert.textContent()) ?? '') : '';
  }

  private async submit(password: string): Promise<void> {
    await this.expectScreen('unlock');
    await this.byTestId('unlock-password').fill(password);
    await this.byTestId('unlock-button').click();
  }
}
