import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { formatByName } from '../../src/main/formats/format';
import { ok } from '../helpers/app';
import { type SshdServer, useSshd } from '../helpers/sshd';
import { FAST_KDF, PASSWORD } from '../helpers/vault';
import { type App, pagesOf } from './harness/app';
import { type RekeyUiFixture, screenshot, useRekeyUi } from './harness/fixture';
import { knownValue } from './harness/seed-vault';
import { RotationRunsPage } from './pages/rotation-runs';
import { RotationWizard } from './pages/rotation-wizard';
import { expectNoValues, pageContents } from './harness/page-contents';

/**
 * A user rotates secrets from the wizard against a real OpenSSH server on a loopback port:
 * plans, confirms the checklist, previews the diff (placeholders, never values), runs it and
 * sees it rotated, with the file on the host holding exactly the vault's new value. A write
 * that fails turns the run back and leaves the files as they were. A guarded secret rotates
 * only with its name typed; a confirm step waits for the user; a run cut short when the app
 * stopped is announced on the next unlock and rolled back from the Rotations view. No value
 * ever reaches the page.
 */

const SCHEMES = ['light', 'dark'] as const;
const HOST = 'vps1';

/** Builds the vault through the contract in-process (as the CLI would), then locks it. */
async function buildVault(vaultPath: string, build: (app: RekeyApp) => Promise<void>) {
  const app = createApp({ vaultPath, source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  await build(app);
  await ok(app, 'vault.lock', {});
}

/** A host pointing at the sshd harness, logging in with its key, its host key pinned. */
async function addTrustedHost(app: RekeyApp, server: SshdServer): Promise<void> {
  await ok(app, 'hosts.add', {
    name: HOST,
    address: '127.0.0.1',
    port: server.port,
    user: server.user,
    login: { kind: 'import', privateKey: readFileSync(server.clientKeys.plain, 'utf8') },
  });
  await ok(app, 'hosts.trust', { name: HOST, fingerprint: server.hostKeyFingerprint });
}

/** What the vault holds as the secret's current value, read through the contract. */
async function currentValue(vaultPath: string, ref: string): Promise<string> {
  const app = createApp({ vaultPath, source: 'cli' });
  await ok(app, 'vault.unlock', { password: PASSWORD });
  try {
    return (await ok(app, 'secrets.reveal', { ref })).value;
  } finally {
    await ok(app, 'vault.lock', {});
  }
}

async function openUnlockedUi(
  ui: RekeyUiFixture,
  prepare: (paths: { dir: string; vaultPath: string }) => Promise<void>,
): Promise<App> {
  const app = pagesOf(await ui.open({ prepare }));
  await app.unlock.unlock(PASSWORD);
  return app;
}

/** Both themes of what is on screen now, without toasts on top. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const toast of await page.locator('.toast').all()) {
    await toast.click({ timeout: 1_000 }).catch(() => undefined);
  }
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const yamlValue = (path: string, key: string) =>
  formatByName('yaml').get(readFileSync(path, 'utf8'), key);
const dotenvValue = (path: string, key: string) =>
  formatByName('dotenv').get(readFileSync(path, 'utf8'), key);

describe('rotation wizard', () => {
  const sshd = useSshd();
  const ui = useRekeyUi();

  it('rotates a secret on a host over SSH: plan, checklist, preview, run, rotated', async () => {
    const server = sshd();
    const ref = 'app/jwt.secret';
    const old = knownValue();
    let config = '';
    const app = await openUnlockedUi(ui, async ({ dir, vaultPath }) => {
      config = join(dir, 'srv', 'config.yaml');
      mkdirSync(join(dir, 'srv'));
      writeFileSync(config, `server:\n  port: 8080\njwt: ${old}\nlog: info\n`);
      await buildVault(vaultPath, async (core) => {
        await addTrustedHost(core, server);
        await ok(core, 'secrets.add', {
          ref,
          value: { kind: 'enter', value: old },
          metadata: {
            impact: 'Every session ends; users log in again',
            difficulty: 'low',
            targets: [{ host: HOST, path: config, format: 'yaml', key: 'jwt' }],
          },
        });
      });
    });
    const { page } = app.ui;
    const wizard = new RotationWizard(page, app.ui.errors);
    const runs = new RotationRunsPage(page, app.ui.errors);
    const seen: string[] = [];

    await app.base.navigate('inventory');
    await app.inventory.open(ref);
    await wizard.openFromDetail();

    // The plan: the "targets" procedure (no playbook), one line per step with its host.
    const plan = await wizard.plan();
    expect(plan.procedure).toBe('targets');
    expect(plan.steps.map((step) => step.kind)).toEqual(['generate', 'write', 'verify']);
    expect(plan.steps[1]?.text).toContain(`jwt in ${config} on ${HOST}`);
    expect(plan.steps[1]?.text).toMatch(new RegExp(`${HOST}$`));
    expect(plan.warnings).toEqual([expect.stringContaining('restarts nothing')]);
    expect(plan.impact).toEqual([
      { ref, text: expect.stringMatching(/low difficulty.*Every session ends/) },
    ]);
    expect(plan.checklist.map((item) => [item.id, item.checked])).toEqual([
      ['backup', false],
      ['blast-radius', false],
      ['rollback', false],
    ]);
    expect(plan.guarded).toBeNull();
    // The first checkbox has the focus; Next waits until every item is ticked.
    expect(await wizard.nextEnabled()).toBe(false);
    await wizard.tick('backup');
    await wizard.tick('blast-radius');
    expect(await wizard.nextEnabled()).toBe(false);
    await wizard.tick('rollback');
    expect(await wizard.nextEnabled()).toBe(true);
    seen.push(await pageContents(page));

    // The preview: the file as it is and as it will be, values as placeholders.
    await wizard.next();
    expect(await wizard.preview()).toEqual([
      {
        target: `${HOST}:${config}`,
        diff: [
          '@@ line 3 @@',
          '   port: 8080',
          '-jwt: [current value]',
          '+jwt: [new value]',
          ' log: info',
        ],
        note: null,
      },
    ]);
    expect(await wizard.focusedTestId()).toBe('wizard-run');
    seen.push(await pageContents(page));

    // Run, and follow it to its end.
    await wizard.run();
    seen.push(await pageContents(page));
    const result = await wizard.result();
    expect(result).toMatchObject({ status: 'rotated', headline: 'Rotated' });
    expect(result.watch).toEqual([
      expect.stringContaining(`The new value is in place: jwt in ${config}`),
    ]);
    expect((await wizard.runSteps()).map((step) => step.state)).toEqual(['done', 'done', 'done']);
    expect(await wizard.focusedTestId()).toBe('wizard-close');
    seen.push(await pageContents(page));

    // The host's file holds the vault's new value, and nothing else in it changed.
    const written = yamlValue(config, 'jwt') ?? '';
    expect(written).not.toBe(old);
    expect(written).toBe(await currentValue(app.ui.vaultPath, ref));
    expect(readFileSync(config, 'utf8')).toMatch(/^server:\n {2}port: 8080\njwt: .+\nlog: info\n$/);

    // "Open run": the Rotations view with the run, its steps and its log.
    await wizard.openRun();
    const [row] = await runs.rows();
    expect(row?.status).toBe('rotated');
    expect(row?.cells[1]).toBe(ref);
    expect(await runs.openRunId()).toBe(row?.id);
    expect(await runs.paneStatus()).toBe('rotated');
    expect((await runs.paneSteps()).map((step) => step.state)).toEqual(['done', 'done', 'done']);
    expect((await runs.logEntries()).length).toBeGreaterThanOrEqual(5);
    seen.push(await pageContents(page));

    // The inventory follows: the rotated value is current, the old one previous.
    await app.base.navigate('inventory');
    const detail = await app.inventory.open(ref);
    await expect
      .poll(async () => (await detail.versions()).map((version) => version.labels.join(',')))
      .toEqual(['current', 'previous']);
    seen.push(await pageContents(page));

    expectNoValues(seen, [old, written]);
    app.base.expectNoConsoleErrors();
  });

  it('rolls back when a write fails, leaving the first file byte for byte as it was', async () => {
    const server = sshd();
    const ref = 'app/api.key';
    const old = knownValue();
    let config = '';
    let missing = '';
    const app = await openUnlockedUi(ui, async ({ dir, vaultPath }) => {
      config = join(dir, 'config.yaml');
      missing = join(dir, 'no-such-dir', 'app.env');
      writeFileSync(config, `# app\napi:\n  key: ${old}\n  timeout: 5s\n`);
      await buildVault(vaultPath, async (core) => {
        await addTrustedHost(core, server);
        await ok(core, 'secrets.add', {
          ref,
          value: { kind: 'enter', value: old },
          metadata: {
            targets: [
              { host: HOST, path: config, format: 'yaml', key: 'api.key' },
              { host: HOST, path: missing, format: 'dotenv', key: 'API_KEY' },
            ],
          },
        });
      });
    });
    const before = readFileSync(config);
    const { page } = app.ui;
    const wizard = new RotationWizard(page, app.ui.errors);
    const seen: string[] = [];

    await app.base.navigate('inventory');
    await app.inventory.open(ref);
    await wizard.openFromDetail();
    expect((await wizard.plan()).steps.map((step) => step.kind)).toEqual([
      'generate',
      'write',
      'write',
      'verify',
    ]);
    await wizard.tickAll();
    await wizard.next();

    // The preview already says the second file cannot be read.
    const [first, second] = await wizard.preview();
    expect(first?.diff).toContain('-  key: [current value]');
    expect(second).toMatchObject({ target: `${HOST}:${missing}`, diff: [] });
    expect(second?.note).toMatch(/\S/);
    seen.push(await pageContents(page));

    await wizard.run();
    const result = await wizard.result();
    expect(result).toMatchObject({ status: 'rolled-back', headline: 'Rolled back' });
    expect(result.detail).toMatch(/^Why: step 3 failed: .+ The old values are back in place\.$/);
    const steps = await wizard.runSteps();
    // The failed write is undone too (there was nothing to undo); the log keeps its failure.
    expect(steps.map((step) => step.state)).toEqual(['done', 'undone', 'undone', 'waiting']);
    expect(await wizard.logEntries()).toContainEqual(expect.stringMatching(/step 3 failed Write/));
    seen.push(await pageContents(page));
    await shoot(page, 'rotation-rolled-back');

    expect(readFileSync(config)).toEqual(before);
    expect(await currentValue(app.ui.vaultPath, ref)).toBe(old);
    expectNoValues(seen, [old]);
    app.base.expectNoConsoleErrors();
  });

  it('asks for a guarded secret by name, waits on a confirm step, and rolls back a run the app left interrupted', async () => {
    const server = sshd();
    const ref = 'app/api.token';
    const old = knownValue();
    let envFile = '';
    const first = await openUnlockedUi(ui, async ({ dir, vaultPath }) => {
      envFile = join(dir, 'app.env');
      writeFileSync(envFile, `# app\nAPI_TOKEN=${old}\nDEBUG=false\n`);
      await buildVault(vaultPath, async (core) => {
        await addTrustedHost(core, server);
        await ok(core, 'secrets.add', { ref, value: { kind: 'enter', value: old } });
        await ok(core, 'deployments.setHosts', { name: 'app', hosts: [HOST] });
        await ok(core, 'playbooks.add', { text: GUARDED_PLAYBOOK, fileName: 'test-guarded.yaml' });
        await ok(core, 'deployments.setPlaybook', {
          name: 'app',
          playbook: 'test-guarded',
          variables: { dir },
        });
      });
    });
    const seen: string[] = [];
    const page = first.ui.page;
    const wizard = new RotationWizard(page, first.ui.errors);
    const runs = new RotationRunsPage(page, first.ui.errors);

    await first.base.navigate('inventory');
    await first.inventory.open(ref);
    // From the palette this time, for the selected secret.
    await first.palette.open();
    await first.palette.run(`rotate ${ref}`);
    await wizard.root.waitFor();

    const plan = await wizard.plan();
    expect(plan.procedure).toBe('playbook test-guarded');
    expect(plan.steps.map((step) => step.kind)).toEqual(['generate', 'write', 'confirm', 'verify']);
    expect(plan.guarded).toContain('Clients holding the old token are cut off at once');
    await wizard.tickAll();
    expect(await wizard.nextEnabled()).toBe(false);
    await wizard.typeGuardedConfirmation('app/api');
    expect(await wizard.nextEnabled()).toBe(false);
    await wizard.typeGuardedConfirmation(ref);
    expect(await wizard.nextEnabled()).toBe(true);
    await shoot(page, 'rotation-plan-guarded');
    // Enter in the typed confirmation is the primary action: on to the preview.
    await page.keyboard.press('Enter');
    await wizard.waitForStep('preview');
    expect((await wizard.preview())[0]?.diff).toContain('-API_TOKEN=[current value]');

    // The run waits on its confirm step; Esc does not hide a running rotation.
    await page.keyboard.press('Enter');
    expect(await wizard.awaiting()).toBe('The app was restarted by hand and answers requests.');
    expect(await wizard.focusedTestId()).toBe('confirm-step');
    await page.keyboard.press('Escape');
    expect(await wizard.step()).toBe('run');
    expect(await wizard.root.getByTestId('background-note').isVisible()).toBe(true);
    seen.push(await pageContents(page));
    await shoot(page, 'rotation-awaiting');
    await wizard.confirmStep();
    const result = await wizard.result();
    expect(result.status).toBe('rotated');
    expect(result.watch).toEqual([expect.stringContaining('The new value is in place')]);
    const rotated = dotenvValue(envFile, 'API_TOKEN') ?? '';
    expect(rotated).not.toBe(old);
    await wizard.close();
    const afterFirstRun = readFileSync(envFile);

    // A second rotation is left waiting in the background, and then the app stops.
    await wizard.openFromDetail();
    await wizard.plan();
    await wizard.tickAll();
    await wizard.typeGuardedConfirmation(ref);
    await wizard.next();
    await wizard.run();
    await wizard.awaiting();
    await wizard.runInBackground();
    await runs.open();
    await expect
      .poll(async () => (await runs.rows()).map((row) => row.status))
      .toEqual(['running', 'rotated']);
    const [waiting] = await runs.rows();
    await runs.select(waiting?.id ?? '');
    await runs.pane.getByTestId('run-awaiting').waitFor();
    seen.push(await pageContents(page));
    const written = dotenvValue(envFile, 'API_TOKEN') ?? '';
    expect(written).not.toBe(rotated);
    expectNoValues(seen, [old, rotated, written]);
    first.base.expectNoConsoleErrors();
    // The window closes and the app stops (SIGTERM) while the run waits on its confirm step.
    await first.ui.context.close();
    await first.ui.host.stop();

    // The next start: the run is interrupted, and the first screen says so.
    const second = await openUnlockedUi(ui, async ({ vaultPath }) => {
      copyFileSync(first.ui.vaultPath, vaultPath);
    });
    const reopened = new RotationRunsPage(second.ui.page, second.ui.errors);
    await reopened.banner.waitFor();
    expect(await reopened.banner.textContent()).toContain(ref);
    await shoot(second.ui.page, 'rotation-interrupted-banner');
    await reopened.openFromBanner();
    expect(await reopened.openRunId()).toBe(waiting?.id);
    expect(await reopened.paneStatus()).toBe('interrupted');
    expect(await reopened.actions()).toEqual(['resume-run', 'rollback-run']);
    await shoot(second.ui.page, 'rotation-interrupted-run');

    await reopened.rollBack();
    await reopened.waitForPaneStatus('rolled-back');
    await reopened.banner.waitFor({ state: 'detached' });
    expect(readFileSync(envFile)).toEqual(afterFirstRun);
    expect(await currentValue(second.ui.vaultPath, ref)).toBe(rotated);
    expectNoValues([await pageContents(second.ui.page)], [old, rotated, written]);
    second.base.expectNoConsoleErrors();
  });
});

/** A guarded token in a .env on the host, with a manual check between write and verify. */
const GUARDED_PLAYBOOK = `id: test-guarded
name: Guarded token
service: app
description: An API token in a .env on a host, checked by hand after the write.
variables:
  dir: { description: Directory of the .env on the host. }
checklist: [backup]
secrets:
  - name: api.token
    description: The token clients send.
    impact: Clients holding the old token are refused.
    difficulty: medium
    handling: Write it, restart the app by hand, check it.
    policy: { kind: manual }
    generator: { kind: hex, length: 24 }
    guarded: true
    guard_reason: Clients holding the old token are cut off at once; rotate it only in an incident.
    targets:
      - id: env
        format: dotenv
        path: \${dir}/app.env
        key: API_TOKEN
    steps:
      - kind: generate
      - kind: write
        targets: [env]
      - kind: confirm
        text: The app was restarted by hand and answers requests.
      - kind: verify
        check: { type: fingerprint }
`;
