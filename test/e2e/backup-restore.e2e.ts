import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePostgres } from '../helpers/postgres';
import { runRekey } from '../helpers/rekey-cli';
import { pagesOf } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';
import { PASSWORD, knownValue, seedVault } from './harness/seed-vault';
import { BackupsPage } from './pages/backups-page';
import { pageContents } from './harness/page-contents';

/**
 * The database and the secrets, backed up and restored together from the app: a deployment's
 * PostgreSQL database (a private cluster, added by hand in the wizard), its config file and its
 * secret go into one bundle; then the rows are lost, the file is overwritten and the secret gets
 * a newer value. The restore wizard verifies the bundle (a wrong passphrase stays on the first
 * step), offers each part with where it came from, refuses to go on while the secret's conflict
 * is undecided or the overwrite is not confirmed, and restores: every row back in a fresh
 * database, the file back (the overwritten one kept as a backup copy), the bundle's value
 * current again. No value or passphrase is left in the page.
 */

const REF = 'shop/db.password';
const PASSPHRASE = 'quartz lantern meadow ticket pepper oyster';
const postgres = usePostgres({ database: 'shop' });
const ROWS = "SELECT count(*), md5(string_agg(customer, ',' ORDER BY id)) FROM orders";

beforeAll(async () => {
  await postgres().query(`
    CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL);
    INSERT INTO orders (customer) SELECT 'customer-' || n FROM generate_series(1, 5000) AS n;`);
}, 60_000);

