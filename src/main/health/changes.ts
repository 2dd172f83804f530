import { RekeyError } from '../../shared/errors';
import { type SecretRecord, refOf } from '../vault/state';
import type { Transaction } from '../vault/transaction';

/** The vault changes of health and reminders, each one event with a summary for the history. */

const DAY_MS = 24 * 60 * 60 * 1000;

export function snoozeSecret(
  transaction: Transaction,
  secret: SecretRecord,
  days: number,
  reason: string,
): string {
  const until = new Date(transaction.now.getTime() + days * DAY_MS).toISOString();
  const ref = refOf(secret);
  const text = transaction.redact(reason);
  transaction.record(
    { kind: 'secret.snoozed', data: { secretId: secret.id, until, reason: text } },
    { ref, summary: `Reminders for ${ref} snoozed for ${days} days${text ? `: ${text}` : ''}` },
  );
  return until;
}

export function clearSnooze(transaction: Transaction, secret: SecretRecord): void {
  const ref = refOf(secret);
  if (!secret.snooze) throw new RekeyError('NOT_FOUND', `${ref} is not snoozed`);
  transaction.record(
    { kind: 'secret.snoozed', data: { secretId: secret.id, until: null, reason: '' } },
    { ref, summary: `Reminders for ${ref} no longer snoozed` },
  );
}

export function recordModeFix(
  transaction: Transaction,
  fix: { host: string; path: string; modeBefore: string; modeAfter: string },
): void {
  transaction.record(
    { kind: 'health.fixed', data: fix },
    {
      summary: `Health fix on ${fix.host}: ${fix.path} mode ${fix.modeBefore} -> ${fix.modeAfter}`,
    },
  );
}
