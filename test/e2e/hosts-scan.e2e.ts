import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openUnlocked } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';
import { HostsPage } from './pages/hosts-page';
import { ScanDialog } from './pages/scan-dialog';

/**
 * A user who already runs SyncTV, LiveKit (with lk-jwt-service in the same compose project)
 * and an app with a placeholder token brings their secrets under Rekey: scans this machine,
 * sees what is there (the LiveKit API key, an identifier, is not offered), picks the real
 * secrets, files LiveKit's secret once under one name for both files it lives in, and adds
 * them to a new deployment. Throughout, no value reaches the page or its stores.
 */

const SCHEMES = ['light', 'dark'] as const;
const LIVEKIT_API_KEY = 'APIb7Rk2mQxW';

/** Writes the config files of a small self-hosted stack under `root`; returns its values. */
function writeStack(root: string) {
  const jwtSecret = randomBytes(32).toString('base64');
  const livekitSecret = randomBytes(32).toString('hex');
  const write = (path: string, lines: string[]) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `${lines.join('\n')}\n`);
  };
  write('synctv/config.yaml', [
    'server:',
    '  listen: 0.0.0.0',
    '  port: 8080',
    'jwt:',
    `  secret: ${jwtSecret}`,
    '  expire: 48h',
    'database:',
    '  type: sqlite3',
  ]);
  write('livekit/livekit.yaml', [
    'port: 7880',
    'rtc:',
    '  tcp_port: 7881',
    '  use_external_ip: true',
    'keys:',
    `  ${LIVEKIT_API_KEY}: ${livekitSecret}`,
  ]);
  write('livekit/.env', [
    'LIVEKIT_URL=wss://rtc.example.org',
    `LIVEKIT_KEY=${LIVEKIT_API_KEY}`,
    `LIVEKIT_SECRET=${livekitSecret}`,
  ]);
  write('app/config.yaml', ['name: app', 'listen: :3000', 'api_token: changeme']);
  return { jwtSecret, livekitSecret, placeholder: 'changeme' };
}

