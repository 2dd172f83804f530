import { describe, expect, it } from 'vitest';
import { secretFindings } from '../../src/main/health/secret-findings';
import { NOW, addBackup, addSecret, daysAgo, fingerprint, newState } from '../helpers/health-state';

/** Findings about time: due, overdue (snoozed ones marked), never rotated, no backup. */

const thresholds = { dueDays: 14, backupDays: 7, neverRotatedDays: 365 };
const interval = (days: number) => ({ policy: { kind: 'interval' as const, days } });

function kindsOf(state: ReturnType<typeof newState>, t = thresholds) {
  return secretFindings(state, fingerprint, NOW, t).map((f) => [f.kind, f.severity, f.title]);
}

describe('rotation deadlines', () => {
  it('flags overdue (medium) and due within N days (low), as `secret due` computes them', () => {
    const state = newState();
    addSecret(state, 'a/overdue', { ageDays: 100, metadata: interval(90) });
    addSecret(state, 'a/today', { ageDays: 90, metadata: interval(90) });
    addSecret(state, 'a/soon', { ageDays: 80, metadata: interval(90) });
    addSecret(state, 'a/later', { ageDays: 10, metadata: interval(90) });
    expect(kindsOf(state)).toEqual([
      ['overdue', 'medium', 'Rotation overdue by 10 days'],
      ['overdue', 'medium', 'Rotation due today'],
      ['due', 'low', 'Rotation due in 10 days'],
    ]);
    expect(kindsOf(state, { ...thresholds, dueDays: 5 })).toHaveLength(2);
  });

  it('keeps a snoozed secret in the report, marked snoozed with its reason', () => {
    const state = newState();
    const secret = addSecret(state, 'a/overdue', { ageDays: 100, metadata: interval(90) });
    secret.snooze = {
      until: daysAgo(-3),
      reason: 'waiting for the maintenance window',
      at: daysAgo(1),
    };
    const [finding] = secretFindings(state, fingerprint, NOW, thresholds);
    expect(finding).toMatchObject({
      kind: 'overdue',
      snoozed: { until: daysAgo(-3), reason: 'waiting for the maintenance window' },
    });
    // An ended snooze no longer marks it.
    secret.snooze = { until: daysAgo(1), reason: 'old', at: daysAgo(10) };
    expect(secretFindings(state, fingerprint, NOW, thresholds)[0]?.snoozed).toBeNull();
  });

  it('reports a value never rotated for long, unless the secret is not to be rotated', () => {
    const state = newState();
    addSecret(state, 'a/ancient', { ageDays: 400 });
    addSecret(state, 'a/rotated', { ageDays: 400, versions: 2 });
    addSecret(state, 'a/young', { ageDays: 30 });
    addSecret(state, 'a/stable', { ageDays: 400, metadata: { policy: { kind: 'manual' } } });
    addBackup(state, 'a', 1);
    expect(kindsOf(state)).toEqual([
      ['never-rotated', 'low', 'Never rotated (value 400 days old)'],
    ]);
  });
});

describe('guarded secrets without a backup', () => {
  const guarded = { policy: { kind: 'manual' as const } };

  it('flags a guarded secret never backed up, or backed up too long ago', () => {
    const state = newState();
    addSecret(state, 'a/signing-key', { metadata: guarded });
    expect(kindsOf(state)).toEqual([['no-backup', 'high', 'Guarded secret never backed up']]);
    addBackup(state, 'a', 20);
    expect(kindsOf(state)).toEqual([
      ['no-backup', 'high', 'Guarded secret: last backup 20 days ago'],
    ]);
  });

  it('counts only bundles of its deployment that hold the secrets and did not fail', () => {
    const state = newState();
    addSecret(state, 'a/signing-key', { metadata: guarded });
    addBackup(state, 'b', 1);
    addBackup(state, 'a', 1, { secrets: false });
    addBackup(state, 'a', 2, { verifiedOk: false });
    expect(kindsOf(state).map(([kind]) => kind)).toEqual(['no-backup']);
    addBackup(state, 'a', 3, { verifiedOk: true });
    expect(kindsOf(state)).toEqual([]);
  });

  it('does not ask an unguarded secret for a backup', () => {
    const state = newState();
    addSecret(state, 'a/token');
    expect(kindsOf(state)).toEqual([]);
  });
});
