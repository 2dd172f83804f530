import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { formatByName } from '../../src/main/formats/format';
import { ok } from '../helpers/app';
import { FAST_KDF } from '../helpers/vault';
import { openUnlocked, pagesOf } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';
import { PASSWORD, knownValue, seedVault } from './harness/seed-vault';
import { HostsPage } from './pages/hosts-page';
import { IncidentsPage } from './pages/incidents-page';
import { RotationWizard } from './pages/rotation-wizard';
import { expectNoValues, pageContents } from './harness/page-contents';

/**
 * A user records a leak: a secret whose value sits in a .env on this machine is marked exposed
 * from its detail pane, which opens an incident with the leak response. They assess the scope,
 * rotate from the response (the wizard writes the new value into the .env), and see Rekey's own
 * rotation entries arrive in the timeline while "still exposed" clears. A note written later,
 * back-dated, sorts to the top; the incident closes with a summary and a follow-up; the
 * Markdown report holds the timeline and neither the old nor the new value. No value ever
 * reaches the page or its stores. And the keyboard: palette, `n`, Enter, Esc.
 */

const SCHEMES = ['light', 'dark'] as const;
const REF = 'synctv-prod/jwt.secret';
const LEAK = 'The .env was pushed to a public repository';
const NOTE = 'Repository made public by a CI change';
const SUMMARY = 'The SyncTV JWT secret leaked through a public repository and was rotated.';
const FOLLOW_UP = 'Move the .env out of the repository';

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

/** A datetime-local value; the test browser runs in UTC, so local time is UTC. */
const localInput = (date: Date) => date.toISOString().slice(0, 16);

