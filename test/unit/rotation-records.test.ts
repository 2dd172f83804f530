import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { formatByName } from '../../src/main/formats/format';
import { ok } from '../helpers/app';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * A rotation's records are part of the vault's history: they survive compaction and a reopen,
 * and `history verify` replays them to the same state.
 */
describe('rotation records in the vault', () => {
  const tempDir = useTempDirs();

  it('keep the run through compaction and reopen, and the history verifies', async () => {
    const dir = tempDir();
    const file = join(dir, 'app.toml');
    writeFileSync(file, '# app\n[api]\ntoken = "old-token-value-0123456789"\n');
    const vaultPath = join(dir, 'vault.rekey');
    const app = createApp({ vaultPath, source: 'cli' });
    await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    await ok(app, 'secrets.add', {
      ref: 'app/api.token',
      value: { kind: 'enter', value: 'old-token-value-0123456789' },
      metadata: { targets: [{ host: 'local', path: file, format: 'toml', key: 'api.token' }] },
    });

    const plan = await ok(app, 'rotations.plan', { refs: ['app/api.token'] });
    expect(plan.procedure).toBe('targets');
    expect(plan.warnings.join(' ')).toMatch(/restarts nothing/);
    const preview = await ok(app, 'rotations.preview', { refs: ['app/api.token'] });
    expect(preview.targets[0]?.diff).toEqual([
      '@@ line 3 @@',
      ' [api]',
      '-token = "[current value]"',
      '+token = "[new value]"',
      ' ',
    ]);
    const run = await ok(app, 'rotations.start', {
      refs: ['app/api.token'],
      confirmed: plan.checklist.map((item) => item.id),
      wait: true,
    });
    expect(run.status).toBe('rotated');
    const current = (await ok(app, 'secrets.reveal', { ref: 'app/api.token' })).value;
    expect(formatByName('toml').get(readFileSync(file, 'utf8'), 'api.token')).toBe(current);

    await ok(app, 'vault.compact', {});
    await ok(app, 'vault.lock', {});
    const reopened = createApp({ vaultPath, source: 'cli' });
    await ok(reopened, 'vault.unlock', { password: PASSWORD });
    const again = await ok(reopened, 'rotations.get', { runId: run.id });
    expect({ ...again, awaiting: null }).toEqual({ ...run, awaiting: null });
    const verified = await ok(reopened, 'history.verify', {});
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
  });
});
