import { ageInDays } from '../app/views';
import { isGuarded } from '../health/guarded';
import { daysLeft, lastSecretsBackup } from '../health/schedule-rules';
import { activeSnooze } from '../vault/health-events';
import { type VaultState, refOf } from '../vault/state';

/**
 * What is due now, for reminders (desktop notifications, `rekey due`): rotations overdue or
 * due within `daysAhead`, and deployments whose backup is due. Snoozed secrets are left out
 * until their snooze ends. A deployment's backup is due when it holds a guarded secret (only
 * a backup brings one back) or was backed up before (the user relies on bundles) and its
 * newest bundle with secrets is older than `backupDays`: a vault that never uses bundles is
 * not reminded every day of something its owner does elsewhere.
 */

export type ReminderKind = 'rotation-overdue' | 'rotation-due' | 'backup-due';

export interface ReminderItem {
  /** Identifies the thing and its state: notified at most once a day. */
  key: string;
  kind: ReminderKind;
  /** A secret ref, or a deployment name for backups. */
  subject: string;
  /** Rotations: days to the deadline (<= 0 overdue). Backups: days since the last (null never). */
  days: number | null;
}

export interface ReminderSettings {
  daysAhead: number;
  backupDays: number;
}

export function reminderItems(
  state: Readonly<VaultState>,
  now: Date,
  settings: ReminderSettings,
): ReminderItem[] {
  const items: ReminderItem[] = [];
  const guardedDeployments = new Set<string>();
  for (const secret of state.secrets.values()) {
    if (isGuarded(state, secret)) guardedDeployments.add(secret.deployment);
    if (activeSnooze(secret, now)) continue;
    const left = daysLeft(secret, now);
    if (left === null || left > settings.daysAhead) continue;
    const kind = left <= 0 ? 'rotation-overdue' : 'rotation-due';
    const ref = refOf(secret);
    items.push({ key: `${kind}:${ref}`, kind, subject: ref, days: left });
  }
  const deployments = new Set([...state.secrets.values()].map((secret) => secret.deployment));
  for (const deployment of [...deployments].sort()) {
    const backedUpBefore = state.backups.some((backup) => backup.deployment === deployment);
    if (!guardedDeployments.has(deployment) && !backedUpBefore) continue;
    const last = lastSecretsBackup(state.backups, deployment);
    const age = last ? ageInDays(last.createdAt, now) : null;
    if (age !== null && age <= settings.backupDays) continue;
    items.push({
      key: `backup-due:${deployment}`,
      kind: 'backup-due',
      subject: deployment,
      days: age,
    });
  }
  return items.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      (a.days ?? -1e9) - (b.days ?? -1e9) ||
      a.subject.localeCompare(b.subject),
  );
}

const KIND_ORDER: readonly ReminderKind[] = ['rotation-overdue', 'backup-due', 'rotation-due'];

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

export function describeItem(item: ReminderItem): string {
  switch (item.kind) {
    case 'rotation-overdue':
      return item.days === 0
        ? `${item.subject}: rotation due today`
        : `${item.subject}: rotation overdue by ${days(-(item.days ?? 0))}`;
    case 'rotation-due':
      return `${item.subject}: rotation due in ${days(item.days ?? 0)}`;
    case 'backup-due':
      return item.days === null
        ? `${item.subject}: never backed up`
        : `${item.subject}: last backup ${days(item.days)} ago`;
  }
}
