import { type ReminderItem, describeItem } from './due-items';

/**
 * Which desktop notifications to show now: each due thing at most once a day (a thing that
 * turns from due to overdue is a new thing), and no more than a few at once: beyond that,
 * one notification sums them up. Pure: the caller keeps the log of what was shown.
 */

/** Item key -> the day (UTC, YYYY-MM-DD) it was last shown. */
export type ShownLog = Record<string, string>;

export interface ReminderNotification {
  title: string;
  body: string;
  keys: string[];
}

export const MAX_SEPARATE = 3;

export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function selectNotifications(
  items: readonly ReminderItem[],
  shown: Readonly<ShownLog>,
  now: Date,
): { notifications: ReminderNotification[]; shown: ShownLog } {
  const today = dayOf(now);
  const fresh = items.filter((item) => shown[item.key] !== today);
  // Forget earlier days: the log stays as small as one day's reminders.
  const log: ShownLog = Object.fromEntries(
    Object.entries(shown).filter(([, day]) => day === today),
  );
  for (const item of fresh) log[item.key] = today;
  if (fresh.length === 0) return { notifications: [], shown: log };
  if (fresh.length <= MAX_SEPARATE) {
    return {
      notifications: fresh.map((item) => ({
        title: titleOf([item]),
        body: describeItem(item),
        keys: [item.key],
      })),
      shown: log,
    };
  }
  const lines = fresh.slice(0, MAX_SEPARATE).map(describeItem);
  const more = fresh.length - MAX_SEPARATE;
  return {
    notifications: [
      {
        title: titleOf(fresh),
        body: [...lines, `and ${more} more: see Health in Rekey`].join('\n'),
        keys: fresh.map((item) => item.key),
      },
    ],
    shown: log,
  };
}

function titleOf(items: readonly ReminderItem[]): string {
  const rotations = items.filter((item) => item.kind !== 'backup-due').length;
  const backups = items.length - rotations;
  const parts = [
    rotations > 0 ? `${rotations} rotation${rotations === 1 ? '' : 's'}` : '',
    backups > 0 ? `${backups} backup${backups === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  const overdue = items.some((item) => item.kind === 'rotation-overdue');
  return `Rekey: ${parts.join(' and ')} ${overdue ? 'overdue or due' : 'due'}`;
}
