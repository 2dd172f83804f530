import type { Finding, HealthThresholds } from '../../shared/health-api';
import { ageInDays } from '../app/views';
import type { BackupRecord } from '../vault/backup-state';
import { activeSnooze } from '../vault/health-events';
import { type SecretRecord, currentVersion, refOf } from '../vault/state';
import { rotateAction, secretFinding } from './finding';

/**
 * Findings about time: a rotation deadline passed or near (the policy's interval against the
 * current version's age, as `rekey secret due` computes it), a value never rotated in a long
 * time, a guarded secret without a recent backup bundle of its deployment.
 */

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Days until the policy's deadline (negative: overdue); null when the policy sets none. */
export function daysLeft(secret: SecretRecord, now: Date): number | null {
  const { policy } = secret.metadata;
  if (policy.kind !== 'interval') return null;
  const current = currentVersion(secret);
  return current ? policy.days - ageInDays(current.createdAt, now) : 0;
}

export function scheduleFindings(
  secret: SecretRecord,
  now: Date,
  thresholds: HealthThresholds,
): Finding[] {
  const ref = refOf(secret);
  const snooze = activeSnooze(secret, now);
  const snoozed = snooze ? { until: snooze.until, reason: snooze.reason } : null;
  const findings: Finding[] = [];
  const left = daysLeft(secret, now);
  if (left !== null && left <= thresholds.dueDays) {
    const overdue = left <= 0;
    findings.push(
      secretFinding(
        overdue ? 'overdue' : 'due',
        overdue ? 'medium' : 'low',
        ref,
        {
          title: overdue
            ? left === 0
              ? 'Rotation due today'
              : `Rotation overdue by ${plural(-left, 'day')}`
            : `Rotation due in ${plural(left, 'day')}`,
          why: 'Its policy asks for a new value at this interval: the longer a value lives, the more places it may have leaked to.',
          fix: 'Rotate it (or snooze the reminder with a reason).',
        },
        { fixAction: rotateAction(ref), snoozed },
      ),
    );
  }
  const current = currentVersion(secret);
  const rotatable = secret.metadata.policy.kind !== 'manual';
  if (current && rotatable && left === null && secret.versions.length === 1) {
    const age = ageInDays(current.createdAt, now);
    if (age >= thresholds.neverRotatedDays) {
      findings.push(
        secretFinding(
          'never-rotated',
          'low',
          ref,
          {
            title: `Never rotated (value ${plural(age, 'day')} old)`,
            why: 'A value that never changed has had the longest time to leak, and its rotation has never been tried.',
            fix: 'Rotate it once (the wizard checks every target), and give it a rotation policy.',
          },
          { fixAction: rotateAction(ref), snoozed },
        ),
      );
    }
  }
  return findings;
}

/** The newest bundle of a deployment that holds its secrets and did not fail verification. */
export function lastSecretsBackup(
  backups: readonly BackupRecord[],
  deployment: string,
): BackupRecord | null {
  let latest: BackupRecord | null = null;
  for (const backup of backups) {
    if (backup.deployment !== deployment || backup.verified?.ok === false) continue;
    if (!backup.contents.some((entry) => entry.name === 'secrets.json')) continue;
    if (!latest || backup.createdAt > latest.createdAt) latest = backup;
  }
  return latest;
}

export function backupFinding(
  secret: SecretRecord,
  backups: readonly BackupRecord[],
  now: Date,
  backupDays: number,
): Finding | null {
  const last = lastSecretsBackup(backups, secret.deployment);
  const age = last ? ageInDays(last.createdAt, now) : null;
  if (age !== null && age <= backupDays) return null;
  return secretFinding('no-backup', 'high', refOf(secret), {
    title:
      age === null
        ? `Guarded secret never backed up`
        : `Guarded secret: last backup ${plural(age, 'day')} ago`,
    why: 'It must stay stable (rotating or losing it breaks stored data or identities): a backup is the only way back.',
    fix: `Make a backup bundle of ${secret.deployment} (rekey backup create ${secret.deployment} ...); wanted every ${backupDays} days.`,
  });
}
