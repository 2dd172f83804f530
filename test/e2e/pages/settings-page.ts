import { BasePage } from './base-page';

export interface PreferencesInput {
  autoLockMinutes?: number;
  clipboardClearSeconds?: number;
  revealSeconds?: number;
  theme?: 'system' | 'light' | 'dark';
}

/** Preferences, the vault file, the master password. */
export class SettingsPage extends BasePage {
  /** Fills the given preferences and saves them; waits for the confirmation. */
  async setPreferences(preferences: PreferencesInput): Promise<void> {
    for (const key of ['autoLockMinutes', 'clipboardClearSeconds', 'revealSeconds'] as const) {
      const value = preferences[key];
      if (value !== undefined) await this.byTestId(`pref-${key}`).fill(String(value));
    }
    if (preferences.theme) await this.byTestId('pref-theme').selectOption(preferences.theme);
    await this.byTestId('save-settings').click();
    await this.waitForText('Settings saved', this.page.locator('.toasts'));
  }

  /** The vault file's path as Settings shows it. */
  async vaultPath(): Promise<string> {
    return (await this.byTestId('settings-path').textContent()) ?? '';
  }

  /** Changes the master password; waits until the dialog closed (done). */
  async changePassword(current: string, next: string): Promise<void> {
    await this.fillPasswordDialog(current, next);
    await this.byTestId('change-password-dialog').waitFor({ state: 'detached' });
  }

  /** Tries to change the password, expecting a refusal: returns the message in the dialog. */
  async changePasswordRefused(current: string, next: string): Promise<string> {
    await this.fillPasswordDialog(current, next);
    const alert = this.byTestId('change-password-dialog').getByRole('alert');
    await alert.waitFor();
    return (await alert.textContent()) ?? '';
  }

  private async fillPasswordDialog(current: string, next: string): Promise<void> {
    const dialog = this.byTestId('change-password-dialog');
    if (!(await dialog.isVisible())) await this.byTestId('change-password-button').click();
    await dialog.waitFor();
    await dialog.getByTestId('current-password').fill(current);
    await dialog.getByTestId('next-password').fill(next);
    await dialog.getByTestId('repeat-password').fill(next);
    await dialog.getByTestId('confirm-change-password').click();
  }
}