/** Builds the vault through the contract in-process (as the CLI would), then locks it. */
async function buildVault(vaultPath: string, build: (app: RekeyApp) => Promise<void>) {
  const app = createApp({ vaultPath, source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  await build(app);
  await ok(app, 'vault.lock', {});
}

const dotenvValue = (path: string, key: string) =>
  formatByName('dotenv').get(readFileSync(path, 'utf8'), key);

describe('incidents', () => {
  const ui = useRekeyUi();

  it('marks a leaked secret exposed, rotates it from the leak response and reports without values', async () => {
    const old = knownValue();
    let envFile = '';
    const opened = await ui.open({
      prepare: async (paths) => {
        envFile = join(paths.dir, 'srv', 'synctv.env');
        mkdirSync(join(paths.dir, 'srv'));
        writeFileSync(envFile, `# synctv\nJWT_SECRET=${old}\nPORT=8080\n`);
        await seedVault(paths.vaultPath, [
          {
            ref: REF,
            value: old,
            metadata: {
              service: 'synctv',
              impact: 'Existing sessions end; users log in again',
              difficulty: 'low',
              policy: { kind: 'interval', days: 90 },
              targets: [{ host: 'local', path: envFile, format: 'dotenv', key: 'JWT_SECRET' }],
            },
          },
        ]);
      },
    });
    const app = pagesOf(opened);
    await app.unlock.unlock(PASSWORD);
    const { page } = opened;
    const incidents = new IncidentsPage(page, opened.errors);
    const wizard = new RotationWizard(page, opened.errors);
    const seen: string[] = [];

    // The list starts empty and says what incidents are for.
    await incidents.open();
    await incidents.byTestId('incidents-empty').waitFor();
    await shoot(page, 'incidents-empty');

    // Mark as exposed, from the secret's detail pane: a new incident opens on its page.
    await app.base.navigate('inventory');
    await app.inventory.open(REF);
    await incidents.markExposedFromDetail({ text: LEAK });
    expect(await incidents.title()).toBe(`${REF} exposed`);
    expect(await incidents.status()).toBe('open');
    const [exposed] = await incidents.exposed();
    expect(exposed).toMatchObject({ ref: REF, stillExposed: true });
    expect(exposed?.versions).toEqual([expect.stringMatching(/^fp:\S+$/)]);
    expect(exposed?.targets).toEqual([`local:${envFile}#JWT_SECRET`]);
    expect(await incidents.stillExposedCount()).toBe(1);
    await incidents.entry(`${REF} marked exposed: ${LEAK}`).waitFor();
    seen.push(await pageContents(page));

    // The response: assess, rotate, audit, each open.
    const steps = await incidents.responseSteps(REF);
    expect(steps.map((step) => [step.id, step.action, step.outcome])).toEqual([
      ['assess', 'assess', 'open'],
      ['rotate', 'rotate', 'open'],
      ['audit', 'audit', 'open'],
    ]);
    await shoot(page, 'incident-exposed');

    // The dashboard lists the open incident with its exposed secret; it opens the incident.
    await app.base.navigate('dashboard');
    await incidents.byTestId('open-incidents').waitFor();
    const card = await incidents.dashboardCard();
    expect(card).toEqual([
      { id: expect.stringMatching(/^i_/), text: expect.stringContaining('1 still exposed') },
    ]);
    await shoot(page, 'incidents-dashboard-card');
    await incidents.byTestId('open-incident').locator('button').first().click();
    await incidents.waitForIncident(`${REF} exposed`);

    // Assess: done.
    await incidents.respond(REF, 'assess', 'done');
    await incidents.entry('Assess the scope: done').waitFor();

    // Rotate now: the wizard for the secret, run to its end.
    await incidents.rotateFromStep(REF, 'rotate');
    const plan = await wizard.plan();
    expect(plan.procedure).toBe('targets');
    await wizard.tickAll();
    await wizard.next();
    await wizard.run();
    expect((await wizard.result()).status).toBe('rotated');
    seen.push(await pageContents(page));
    await wizard.close();
    const rotated = dotenvValue(envFile, 'JWT_SECRET') ?? '';
    expect(rotated).not.toBe(old);
    expect(rotated.length).toBeGreaterThan(8);

    // Rekey writes the rotation into the timeline itself, and nothing exposed is current now.
    await expect
      .poll(async () => (await incidents.timeline()).some((e) => e.auto && e.kind === 'rotation'))
      .toBe(true);
    await expect.poll(() => incidents.stillExposedCount()).toBe(0);
    await incidents.byTestId('nothing-exposed').waitFor();
    expect((await incidents.exposed())[0]).toMatchObject({ ref: REF, stillExposed: false });
    await incidents.respond(REF, 'rotate', 'done');

    // A note written now about something earlier than everything else goes first.
    const earliest = Math.min(...(await incidents.timeline()).map((e) => Date.parse(e.at)));
    await incidents.quickAdd({
      text: NOTE,
      kind: 'detection',
      at: localInput(new Date(earliest - 2 * 3_600_000)),
    });
    const timeline = await incidents.timeline();
    expect(timeline[0]).toMatchObject({ text: NOTE, kind: 'detection', auto: false });
    expect(timeline.length).toBeGreaterThanOrEqual(6);
    seen.push(await pageContents(page));
    await shoot(page, 'incident-timeline');

    // Closed with a summary and a follow-up.
    await incidents.close(SUMMARY, [FOLLOW_UP]);
    expect(await incidents.followUps()).toEqual([{ text: FOLLOW_UP, done: false }]);
    await incidents.entry(`Closed with 1 open follow-ups`).waitFor();
    seen.push(await pageContents(page));
    await shoot(page, 'incident-closed');

    // The report: the timeline in it, no value.
    const report = await incidents.exportMarkdown();
    expect(report.fileName).toMatch(/^rekey-incident-.+\.md$/);
    for (const text of [NOTE, LEAK, SUMMARY, FOLLOW_UP, 'Assess the scope: done']) {
      expect(report.content).toContain(text);
    }
    expect(report.content).not.toContain(old);
    expect(report.content).not.toContain(rotated);
    const json = await incidents.exportJson();
    expect(json.content).not.toContain(old);
    expect(json.content).not.toContain(rotated);

    // The list shows it closed.
    await incidents.back();
    const row = incidents.rows.first();
    expect(await row.getAttribute('data-status')).toBe('closed');
    seen.push(await pageContents(page));
    await shoot(page, 'incidents-list');

    expectNoValues(seen, [old, rotated]);
    app.base.expectNoConsoleErrors();
  });

  it('plans the response to a compromised host, joins a leak to it, and keeps edits as revisions', async () => {
    const values = Object.fromEntries(
      [
        'matrix-vps1/postgres.password',
        'synctv-prod/jwt.secret',
        'synctv-prod/redis.password',
        'tools/ci.token',
      ].map((ref) => [ref, knownValue()]),
    );
    const opened = await ui.open({
      prepare: ({ vaultPath }) =>
        buildVault(vaultPath, async (core) => {
          await ok(core, 'hosts.add', {
            name: 'vps1',
            address: '127.0.0.1',
            user: 'deploy',
            login: { kind: 'generate' },
          });
          const on = (path: string, key: string, difficulty: 'low' | 'medium' | 'high') => ({
            difficulty,
            impact: `${key} stops working`,
            targets: [{ host: 'vps1', path, format: 'dotenv' as const, key }],
          });
          const add = (ref: string, metadata: object) =>
            ok(core, 'secrets.add', {
              ref,
              value: { kind: 'enter', value: values[ref] ?? '' },
              metadata,
            });
          await add('matrix-vps1/postgres.password', on('/srv/matrix/.env', 'PG_PASS', 'high'));
          await add('synctv-prod/jwt.secret', on('/srv/synctv/.env', 'JWT_SECRET', 'low'));
          await add('synctv-prod/redis.password', on('/srv/synctv/.env', 'REDIS_PASS', 'medium'));
          await add('tools/ci.token', { difficulty: 'low' });
        }),
    });
    const app = pagesOf(opened);
    await app.unlock.unlock(PASSWORD);
    const { page } = opened;
    const incidents = new IncidentsPage(page, opened.errors);
    const hosts = new HostsPage(page, opened.errors);
    const seen: string[] = [];

    // vps1 compromised: what it held, most damaging first, and a rotation per deployment.
    await hosts.open();
    await hosts.select('vps1');
    const result = await incidents.hostCompromised('Unknown SSH logins in auth.log');
    expect(result.secrets.map((secret) => secret.ref)).toEqual([
      'matrix-vps1/postgres.password',
      'synctv-prod/redis.password',
      'synctv-prod/jwt.secret',
    ]);
    expect(result.secrets[0]?.text).toContain('a target on vps1: /srv/matrix/.env');
    expect(result.plans.map((plan) => plan.deployment).sort()).toEqual([
      'matrix-vps1',
      'synctv-prod',
    ]);
    expect(result.plans.find((plan) => plan.deployment === 'synctv-prod')?.text).toContain(
      'synctv-prod/redis.password, synctv-prod/jwt.secret',
    );
    seen.push(await pageContents(page));
    await shoot(page, 'incident-host-compromised');

    // "Rotate these…" opens the wizard for the deployment's secrets; closing it keeps the result.
    await incidents.rotatePlan('synctv-prod');
    expect(await incidents.byTestId('rotation-wizard').getAttribute('aria-label')).toBe(
      'Rotate synctv-prod/redis.password, synctv-prod/jwt.secret',
    );
    await page.keyboard.press('Escape');
    await incidents.byTestId('rotation-wizard').waitFor({ state: 'detached' });
    await incidents.hostDialog.getByTestId('host-compromised-result').waitFor();
    await incidents.openCompromisedIncident();
    expect(await incidents.title()).toBe('Host vps1 compromised');
    expect(await incidents.stillExposedCount()).toBe(3);
    await incidents.byTestId('affected-host').filter({ hasText: 'vps1' }).waitFor();

    // A leak elsewhere joins this incident from the detail pane.
    await app.base.navigate('inventory');
    await app.inventory.open('tools/ci.token');
    await incidents.markExposedFromDetail({
      text: 'Printed in a CI log',
      join: 'Host vps1 compromised (open, critical)',
    });
    expect(await incidents.title()).toBe('Host vps1 compromised');
    await expect.poll(() => incidents.stillExposedCount()).toBe(4);
    expect((await incidents.exposed()).map((secret) => secret.ref).sort()).toEqual(
      Object.keys(values).sort(),
    );

    // With several exposed secrets each response folds; unfolded, it is the same checklist.
    const ciSteps = await incidents.responseSteps('tools/ci.token');
    expect(ciSteps.map((step) => step.id)).toEqual(['assess', 'rotate', 'audit']);

    // An entry edited keeps its first wording, shown on request; a removed one goes.
    await incidents.quickAdd({ text: 'Blocked the attacker IP', kind: 'action' });
    await incidents.editEntry('Blocked the attacker IP', 'Blocked 203.0.113.7 at the firewall');
    expect(await incidents.revisions('Blocked 203.0.113.7 at the firewall')).toEqual([
      'Blocked the attacker IP',
    ]);
    await incidents.quickAdd({ text: 'Typo entry' });
    await incidents.removeEntry('Typo entry');

    // Follow-ups tick off; the status moves on.
    await incidents.addFollowUp('Reinstall vps1 from a clean image');
    await incidents.tickFollowUp('Reinstall vps1 from a clean image');
    await incidents.setStatus('contained');
    await incidents.entry('Status: contained').waitFor();
    // The owner's note and a better title, from the details dialog.
    await incidents.editDetails({ ownerNote: 'Ana (ops), on call until Friday' });
    expect(await incidents.byTestId('incident-owner-note').textContent()).toBe(
      'Owner: Ana (ops), on call until Friday',
    );
    seen.push(await pageContents(page));
    await shoot(page, 'incident-host-page');

    // The list filters by status.
    await incidents.back();
    await incidents.byTestId('filter-closed').click();
    await incidents.byTestId('incidents-empty').waitFor();
    await incidents.byTestId('filter-contained').click();
    await expect.poll(() => incidents.rows.count()).toBe(1);

    expectNoValues(seen, Object.values(values));
    app.base.expectNoConsoleErrors();
  });

  it('works from the keyboard: palette, n for the quick-add bar, Enter to add, Esc to go back', async () => {
    const {
      palette,
      base,
      ui: opened,
    } = await openUnlocked(ui, [{ ref: 'app/api.key', value: knownValue() }]);
    const { page } = opened;
    const incidents = new IncidentsPage(page, opened.errors);
    const focused = () =>
      page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null");

    // Ctrl+K, "incidents", Enter: the (empty) list.
    await palette.open();
    await palette.run('Incidents');
    await incidents.byTestId('screen-incidents').waitFor();
    await incidents.byTestId('incidents-empty').waitFor();

    // "New incident…" from the palette; Enter in the title opens it.
    await palette.open();
    await palette.run('new incident');
    await incidents.byTestId('new-incident-dialog').waitFor();
    expect(await focused()).toBe('incident-title');
    await page.keyboard.type('Suspicious logins');
    await page.keyboard.press('Enter');
    await incidents.waitForIncident('Suspicious logins');

    // n focuses the quick-add text (typing nothing), Enter adds the entry and keeps the focus.
    await page.keyboard.press('n');
    expect(await focused()).toBe('quick-text');
    expect(await incidents.byTestId('quick-text').inputValue()).toBe('');
    await page.keyboard.type('Checked auth.log on vps1');
    await page.keyboard.press('Enter');
    await incidents.entry('Checked auth.log on vps1').waitFor();
    expect(await focused()).toBe('quick-text');
    expect(await incidents.byTestId('quick-text').inputValue()).toBe('');

    // Esc with text typed clears it; Esc again goes back to the list.
    await page.keyboard.type('half a thought');
    await page.keyboard.press('Escape');
    expect(await incidents.byTestId('quick-text').inputValue()).toBe('');
    await incidents.incident.waitFor();
    await page.keyboard.press('Escape');
    await incidents.incident.waitFor({ state: 'detached' });
    const row = incidents.rows.first();
    await row.waitFor();
    expect(await row.textContent()).toContain('Suspicious logins');

    // From the table: arrows and Enter open it again.
    await incidents.byTestId('incident-rows').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await incidents.waitForIncident('Suspicious logins');

    base.expectNoConsoleErrors();
  });
});