describe('scanning a host for secrets', () => {
  const ui = useRekeyUi();

  it('finds the secrets of a stack on this machine and adds the picked ones', async () => {
    const { ui: opened, base, inventory, palette } = await openUnlocked(ui, []);
    const { page } = opened;
    const hosts = new HostsPage(page, opened.errors);
    const dialog = new ScanDialog(page, opened.errors);
    const srv = join(opened.dir, 'srv');
    const missing = join(opened.dir, 'not-there');
    const values = writeStack(srv);
    const file = (path: string) => join(srv, path);

    // No value may reach the page or the stores: they see fingerprints and strength only.
    const expectNoValuesInPage = async () => {
      const html = await page.evaluate<string>('document.documentElement.outerHTML');
      const stores = await page.evaluate<string>(
        'JSON.stringify(window.__rekeyStores?.() ?? null)',
      );
      for (const value of Object.values(values)) {
        expect(html).not.toContain(value);
        expect(stores).not.toContain(value);
      }
    };

    await hosts.open();
    await dialog.openForThisMachine();
    expect(await dialog.host()).toBe('local');
    expect(await dialog.directories()).toEqual(['/srv', '/opt']);

    // Enter in the directories starts a new line, never a scan; Ctrl+Enter scans.
    expect(await hosts.focusedTestId()).toBe('scan-directories');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(srv);
    await page.keyboard.press('Enter');
    await page.keyboard.type(missing);
    expect(await dialog.directories()).toEqual([srv, missing]);
    expect(await dialog.scansFinished()).toBe(0);
    await shoot(page, 'scan-form');
    expect(await dialog.scan(() => page.keyboard.press('Control+Enter'))).toBeNull();

    const findings = await dialog.findings();
    const byKey = Object.fromEntries(findings.map((finding) => [finding.key, finding]));
    // LIVEKIT_KEY is the API key's public name, not a secret: not offered.
    expect(Object.keys(byKey).sort()).toEqual(
      ['LIVEKIT_SECRET', 'api_token', 'jwt.secret', `keys.${LIVEKIT_API_KEY}`].sort(),
    );
    expect(byKey['jwt.secret']).toMatchObject({
      path: file('synctv/config.yaml'),
      where: 'config.yaml:5',
      service: 'synctv',
      strength: 'strong',
      status: 'new',
      selectable: true,
    });
    expect(byKey[`keys.${LIVEKIT_API_KEY}`]).toMatchObject({
      path: file('livekit/livekit.yaml'),
      where: 'livekit.yaml:6',
      service: 'livekit',
      status: 'new same value in .env:3',
    });
    expect(byKey['LIVEKIT_SECRET']).toMatchObject({
      path: file('livekit/.env'),
      where: '.env:3',
      service: 'lk-jwt-service',
      status: 'new same value in livekit.yaml:6',
    });
    expect(byKey['api_token']?.service).toBe('–');
    expect(byKey['api_token']?.strength).toMatch(/^weak \S/);
    expect(byKey['LIVEKIT_SECRET']?.fingerprint).toMatch(/^fp:[0-9a-f]{12}$/);
    expect(byKey['LIVEKIT_SECRET']?.fingerprint).toBe(
      byKey[`keys.${LIVEKIT_API_KEY}`]?.fingerprint,
    );
    expect(await dialog.skipped()).toEqual([expect.stringContaining(missing)]);
    await expectNoValuesInPage();

    // The checkboxes are reachable from the keyboard: Tab from "select all", Space ticks.
    await dialog.root.getByTestId('scan-select-all').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement?.type ?? ""')).toBe('checkbox');
    await page.keyboard.press('Space');
    expect(await dialog.addLabel()).toBe('Add 1 selected to the inventory');
    await page.keyboard.press('Space');
    expect(await dialog.addLabel()).toBe('Add selected to the inventory');

    // A name the vault refuses and a missing deployment are shown in place, nothing is sent.
    await dialog.pick('jwt.secret', 'jwt secret');
    expect(await dialog.nameProblem('jwt.secret')).toMatch(/secret names use/);
    await expect(dialog.addSelected()).rejects.toThrow(/Name the deployment/);
    await dialog.pick('jwt.secret', 'jwt.secret');
    expect(await dialog.nameProblem('jwt.secret')).toBeNull();

    // LiveKit's secret lives in two files: one name for both makes it one secret.
    await dialog.pick(`keys.${LIVEKIT_API_KEY}`, 'livekit.api-secret');
    await dialog.pick('LIVEKIT_SECRET', 'livekit.api-secret');
    await dialog.setDeployment('stack');
    expect(await dialog.addLabel()).toBe('Add 3 selected to the inventory');
    await shoot(page, 'scan-results');

    const outcome = await dialog.addSelected();
    expect({ ...outcome, added: outcome.added.sort() }).toEqual({
      headline: 'Added 2 secrets and 1 new target',
      added: ['stack/jwt.secret', 'stack/livekit.api-secret'],
      targetAdded: ['stack/livekit.api-secret'],
      skipped: [],
    });
    // The scan that follows shows what was just added as tracked.
    const after = Object.fromEntries((await dialog.findings()).map((f) => [f.key, f]));
    expect(after['jwt.secret']).toMatchObject({
      status: 'tracked by stack/jwt.secret',
      selectable: false,
    });
    await shoot(page, 'scan-added');
    await expectNoValuesInPage();
    await dialog.close();

    // The inventory has both; LiveKit's secret lives in both files.
    await base.navigate('inventory');
    await expect
      .poll(() => inventory.visibleRefs())
      .toEqual(['stack/jwt.secret', 'stack/livekit.api-secret']);
    const detail = await inventory.open('stack/livekit.api-secret');
    const livesIn = (await detail.metadata())['Lives in'] ?? '';
    for (const part of [
      file('livekit/livekit.yaml'),
      `keys.${LIVEKIT_API_KEY}`,
      file('livekit/.env'),
      'LIVEKIT_SECRET',
    ]) {
      expect(livesIn).toContain(part);
    }
    await expectNoValuesInPage();

    // Scanning again (from the palette; the directories are remembered) shows them tracked.
    await palette.open();
    await palette.run('scan host secrets');
    await dialog.root.waitFor();
    expect(await dialog.host()).toBe('local');
    expect(await dialog.directories()).toEqual([srv, missing]);
    expect(await dialog.scan()).toBeNull();
    const statuses = Object.fromEntries(
      (await dialog.findings()).map((f) => [f.key, `${f.status} | ${f.selectable}`]),
    );
    expect(statuses).toEqual({
      'jwt.secret': 'tracked by stack/jwt.secret | false',
      [`keys.${LIVEKIT_API_KEY}`]:
        'tracked by stack/livekit.api-secret same value in .env:3 | false',
      LIVEKIT_SECRET: 'tracked by stack/livekit.api-secret same value in livekit.yaml:6 | false',
      api_token: 'new | true',
    });
    await dialog.close();

    // A host of the vault is scanned from its detail, with directories of its own. Where Rekey
    // cannot log in (nothing listens there), the refusal is shown in place, nothing typed lost.
    await hosts.openAddHost();
    await hosts.fillHost({ name: 'vps1', address: '127.0.0.1', port: 1, login: { kind: 'agent' } });
    expect(await hosts.saveHost()).toBeNull();
    await hosts.select('vps1');
    await hosts.detail.getByTestId('scan-host').click();
    await dialog.root.waitFor();
    expect(await dialog.host()).toBe('vps1');
    expect(await dialog.directories()).toEqual(['/srv', '/opt']);
    await dialog.setDirectories(['/srv/synctv']);
    expect(await dialog.scan()).toMatch(/\S/);
    expect(await dialog.directories()).toEqual(['/srv/synctv']);
    await shoot(page, 'scan-refused');
    await dialog.close();

    hosts.expectNoConsoleErrors();
  });
});

/** Both themes of what is on screen now. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
