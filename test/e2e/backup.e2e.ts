import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pagesOf } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';
import { PASSWORD, knownValue, seedVault } from './harness/seed-vault';
import { BackupsPage } from './pages/backups-page';
import { pageContents } from './harness/page-contents';

/**
 * A user backs up a deployment from the UI: its secrets and the config file its secret is
 * written to (on `local`), encrypted with a passphrase (a weak one draws a note, a strong one
 * is used), into a folder. The bundle is made and verified, listed with "OK", opens with stock
 * gpg + tar + sha256sum, and a wrong passphrase fails its verification in place. Neither the
 * secret's value nor the passphrase is left in the page or its stores.
 */

const SCHEMES = ['light', 'dark'] as const;
const REF = 'shop/db.password';
const WEAK = 'password1';
const STRONG = 'violet staple orbit canyon drawer lantern';

async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('backups', () => {
  const ui = useRekeyUi();

  it('makes a verified bundle from the wizard that stock gpg, tar and sha256sum open', async () => {
    const value = knownValue();
    let config = '';
    let destination = '';
    let dir = '';
    const opened = await ui.open({
      prepare: async (paths) => {
        dir = paths.dir;
        config = join(dir, 'srv', 'shop.env');
        destination = join(dir, 'usb');
        mkdirSync(join(dir, 'srv'));
        mkdirSync(destination);
        writeFileSync(config, `DB_NAME=shop\nDB_PASSWORD=${value}\n`);
        await seedVault(paths.vaultPath, [
          {
            ref: REF,
            value,
            metadata: {
              service: 'postgresql',
              targets: [{ host: 'local', path: config, format: 'dotenv', key: 'DB_PASSWORD' }],
            },
          },
        ]);
      },
    });
    const app = pagesOf(opened);
    await app.unlock.unlock(PASSWORD);
    const { page } = opened;
    const backups = new BackupsPage(page, opened.errors);

    // The dashboard says the deployment was never backed up, as a warning.
    const shopAge = page.locator('[data-testid="backup-ages"] li[data-deployment="shop"]');
    await expect.poll(() => shopAge.getAttribute('data-state')).toBe('warn');
    expect(await shopAge.textContent()).toContain('never');
    expect(await page.getByTestId('backup-ages').textContent()).toContain('7 days');

    await backups.open();
    await backups.byTestId('backups-empty').waitFor();
    await backups.openWizard();

    // Contents: the deployment, its secrets, and its secret's target file, all on.
    await backups.waitForStep('contents');
    expect(await backups.wizard.getByTestId('backup-deployment').inputValue()).toBe('shop');
    expect(await backups.wizard.getByTestId('backup-include-secrets').isChecked()).toBe(true);
    expect(await backups.offeredFiles()).toEqual([{ file: `local:${config}`, checked: true }]);
    await backups.next();

    // Encryption: a weak passphrase draws the note; a strong one does not.
    await backups.waitForStep('encryption');
    await backups.typePassphrase(WEAK);
    expect(await backups.strengthRating()).toBe('weak');
    await backups.weakNote().waitFor();
    await backups.typePassphrase(STRONG, 'not the same');
    await backups.next();
    await backups.waitForText('The two passphrases differ', backups.wizard);
    await backups.waitForStep('encryption');
    await backups.typePassphrase(STRONG);
    await expect.poll(() => backups.strengthRating()).not.toBe('weak');
    await backups.weakNote().waitFor({ state: 'detached' });
    // Enter is the primary action.
    await backups.wizard.getByTestId('backup-passphrase-confirm').press('Enter');

    // Destination: a folder under the same top directory as the vault draws the warning.
    await backups.waitForStep('destination');
    await backups.setDestination(destination);
    await backups.sameDiskWarning().waitFor();
    await backups.next();

    // Run, then the result: verified, with the recipe to open it without Rekey.
    const result = await backups.result();
    expect(result.verified).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.file.startsWith(`${destination}/shop-`)).toBe(true);
    expect(result.file).toMatch(/\.rekey\.tar\.gpg$/);
    expect(result.recipe).toBe(`gpg --decrypt ${result.file} | tar -x && sha256sum -c SHA256SUMS`);
    expect(await backups.wizard.getByTestId('backup-verified').textContent()).toContain('Verified');
    await shoot(page, 'backup-wizard-result');
    await backups.closeWizard();

    // The view lists it, verified OK; the dashboard's tile turns current.
    const row = await backups.rowText(result.file);
    expect(row).toContain('shop');
    expect(row).toContain('passphrase');
    await expect.poll(() => backups.verification(result.file)).toMatch(/^OK /);
    await shoot(page, 'backups');

    // The file is there and opens with stock tools.
    expect(existsSync(result.file)).toBe(true);
    expect(statSync(result.file).size).toBeGreaterThan(0);
    expect(readFileSync(result.file).includes(Buffer.from(value))).toBe(false);
    const home = join(dir, 'gnupg');
    mkdirSync(home, { mode: 0o700 });
    const passphraseFile = join(dir, 'passphrase');
    writeFileSync(passphraseFile, STRONG, { mode: 0o600 });
    const extracted = join(dir, 'extracted');
    mkdirSync(extracted);
    execFileSync(
      'bash',
      [
        '-c',
        'set -o pipefail; gpg --homedir "$0" --batch --quiet --pinentry-mode loopback --passphrase-file "$1" --decrypt "$2" | tar -x -C "$3"',
        home,
        passphraseFile,
        result.file,
        extracted,
      ],
      { stdio: 'pipe' },
    );
    const check = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], {
      cwd: extracted,
      encoding: 'utf8',
    });
    expect(check).not.toContain('FAILED');
    expect(check).toContain(`config/local${config}: OK`);
    expect(readFileSync(join(extracted, `config/local${config}`), 'utf8')).toContain(value);

    // Verify from the view: a wrong passphrase fails in place; the right one is OK.
    await backups.openVerify(result.file);
    const wrong = await backups.verifyWith('not the passphrase at all');
    expect(wrong.ok).not.toBe(true);
    expect(wrong.text.length).toBeGreaterThan(0);
    await backups.verifyDialog.waitFor();
    const right = await backups.verifyWith(STRONG);
    expect(right.ok).toBe(true);
    expect(right.text).toMatch(/^OK/);
    await backups.closeVerify();

    // Back on the dashboard the deployment's backup is current.
    await app.base.navigate('dashboard');
    await expect.poll(() => shopAge.getAttribute('data-state')).toBe('ok');
    expect(await shopAge.textContent()).toContain('today');

    // Nothing secret is left in the page or the stores.
    await backups.open();
    const contents = await pageContents(page);
    for (const secret of [value, WEAK, STRONG]) expect(contents).not.toContain(secret);
    backups.expectNoConsoleErrors();
  });

  it('refuses a step without what it needs and closes with Esc', async () => {
    const opened = await ui.open({
      prepare: (paths) =>
        seedVault(paths.vaultPath, [{ ref: 'blog/api.key', value: knownValue() }]),
    });
    const app = pagesOf(opened);
    await app.unlock.unlock(PASSWORD);
    const backups = new BackupsPage(opened.page, opened.errors);
    await backups.open();
    await backups.openWizard();
    await backups.waitForStep('contents');
    // No target: no config file, the secrets alone are offered.
    await backups.waitForText('No config files', backups.wizard);
    await backups.next();
    await backups.waitForStep('encryption');
    // Neither a passphrase nor a key: it says so and stays.
    await backups.next();
    await backups.waitForText('Enter a passphrase or choose at least one key', backups.wizard);
    await backups.typePassphrase('violet staple orbit canyon drawer lantern');
    await backups.next();
    // A folder that is not there is named as such, and no bundle is made.
    await backups.waitForStep('destination');
    const missing = join(opened.dir, 'no-such-drive');
    await backups.setDestination(missing);
    await backups.wizard.getByTestId('destination-problem').waitFor();
    expect(await backups.wizard.getByTestId('destination-problem').textContent()).toBe(
      `There is no folder at ${missing}`,
    );
    await backups.next();
    await backups.waitForStep('destination');
    expect(existsSync(missing)).toBe(false);
    // An existing folder: its free space is shown.
    await backups.setDestination(opened.dir);
    await backups.wizard.getByTestId('destination-free').waitFor();
    await backups.wizard.getByTestId('destination-problem').waitFor({ state: 'detached' });
    await opened.page.keyboard.press('Escape');
    await backups.wizard.waitFor({ state: 'detached' });
    backups.expectNoConsoleErrors();
  });
});
