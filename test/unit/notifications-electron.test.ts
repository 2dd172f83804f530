import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { type NotificationLike, startReminders } from '../../src/main/electron/notifications';
import { ShownStore } from '../../src/main/reminders/shown-store';
import { ok } from '../helpers/app';
import { useTempDirs } from '../helpers/temp';
import { waitUntil } from '../helpers/wait';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * The reminder glue against a stand-in of Electron's Notification class (the Electron runtime
 * cannot be installed here): notifications shown on unlock, once a day, never with a value,
 * none when turned off in the preferences or unsupported by the system.
 */

const tempDir = useTempDirs();
const DAY = 24 * 60 * 60 * 1000;

function fakeNotificationClass(supported = true) {
  const shown: { title: string; body: string; clicks: (() => void)[] }[] = [];
  class FakeNotification implements NotificationLike {
    readonly clicks: (() => void)[] = [];
    constructor(readonly options: { title: string; body: string }) {}
    static isSupported() {
      return supported;
    }
    on(_event: 'click', listener: () => void) {
      this.clicks.push(listener);
      return this;
    }
    show() {
      shown.push({ ...this.options, clicks: this.clicks });
    }
  }
  return { FakeNotification, shown };
}

async function setUp(supported = true) {
  const dir = tempDir();
  let now = new Date('2026-03-01T09:00:00Z');
  const app = createApp({ vaultPath: join(dir, 'v.rekey'), source: 'desktop', now: () => now });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  await ok(app, 'secrets.add', {
    ref: 'matrix/db.password',
    value: { kind: 'enter', value: 'Vb8Nc3Wd6Hf1Jg5Ks0PaZq7Lm2Xv9Rt4' },
    metadata: { policy: { kind: 'interval', days: 30 } },
  });
  now = new Date(now.getTime() + 31 * DAY);
  await ok(app, 'vault.lock', {});
  const { FakeNotification, shown } = fakeNotificationClass(supported);
  let clicked = 0;
  const reminders = startReminders({
    app,
    Notification: FakeNotification,
    store: new ShownStore(join(dir, 'reminders.json')),
    onClick: () => clicked++,
  });
  return {
    app,
    shown,
    reminders,
    dir,
    clicked: () => clicked,
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}

describe('desktop reminders', () => {
  it('notifies on unlock, once a day, with refs and never a value', async () => {
    const { app, shown, reminders, clicked, advance } = await setUp();
    await ok(app, 'vault.unlock', { password: PASSWORD });
    await waitUntil(() => shown.length === 1, { timeoutMs: 5000, what: 'a notification' });
    expect(shown[0]).toMatchObject({
      title: 'Rekey: 1 rotation overdue or due',
      body: 'matrix/db.password: rotation overdue by 1 day',
    });
    expect(JSON.stringify(shown)).not.toContain('Vb8Nc3Wd6Hf1Jg5Ks0PaZq7Lm2Xv9Rt4');
    shown[0]?.clicks.forEach((listener) => listener());
    expect(clicked()).toBe(1);

    expect(await reminders.check()).toBe(0);
    advance(DAY);
    expect(await reminders.check()).toBe(1);
    reminders.stop();
  });

  it('does not repeat reminders after a restart the same day (the log is on disk)', async () => {
    const { app, shown, reminders, dir } = await setUp();
    await ok(app, 'vault.unlock', { password: PASSWORD });
    await waitUntil(() => shown.length === 1, { timeoutMs: 5000, what: 'a notification' });
    reminders.stop();
    const { FakeNotification, shown: again } = fakeNotificationClass();
    const restarted = startReminders({
      app,
      Notification: FakeNotification,
      store: new ShownStore(join(dir, 'reminders.json')),
    });
    expect(await restarted.check()).toBe(0);
    expect(again).toEqual([]);
    restarted.stop();
  });

  it('stays silent when locked, turned off, snoozed or unsupported', async () => {
    const { app, shown, reminders } = await setUp();
    expect(await reminders.check()).toBe(0);
    await ok(app, 'preferences.update', { notifications: false });
    await ok(app, 'vault.unlock', { password: PASSWORD });
    expect(await reminders.check()).toBe(0);
    await ok(app, 'preferences.update', { notifications: true });
    await ok(app, 'secrets.snooze', { ref: 'matrix/db.password', days: 2, reason: 'release' });
    expect(await reminders.check()).toBe(0);
    expect(shown).toEqual([]);
    reminders.stop();

    const unsupported = await setUp(false);
    await ok(unsupported.app, 'vault.unlock', { password: PASSWORD });
    expect(await unsupported.reminders.check()).toBe(0);
    unsupported.reminders.stop();
  });
});
