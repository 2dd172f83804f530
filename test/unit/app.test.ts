import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import type { MethodName } from '../../src/shared/api';
import { ok } from '../helpers/app';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

const DAY = 86_400_000;

describe('the API contract implemented once', () => {
  const tempDir = useTempDirs();
  let clock = Date.now();

  async function unlockedApp(): Promise<RekeyApp> {
    const app = createApp({
      vaultPath: join(tempDir(), 'vault.rekey'),
      source: 'desktop',
      now: () => new Date(clock),
    });
    await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    return app;
  }

  it('rejects input that does not fit the contract with a readable, coded error', async () => {
    const app = await unlockedApp();
    const bad = await app.call('secrets.add', { ref: 'no-slash' });
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringContaining('ref: expected a reference like deployment/name'),
      },
    });
    const extra = await app.call('secrets.list', { deployment: 'x', surprise: true });
    expect(extra.ok).toBe(false);
    const unknown = await app.call('nope.nothing' as MethodName, {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses work on a locked vault, and unlocks with the password only', async () => {
    const app = await unlockedApp();
    await ok(app, 'vault.lock', {});
    expect(await app.call('secrets.list', {})).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
    expect(await app.call('vault.unlock', { password: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSWORD' },
    });
    expect((await ok(app, 'vault.unlock', { password: PASSWORD })).state).toBe('unlocked');
  });

  it('lists and shows secrets without their values, and reveals one value on request', async () => {
    const app = await unlockedApp();
    await ok(app, 'secrets.add', {
      ref: 'synctv/jwt.secret',
      value: { kind: 'enter', value: 'Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTAxMjM0NTY=' },
    });
    await ok(app, 'secrets.add', {
      ref: 'synctv/cluster',
      value: { kind: 'generate', spec: { kind: 'hex', length: 32 } },
    });
    const listed = JSON.stringify(await ok(app, 'secrets.list', {}));
    const shown = JSON.stringify(await ok(app, 'secrets.get', { ref: 'synctv/jwt.secret' }));
    for (const text of [listed, shown]) expect(text).not.toContain('Zm9vYmFyYmF6cXV4');
    const revealed = await ok(app, 'secrets.reveal', { ref: 'synctv/jwt.secret' });
    expect(revealed.value).toBe('Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTAxMjM0NTY=');
    const history = await ok(app, 'history.list', { ref: 'synctv/jwt.secret', limit: 1 });
    expect(history[0]).toMatchObject({ kind: 'secret.revealed', source: 'desktop' });
    const cluster = await ok(app, 'secrets.get', { ref: 'synctv/cluster' });
    expect(cluster.metadata.generator).toEqual({ kind: 'hex', length: 32 });
    expect(cluster.versions[0]).toMatchObject({
      origin: 'generated',
      labels: ['current'],
      strength: { rating: 'strong', bits: 256 },
    });
  });

  it('keeps values out of summaries and error messages, whatever the user typed where', async () => {
    const app = await unlockedApp();
    const value = 'leaky-value-0123456789';
    await ok(app, 'secrets.add', { ref: 'd/first', value: { kind: 'enter', value } });
    await ok(app, 'secrets.add', { ref: `d/${value}`, value: { kind: 'generate' } });
    const missing = await app.call('secrets.get', { ref: `d/${value}-x` });
    expect(JSON.stringify(missing)).not.toContain(value);
    expect(JSON.stringify(missing)).toContain('[redacted fp:');
    const history = JSON.stringify(await ok(app, 'history.list', {}));
    expect(history).not.toContain(value);
  });

  it('moves labels: current -> previous, and reports rotation status from the policy', async () => {
    const app = await unlockedApp();
    await ok(app, 'secrets.add', {
      ref: 'd/s',
      metadata: { policy: { kind: 'interval', days: 30 } },
    });
    await ok(app, 'secrets.setValue', { ref: 'd/s', value: { kind: 'generate' } });
    const detail = await ok(app, 'secrets.get', { ref: 'd/s' });
    expect(detail.versions.map((v) => v.labels)).toEqual([['current'], ['previous']]);
    expect(detail.rotation).toBe('ok');
    clock += 20 * DAY;
    expect((await ok(app, 'secrets.list', { due: true })).map((s) => s.rotation)).toEqual(['due']);
    clock += 11 * DAY;
    expect((await ok(app, 'secrets.get', { ref: 'd/s' })).rotation).toBe('overdue');
    clock = Date.now();
  });

  it('imports a .env atomically and never overwrites a different value silently', async () => {
    const app = await unlockedApp();
    const env =
      'POSTGRES_PASSWORD=pg-0123456789abcdef\nPORT=5432\nLIVEKIT_SECRET="lk 0123456789 abcdef"\n';
    const dry = await ok(app, 'secrets.importEnv', {
      deployment: 'stack',
      content: env,
      from: '.env',
      dryRun: true,
    });
    expect(dry.added).toEqual(['stack/POSTGRES_PASSWORD', 'stack/LIVEKIT_SECRET']);
    expect(await ok(app, 'secrets.list', {})).toEqual([]);
    await ok(app, 'secrets.importEnv', { deployment: 'stack', content: env, from: '.env' });
    const changed = env.replace('pg-0123456789abcdef', 'pg-changed-0123456789');
    const skipped = await ok(app, 'secrets.importEnv', {
      deployment: 'stack',
      content: changed,
      from: '.env',
    });
    expect(skipped.skipped).toContainEqual({
      key: 'POSTGRES_PASSWORD',
      reason: 'exists with a different value',
    });
    expect(skipped.unchanged).toEqual(['stack/LIVEKIT_SECRET']);
    expect((await ok(app, 'secrets.reveal', { ref: 'stack/POSTGRES_PASSWORD' })).value).toBe(
      'pg-0123456789abcdef',
    );
    const updated = await ok(app, 'secrets.importEnv', {
      deployment: 'stack',
      content: changed,
      from: '.env',
      onExisting: 'new-version',
    });
    expect(updated.updated).toEqual(['stack/POSTGRES_PASSWORD']);
    expect(
      (await ok(app, 'secrets.reveal', { ref: 'stack/POSTGRES_PASSWORD', version: 'previous' }))
        .value,
    ).toBe('pg-0123456789abcdef');
  });

  it('verifies the history it wrote', async () => {
    const app = await unlockedApp();
    await ok(app, 'secrets.add', { ref: 'd/s' });
    const report = await ok(app, 'history.verify', {});
    expect(report).toMatchObject({ ok: true, problems: [], events: 4 });
  });
});
