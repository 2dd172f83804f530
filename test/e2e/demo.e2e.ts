import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkDemoToken,
  demoHealthPid,
  demoPid,
  demoServices,
  issueDemoToken,
} from '../helpers/demo-service';
import { isAlive } from '../helpers/processes';
import { pagesOf } from './harness/app';
import { screenshot, useRekeyUi } from './harness/fixture';

/**
 * "Try Rekey" on the first-run screen: the dialog makes the demo (config files, the local
 * service, a vault) in the folder given, and the window lands unlocked in the inventory with
 * the demo's secrets. The service the demo starts is stopped after every test.
 */
describe('Try Rekey (the demo)', () => {
  const ui = useRekeyUi();
  // After useRekeyUi: after-hooks run in reverse, so the service stops before its folder goes.
  const services = demoServices();
  afterEach(async () => {
    await services.stopAll();
    for (const pid of services.pids()) expect(isAlive(pid)).toBe(false);
  });

  const PASSWORD = 'demo vault passphrase, long enough';

  it('creates the demo and lands in the inventory with its secrets', async () => {
    const app = pagesOf(await ui.open());
    await app.firstRun.expectScreen('first-run');
    // The folder suggested is ~/rekey-demo of the user running Rekey.
    expect(await app.firstRun.suggestedDemoDir()).toBe(join(homedir(), 'rekey-demo'));

    const dir = join(app.ui.dir, 'demo');
    await app.firstRun.tryRekey({ dir, password: PASSWORD });
    services.note(dir);

    await app.inventory.row('demo/jwt.secret').waitFor({ state: 'visible' });
    expect(await app.inventory.visibleRefs()).toEqual([
      'demo/database.password',
      'demo/jwt.secret',
      'demo/livekit.api_secret',
      'demo/server.cluster_secret',
    ]);
    await app.inventory.waitForText(/Demo ready: its service runs at http:\/\/127\.0\.0\.1:\d+/);
    await screenshot(app.ui.page, 'demo-inventory');

    // The demo service runs and signs tokens.
    const pid = demoPid(dir);
    expect(pid).toBeDefined();
    expect(await demoHealthPid(dir)).toBe(pid);
    expect(await checkDemoToken(dir, await issueDemoToken(dir))).toBe(200);
    expect(readdirSync(dir).sort()).toEqual(
      expect.arrayContaining(['demo-service.mjs', 'demo.rekey', 'livekit', 'synctv']),
    );

    // The demo vault is the session's vault now: locking asks for its password.
    await app.base.lock();
    await app.unlock.unlock(PASSWORD, 'inventory');
    app.base.expectNoConsoleErrors();
  });

  it('refuses a folder that is not empty and keeps the dialog open', async () => {
    const app = pagesOf(await ui.open());
    const dir = join(app.ui.dir, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    await app.firstRun.tryRekey({ dir, password: PASSWORD }, 'refused');
    services.note(dir);
    expect(await app.firstRun.demoError()).toContain('is not empty');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    await app.firstRun.expectScreen('first-run');
    app.base.expectNoConsoleErrors();
  });
});
