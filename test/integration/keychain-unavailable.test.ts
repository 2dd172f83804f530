import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { ok } from '../helpers/app';
import { type SessionBus, startSessionBus } from '../helpers/keyring';
import { exited } from '../helpers/processes';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * Without a keychain the option is unavailable with a reason, and the password works as
 * always. Its own file (its own process): the keyring library keeps the bus of its first
 * call, so these must not share a process with a working keyring.
 */

const tempDir = useTempDirs();
const saved = { ...process.env };

beforeAll(() => {
  delete process.env['DBUS_SESSION_BUS_ADDRESS'];
  delete process.env['XDG_RUNTIME_DIR'];
});

afterAll(() => {
  delete process.env['DBUS_SESSION_BUS_ADDRESS'];
  delete process.env['XDG_RUNTIME_DIR'];
  const { DBUS_SESSION_BUS_ADDRESS: bus, XDG_RUNTIME_DIR: runtime } = saved;
  if (bus !== undefined) process.env['DBUS_SESSION_BUS_ADDRESS'] = bus;
  if (runtime !== undefined) process.env['XDG_RUNTIME_DIR'] = runtime;
});

async function newApp(dir: string): Promise<RekeyApp> {
  const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'desktop' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  await ok(app, 'vault.lock', {});
  return app;
}

describe('no keychain on this device', () => {
  it('no D-Bus session: unavailable with the reason; the password still unlocks', async () => {
    const app = await newApp(tempDir());
    const status = await ok(app, 'vault.status', {});
    expect(status.keychain).toEqual({
      available: false,
      reason: 'no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set',
      remembered: false,
    });
    const refused = await ok(app, 'vault.unlockWithKeychain', {});
    expect(refused).toMatchObject({ unlocked: false, problem: 'unavailable' });
    expect(refused.message).toContain('No keychain on this device');

    // Asking to remember does not stand in the way of the unlock; the reason comes back.
    const unlocked = await ok(app, 'vault.unlock', { password: PASSWORD, remember: true });
    expect(unlocked.state).toBe('unlocked');
    expect(unlocked.keychain.remembered).toBe(false);
    expect(unlocked.keychain.reason).toContain('no D-Bus session');

    const remember = await app.call('vault.rememberDevice', {});
    expect(remember.ok).toBe(false);
    if (!remember.ok) expect(remember.error.message).toContain('No keychain on this device');
    const kinds = (await ok(app, 'history.list', {})).map((event) => event.kind);
    expect(kinds).not.toContain('vault.device-remembered');
  });

  describe('a D-Bus session without a Secret Service', () => {
    let bus: SessionBus;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rekey-bus-'));
      bus = await startSessionBus(dir);
      process.env['DBUS_SESSION_BUS_ADDRESS'] = bus.address;
    });
    afterAll(async () => {
      bus.child.kill('SIGTERM');
      await exited(bus.child);
      rmSync(dir, { recursive: true, force: true });
    });

    it('is unavailable, saying there is no Secret Service; the password still unlocks', async () => {
      const app = await newApp(tempDir());
      const status = await ok(app, 'vault.status', {});
      expect(status.keychain).toEqual({
        available: false,
        reason: 'no Secret Service on the D-Bus session',
        remembered: false,
      });
      expect(await ok(app, 'vault.unlockWithKeychain', {})).toMatchObject({
        problem: 'unavailable',
      });
      expect((await ok(app, 'vault.unlock', { password: PASSWORD })).state).toBe('unlocked');
    });
  });
});
