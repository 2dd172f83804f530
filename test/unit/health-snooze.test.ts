import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { verifyHistory } from '../../src/main/history/verify';
import { ok } from '../helpers/app';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD, openVault } from '../helpers/vault';

/**
 * Snoozing through the contract and the vault: an event in the history, the secret's summary
 * and the health report showing it, reminders leaving it out, the snooze surviving reopening
 * and compaction (the snapshot keeps it, and `history verify` still agrees with replaying).
 */

const tempDir = useTempDirs();
const DAY = 24 * 60 * 60 * 1000;

async function newApp(dir: string, now: () => Date): Promise<RekeyApp> {
  const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'cli', now });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  return app;
}

describe('snooze', () => {
  it('marks a due secret snoozed until the snooze ends, and records it', async () => {
    const dir = tempDir();
    let now = new Date('2026-01-01T00:00:00Z');
    const app = await newApp(dir, () => now);
    await ok(app, 'secrets.add', {
      ref: 'app/token',
      metadata: { policy: { kind: 'interval', days: 30 } },
    });
    now = new Date(now.getTime() + 40 * DAY);
    const due = await ok(app, 'health.report', {});
    expect(due.findings.map((f) => [f.kind, f.snoozed])).toEqual([['overdue', null]]);

    const snoozed = await ok(app, 'secrets.snooze', {
      ref: 'app/token',
      days: 7,
      reason: 'after the release',
    });
    const until = new Date(now.getTime() + 7 * DAY).toISOString();
    expect(snoozed.snooze).toEqual({ until, reason: 'after the release' });
    const report = await ok(app, 'health.report', {});
    expect(report.findings[0]?.snoozed).toEqual({ until, reason: 'after the release' });
    const history = await ok(app, 'history.list', { kinds: ['secret.snoozed'] });
    expect(history.map((event) => event.summary)).toEqual([
      'Reminders for app/token snoozed for 7 days: after the release',
    ]);

    // Compaction writes a snapshot: the snooze survives it, and the chain still verifies.
    await ok(app, 'vault.compact', {});
    await ok(app, 'vault.lock', {});
    const opened = await openVault(join(dir, 'vault.rekey'));
    const secret = [...opened.state.secrets.values()][0];
    expect(secret?.snooze).toMatchObject({ until, reason: 'after the release' });
    expect(
      verifyHistory(opened.vaultIdBytes, opened.eventBlocks, opened.state, opened.recordCount).ok,
    ).toBe(true);
    opened.close();

    await ok(app, 'vault.unlock', { password: PASSWORD });
    now = new Date(now.getTime() + 8 * DAY);
    expect((await ok(app, 'secrets.get', { ref: 'app/token' })).snooze).toBeUndefined();
    expect((await ok(app, 'health.report', {})).findings[0]?.snoozed).toBeNull();
  });

  it('clears a snooze, and refuses contradicting or empty requests', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const app = await newApp(tempDir(), () => now);
    await ok(app, 'secrets.add', { ref: 'app/token' });
    const refused = await app.call('secrets.snooze', { ref: 'app/token', clear: true });
    expect(refused.ok ? null : refused.error.code).toBe('NOT_FOUND');
    const both = await app.call('secrets.snooze', { ref: 'app/token', days: 3, clear: true });
    expect(both.ok ? null : both.error.code).toBe('INVALID_INPUT');
    await ok(app, 'secrets.snooze', { ref: 'app/token', days: 3 });
    const cleared = await ok(app, 'secrets.snooze', { ref: 'app/token', clear: true });
    expect(cleared.snooze).toBeUndefined();
    const kinds = (await ok(app, 'history.list', { kinds: ['secret.snoozed'] })).map(
      (e) => e.summary,
    );
    expect(kinds).toContain('Reminders for app/token no longer snoozed');
  });

  it('refuses to tighten a file that is not a target of a secret', async () => {
    const app = await newApp(tempDir(), () => new Date());
    const result = await app.call('health.fix', {
      action: 'tighten-mode',
      host: 'local',
      path: '/etc/passwd',
    });
    expect(result.ok ? null : result.error.code).toBe('INVALID_INPUT');
  });

  it('exports the report as Markdown without any value', async () => {
    const app = await newApp(tempDir(), () => new Date('2026-01-01T00:00:00Z'));
    await ok(app, 'secrets.add', {
      ref: 'app/db.password',
      value: { kind: 'enter', value: 'changeme' },
    });
    await ok(app, 'secrets.add', {
      ref: 'app/shared-a',
      value: { kind: 'enter', value: 'Zq7Lm2Xv9Rt4Yb8Nc3Wd6Hf1Jg5Ks0Pa' },
    });
    await ok(app, 'secrets.add', {
      ref: 'app/shared-b',
      value: { kind: 'enter', value: 'Zq7Lm2Xv9Rt4Yb8Nc3Wd6Hf1Jg5Ks0Pa' },
    });
    const report = await ok(app, 'health.report', {});
    const exported = await ok(app, 'health.export', { report });
    expect(exported.fileName).toBe('rekey-health-2026-01-01.md');
    expect(exported.content).toContain('## Secret app/db.password');
    expect(exported.content).toContain('[critical] Upstream default value (Synapse)');
    expect(exported.content).toContain('Same value as app/shared-b');
    expect(exported.content).not.toContain('Zq7Lm2Xv9Rt4Yb8Nc3Wd6Hf1Jg5Ks0Pa');
    expect(exported.content).not.toContain('changeme');
  });
});
