import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import type { ClipboardPort } from '../../src/main/app/clipboard';
import type { AppOptions } from '../../src/main/app/session';
import type { AppEvent } from '../../src/shared/methods';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/** A clipboard with a memory: Electron's cannot run here, and the guard only reads and writes text. */
function memoryClipboard(): ClipboardPort & { text: string } {
  return {
    text: '',
    writeText(text) {
      this.text = text;
    },
    readText() {
      return this.text;
    },
    clear() {
      this.text = '';
    },
  };
}

async function ok<T>(
  promise: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>,
): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('desktop session', () => {
  const tempDir = useTempDirs();
  afterEach(() => {
    vi.useRealTimers();
  });

  async function appWith(
    options: Partial<AppOptions>,
  ): Promise<{ app: RekeyApp; events: AppEvent[] }> {
    const dir = tempDir();
    const app = createApp({
      vaultPath: join(dir, 'vault.rekey'),
      source: 'desktop',
      preferencesPath: join(dir, 'preferences.json'),
      ...options,
    });
    await app.start();
    const events: AppEvent[] = [];
    app.onEvent((event) => events.push(event));
    await ok(app.call('vault.create', { password: PASSWORD, kdf: FAST_KDF }));
    await ok(
      app.call('secrets.add', {
        ref: 'd/s',
        value: { kind: 'enter', value: 'copy-me-0123456789abcdef' },
      }),
    );
    return { app, events };
  }

  it('copies in the main process and clears only what it copied', async () => {
    const clipboard = memoryClipboard();
    const { app } = await appWith({ clipboard });
    await ok(app.call('preferences.update', { clipboardClearSeconds: 5 }));
    vi.useFakeTimers();
    const copied = await ok(app.call('secrets.copy', { ref: 'd/s' }));
    expect(copied).toMatchObject({ by: 'main', clearAfterSeconds: 5 });
    expect('value' in copied).toBe(false);
    expect(clipboard.text).toBe('copy-me-0123456789abcdef');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(clipboard.text).toBe('');

    await ok(app.call('secrets.copy', { ref: 'd/s' }));
    clipboard.text = 'something the user copied since';
    await vi.advanceTimersByTimeAsync(5_000);
    expect(clipboard.text).toBe('something the user copied since');

    await ok(app.call('secrets.copy', { ref: 'd/s' }));
    await ok(app.call('vault.lock', {}));
    await vi.advanceTimersByTimeAsync(0);
    expect(clipboard.text).toBe('');
    vi.useRealTimers();
    await ok(app.call('vault.unlock', { password: PASSWORD }));
    const history = await ok(app.call('history.list', { kinds: ['secret.copied'] }));
    expect(history).toHaveLength(3);
  });

  it('hands the value to the renderer when the process has no clipboard', async () => {
    const { app } = await appWith({});
    expect(await ok(app.call('secrets.copy', { ref: 'd/s' }))).toMatchObject({
      by: 'renderer',
      value: 'copy-me-0123456789abcdef',
    });
  });

  it('locks after the idle time, and activity postpones it', async () => {
    const { app, events } = await appWith({ idleLock: true });
    await ok(app.call('preferences.update', { autoLockMinutes: 2 }));
    vi.useFakeTimers();
    await ok(app.call('secrets.list', {}));
    await vi.advanceTimersByTimeAsync(90_000);
    await ok(app.call('secrets.list', {}));
    await vi.advanceTimersByTimeAsync(90_000);
    expect(app.session.vault).not.toBeNull();
    await vi.advanceTimersByTimeAsync(31_000);
    expect(app.session.vault).toBeNull();
    expect(events.at(-1)).toEqual({ type: 'vault.locked', reason: 'idle' });
    expect(await app.call('secrets.list', {})).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
  });

  it('keeps preferences and the last vault path across starts, and survives a broken file', async () => {
    const dir = tempDir();
    const preferencesPath = join(dir, 'preferences.json');
    const first = createApp(
      { vaultPath: join(dir, 'a.rekey'), source: 'browser', preferencesPath },
      false,
    );
    await first.start();
    await ok(first.call('preferences.update', { theme: 'dark', revealSeconds: 10 }));
    await ok(first.call('vault.setPath', { path: join(dir, 'b.rekey') }));
    const second = createApp(
      { vaultPath: join(dir, 'a.rekey'), source: 'browser', preferencesPath },
      false,
    );
    await second.start();
    expect(await ok(second.call('preferences.get', {}))).toMatchObject({
      theme: 'dark',
      revealSeconds: 10,
      autoLockMinutes: 5,
    });
    expect((await ok(second.call('vault.status', {}))).path).toBe(join(dir, 'b.rekey'));
    writeFileSync(preferencesPath, '{ broken');
    const third = createApp(
      { vaultPath: join(dir, 'a.rekey'), source: 'browser', preferencesPath },
      false,
    );
    await third.start();
    expect(await ok(third.call('preferences.get', {}))).toMatchObject({ theme: 'system' });
    expect(await third.call('preferences.update', { revealSeconds: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('summarises the dashboard and exports the history as CSV without values', async () => {
    const { app } = await appWith({});
    await ok(
      app.call('secrets.add', {
        ref: 'other/p',
        metadata: { policy: { kind: 'interval', days: 90 } },
      }),
    );
    const dashboard = await ok(app.call('dashboard.summary', {}));
    expect(dashboard.counts).toMatchObject({ secrets: 2, deployments: 2, noPolicy: 1 });
    expect(dashboard.rotationByDeployment.map((r) => [r.deployment, r.ok, r.noPolicy])).toEqual([
      ['d', 0, 1],
      ['other', 1, 0],
    ]);
    expect(dashboard.latestEvents[0]?.kind).toBe('version.added');
    const csv = await ok(app.call('history.export', { filter: {}, format: 'csv' }));
    expect(csv.content.split('\r\n')[0]).toBe('seq,time_utc,source,kind,secret,summary,hash');
    expect(csv.content).not.toContain('copy-me-0123456789abcdef');
    const json = await ok(app.call('history.export', { filter: { ref: 'd/s' }, format: 'json' }));
    expect((JSON.parse(json.content) as unknown[]).length).toBe(2);
  });
});
