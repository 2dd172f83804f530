import { describe, expect, it } from 'vitest';
import { reminderItems } from '../../src/main/reminders/due-items';
import { MAX_SEPARATE, selectNotifications } from '../../src/main/reminders/select';
import { NOW, addBackup, addSecret, daysAgo, newState } from '../helpers/health-state';

/** Which reminders are due, and which notifications to show: pure, over in-memory states. */

const settings = { daysAhead: 14, backupDays: 7 };
const interval = (days: number) => ({ policy: { kind: 'interval' as const, days } });
const HOUR = 60 * 60 * 1000;

describe('reminder items', () => {
  it('lists overdue rotations, backups due and rotations due ahead, in that order', () => {
    const state = newState();
    addSecret(state, 'a/overdue', { ageDays: 95, metadata: interval(90) });
    addSecret(state, 'a/soon', { ageDays: 80, metadata: interval(90) });
    addSecret(state, 'a/later', { ageDays: 10, metadata: interval(90) });
    addSecret(state, 'a/none');
    addSecret(state, 'g/opaque', { metadata: { policy: { kind: 'manual' } } });
    expect(reminderItems(state, NOW, settings)).toEqual([
      {
        key: 'rotation-overdue:a/overdue',
        kind: 'rotation-overdue',
        subject: 'a/overdue',
        days: -5,
      },
      { key: 'backup-due:g', kind: 'backup-due', subject: 'g', days: null },
      { key: 'rotation-due:a/soon', kind: 'rotation-due', subject: 'a/soon', days: 10 },
    ]);
    expect(reminderItems(state, NOW, { ...settings, daysAhead: 5 })).toHaveLength(2);
  });

  it('leaves snoozed secrets out until the snooze ends', () => {
    const state = newState();
    const secret = addSecret(state, 'a/overdue', { ageDays: 95, metadata: interval(90) });
    secret.snooze = { until: daysAgo(-2), reason: 'after the release', at: daysAgo(1) };
    expect(reminderItems(state, NOW, settings)).toEqual([]);
    const later = new Date(NOW.getTime() + 3 * 24 * HOUR);
    expect(reminderItems(state, later, settings).map((item) => item.key)).toEqual([
      'rotation-overdue:a/overdue',
    ]);
  });

  it('asks for backups of deployments that use bundles or hold guarded secrets only', () => {
    const state = newState();
    addSecret(state, 'plain/token');
    addSecret(state, 'bundled/token');
    addBackup(state, 'bundled', 10);
    addSecret(state, 'fresh/token');
    addBackup(state, 'fresh', 2);
    expect(reminderItems(state, NOW, settings)).toEqual([
      { key: 'backup-due:bundled', kind: 'backup-due', subject: 'bundled', days: 10 },
    ]);
  });
});

describe('notifications', () => {
  const item = (n: number) => ({
    key: `rotation-due:a/s${n}`,
    kind: 'rotation-due' as const,
    subject: `a/s${n}`,
    days: n,
  });

  it('shows each thing at most once a day, again the next day', () => {
    const first = selectNotifications([item(1), item(2)], {}, NOW);
    expect(first.notifications.map((n) => n.body)).toEqual([
      'a/s1: rotation due in 1 day',
      'a/s2: rotation due in 2 days',
    ]);
    expect(first.notifications[0]?.title).toBe('Rekey: 1 rotation due');
    const again = selectNotifications(
      [item(1), item(2), item(3)],
      first.shown,
      new Date(NOW.getTime() + HOUR),
    );
    expect(again.notifications.map((n) => n.keys)).toEqual([['rotation-due:a/s3']]);
    const tomorrow = selectNotifications(
      [item(1)],
      again.shown,
      new Date(NOW.getTime() + 24 * HOUR),
    );
    expect(tomorrow.notifications).toHaveLength(1);
    // Yesterday's entries are forgotten: the log holds one day.
    expect(Object.keys(tomorrow.shown)).toEqual(['rotation-due:a/s1']);
  });

  it('treats due turning overdue as a new reminder', () => {
    const first = selectNotifications([item(1)], {}, NOW);
    const overdue = {
      ...item(1),
      key: 'rotation-overdue:a/s1',
      kind: 'rotation-overdue' as const,
      days: -1,
    };
    const next = selectNotifications([overdue], first.shown, NOW);
    expect(next.notifications.map((n) => [n.title, n.body])).toEqual([
      ['Rekey: 1 rotation overdue or due', 'a/s1: rotation overdue by 1 day'],
    ]);
  });

  it('sums many reminders up in one notification', () => {
    const items = Array.from({ length: MAX_SEPARATE + 2 }, (_, i) => item(i + 1));
    const { notifications } = selectNotifications(
      [...items, { key: 'backup-due:b', kind: 'backup-due', subject: 'b', days: null }],
      {},
      NOW,
    );
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.title).toBe('Rekey: 5 rotations and 1 backup due');
    expect(notifications[0]?.body.split('\n')).toHaveLength(MAX_SEPARATE + 1);
    expect(notifications[0]?.keys).toHaveLength(6);
  });

  it('shows nothing when nothing is due', () => {
    expect(selectNotifications([], { old: '2020-01-01' }, NOW)).toEqual({
      notifications: [],
      shown: {},
    });
  });
});
