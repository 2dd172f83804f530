import { chmodSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pagesOf } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';
import { expectNoValues, pageContents } from './harness/page-contents';
import { PASSWORD, knownValue, seedVault } from './harness/seed-vault';
import { HealthPage } from './pages/health-page';

/**
 * A user opens Health: a placeholder value, one value in two secrets and an overdue secret
 * are listed with why and how to fix; host checks (this machine, read-only) find a .env
 * readable by others, which they tighten from the finding (the mode on disk checked); they
 * snooze the overdue secret from its detail pane and Health shows it snoozed; the Markdown
 * export holds the findings. No value ever reaches the page, its stores or the export.
 */

const SHARED = knownValue();
const OWN = knownValue();

describe('health', () => {
  const ui = useRekeyUi();

  it('shows findings, fixes a file mode, snoozes a secret, and never shows a value', async () => {
    let envFile = '';
    const opened = await ui.open({
      prepare: async (paths) => {
        mkdirSync(join(paths.dir, 'srv'));
        envFile = join(paths.dir, 'srv', 'app.env');
        writeFileSync(envFile, `TOKEN=${OWN}\n`);
        chmodSync(envFile, 0o644);
        await seedVault(paths.vaultPath, [
          { ref: 'shop/db.password', value: SHARED },
          { ref: 'blog/db.password', value: SHARED },
          { ref: 'app/admin', value: 'replace-me-please-placeholder', assess: true },
          {
            ref: 'app/token',
            value: OWN,
            ageDays: 120,
            metadata: {
              policy: { kind: 'interval', days: 90 },
              targets: [{ host: 'local', path: envFile, format: 'dotenv', key: 'TOKEN' }],
            },
          },
        ]);
      },
    });
    const app = pagesOf(opened);
    await app.unlock.unlock(PASSWORD);
    const { page } = opened;
    const health = new HealthPage(page, opened.errors);
    const seen: string[] = [];

    // The dashboard's tiles count the findings and lead to the view.
    await health.byTestId('health-tiles').waitFor();
    await expect
      .poll(async () => health.byTestId('health-tile-reused').locator('.tile-value').innerText())
      .toBe('2');
    seen.push(await pageContents(page));

    await health.open();
    await health.waitForFinding('overdue:app/token');
    const ids = await health.findingIds();
    expect(ids).toEqual(
      expect.arrayContaining([
        'placeholder:app/admin',
        'reused:shop/db.password',
        'reused:blog/db.password',
        'overdue:app/token',
      ]),
    );
    const reused = health.finding('reused:shop/db.password');
    expect(await reused.innerText()).toContain('Same value as blog/db.password');
    expect(await reused.innerText()).toContain('Why it matters');
    seen.push(await pageContents(page));

    // Host checks on this machine: the readable .env, fixed after a confirmation.
    await health.checkHosts();
    const readable = `readable-file:local:${envFile}`;
    await health.waitForFinding(readable);
    await screenshot(page, 'health-findings');
    await health.tighten(readable);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    seen.push(await pageContents(page));

    // Snooze from the detail pane; Health shows the secret snoozed.
    await app.base.navigate('inventory');
    await app.inventory.open('app/token');
    await health.snoozeFromDetail(14, 'after the spring release');
    seen.push(await pageContents(page));
    await health.open();
    await health
      .finding('overdue:app/token')
      .getByTestId('finding-snoozed')
      .getByText('after the spring release')
      .waitFor();

    const exported = await health.exportMarkdown();
    expect(exported.fileName).toMatch(/^rekey-health-\d{4}-\d{2}-\d{2}\.md$/);
    expect(exported.content).toContain('## Secret shop/db.password');
    expect(exported.content).toContain('snoozed until');
    seen.push(await pageContents(page), exported.content);

    expectNoValues(seen, [SHARED, OWN, 'replace-me-please-placeholder']);
    expect(opened.errors).toEqual([]);
  });
});