describe('restoring a backup', () => {
  const ui = useRekeyUi();

  it('brings a database, its config file and its secret back together', async () => {
    const cluster = postgres();
    const original = knownValue();
    const newer = knownValue();
    let config = '';
    let destination = '';
    let passwordFile = '';
    let vaultPath = '';
    const opened = await ui.open({
      prepare: async (paths) => {
        vaultPath = paths.vaultPath;
        config = join(paths.dir, 'srv', 'shop.env');
        destination = join(paths.dir, 'usb');
        passwordFile = join(paths.dir, 'vault-password');
        mkdirSync(join(paths.dir, 'srv'));
        mkdirSync(destination);
        writeFileSync(config, `DB_NAME=shop\nDB_PASSWORD=${original}\n`);
        writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
        await seedVault(paths.vaultPath, [
          {
            ref: REF,
            value: original,
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

    // Back up: the secrets, the config file, and the database added by hand.
    await backups.open();
    await backups.openWizard();
    await backups.waitForStep('contents');
    await backups.wizard.getByText('None found in the deployment').waitFor();
    await backups.addDatabase({
      host: 'local',
      database: 'shop',
      server: cluster.dir,
      port: String(cluster.port),
      user: cluster.superuser,
    });
    await backups.next();
    await backups.waitForStep('encryption');
    await backups.typePassphrase(PASSPHRASE);
    await backups.next();
    await backups.waitForStep('destination');
    await backups.setDestination(destination);
    await backups.next();
    const made = await backups.result();
    expect(made.verified).toBe(true);
    expect(
      await backups.wizard.getByTestId('backup-result-entries').locator('li').allTextContents(),
    ).toEqual([
      expect.stringMatching(/^dumps\/shop\.dump /),
      expect.stringMatching(new RegExp(`^config/local${config} `)),
      expect.stringMatching(/^secrets\.json /),
    ]);
    await backups.closeWizard();
    const rowsBefore = await cluster.query(ROWS);

    // Then things go wrong: rows lost, the file overwritten, a newer value in the vault.
    await cluster.query('DELETE FROM orders WHERE id > 10');
    writeFileSync(config, 'DB_NAME=shop\nDB_PASSWORD=overwritten\n');
    const set = await runRekey(
      [
        '--vault',
        vaultPath,
        '--password-file',
        passwordFile,
        'secret',
        'set',
        REF,
        '--value-stdin',
      ],
      { stdin: `${newer}\n` },
    );
    expect(set.code, set.stderr).toBe(0);
    await cluster.createDatabase('shop_restored');

    // Open: a wrong passphrase stays on the first step, saying why.
    await backups.openRestore(made.file);
    await backups.waitForRestoreStep('open');
    expect(await backups.restoreWizard.getByTestId('restore-file-path').inputValue()).toBe(
      made.file,
    );
    const wrong = await backups.openBundle('not the passphrase at all');
    expect(wrong).toMatch(/passphrase/i);
    await backups.waitForRestoreStep('open');
    expect(await backups.openBundle(PASSPHRASE)).toBe('choose');
    await backups.restoreWizard.getByTestId('restore-verified').waitFor();

    // Choose: nothing that overwrites is ticked yet; the secret's values differ.
    const database = backups.restoreWizard.getByTestId('restore-database');
    expect(await database.getAttribute('data-entry')).toBe('dumps/shop.dump');
    expect(await database.isChecked()).toBe(false);
    expect(await backups.restoreWizard.getByTestId('restore-file').isChecked()).toBe(false);
    expect(await backups.secretsPlan()).toEqual([{ ref: REF, kind: 'conflict' }]);
    await database.check();
    const target = backups.restoreWizard.getByTestId('restore-database-fields');
    // Prefilled with where the dump came from; restored into a fresh database instead.
    expect(await target.getByTestId('database-name').inputValue()).toBe('shop');
    expect(await target.getByTestId('database-server').inputValue()).toBe(cluster.dir);
    await backups.fillDatabase(target, { database: 'shop_restored' });
    await backups.restoreWizard.getByTestId('restore-file').check();
    await backups.restoreNext();
    expect(await backups.restoreError()).toContain(`Choose which value stays current for ${REF}`);
    await backups.waitForRestoreStep('choose');
    await backups.chooseConflict(REF, 'use-bundle');
    await screenshot(page, 'restore-choose');
    await backups.restoreNext();

    // Confirm: what changes is listed; the overwrite needs the word typed.
    await backups.waitForRestoreStep('confirm');
    const summary = await backups.restoreWizard.getByTestId('restore-summary').textContent();
    expect(summary).toContain('Database shop_restored on local');
    expect(summary).toContain(`File ${config} on local`);
    expect(summary).toContain('1 made current again from the bundle');
    await backups.restoreNext();
    expect(await backups.restoreError()).toContain('Type restore to confirm');
    await backups.restoreWizard.getByTestId('restore-confirm').fill('restore');
    await backups.restoreWizard.getByTestId('restore-confirm').press('Enter');

    // Result: the rows, the file and the value are back.
    const result = await backups.restoreResult();
    expect(result.databases).toBe('shop_restored on local');
    expect(result.files).toContain(config);
    expect(result.secrets).toContain(`changed: ${REF}`);
    await screenshot(page, 'restore-result');
    expect(await cluster.query(ROWS, 'shop_restored')).toEqual(rowsBefore);
    expect(readFileSync(config, 'utf8')).toBe(`DB_NAME=shop\nDB_PASSWORD=${original}\n`);
    const backupCopy = /kept as (\S+)\)/.exec(result.files)?.[1] ?? '';
    expect(existsSync(backupCopy), result.files).toBe(true);
    expect(readFileSync(backupCopy, 'utf8')).toContain('DB_PASSWORD=overwritten');
    const revealed = await runRekey([
      '--vault',
      vaultPath,
      '--password-file',
      passwordFile,
      'secret',
      'reveal',
      REF,
    ]);
    expect(revealed.stdout).toBe(`${original}\n`);
    const previous = await runRekey([
      '--vault',
      vaultPath,
      '--password-file',
      passwordFile,
      'secret',
      'reveal',
      REF,
      'previous',
    ]);
    expect(previous.stdout).toBe(`${newer}\n`);

    await backups.restoreWizard.getByTestId('restore-next').click();
    await backups.restoreWizard.waitFor({ state: 'detached' });
    const contents = await pageContents(page);
    for (const secret of [original, newer, PASSPHRASE]) expect(contents).not.toContain(secret);
    backups.expectNoConsoleErrors();
  });
});
