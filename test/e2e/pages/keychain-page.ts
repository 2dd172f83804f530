import { BasePage } from './base-page';

/** "Remember on this device": the unlock screen's keychain parts and the Settings row. */
export class KeychainPage extends BasePage {
  /** The line that says why there is no keychain here, or '' when it is not shown. */
  async unavailableMessage(): Promise<string> {
    const line = this.byTestId('keychain-unavailable');
    return (await line.count()) > 0 ? ((await line.textContent()) ?? '') : '';
  }

  async rememberOffered(): Promise<boolean> {
    return (await this.byTestId('keychain-remember-checkbox').count()) > 0;
  }

  async keychainButtonShown(): Promise<boolean> {
    return (await this.byTestId('unlock-keychain').count()) > 0;
  }

  /** Unlocks with the password and "Remember on this device" ticked. */
  async unlockAndRemember(password: string): Promise<void> {
    await this.expectScreen('unlock');
    await this.byTestId('unlock-password').fill(password);
    await this.byTestId('keychain-remember-checkbox').check();
    await this.byTestId('unlock-button').click();
    await this.expectScreen('dashboard');
  }

  /** True when the keychain button has the focus, as it should when the screen opens. */
  async keychainButtonFocused(): Promise<boolean> {
    await this.byTestId('unlock-keychain').waitFor({ state: 'visible' });
    const focused = await this.page.evaluate<string | null>(
      "document.activeElement?.getAttribute('data-testid') ?? null",
    );
    return focused === 'unlock-keychain';
  }

  /** Settings' row: true when it says this device remembers the vault. */
  async rememberedInSettings(): Promise<boolean> {
    return (await this.byTestId('device-keychain').getAttribute('data-remembered')) === 'true';
  }

  async settingsText(): Promise<string> {
    return (await this.byTestId('device-keychain').textContent()) ?? '';
  }

  async forgetInSettings(): Promise<void> {
    await this.byTestId('forget-device').click();
    await this.waitForText('Forgotten: this device needs the password again.');
  }
}
