import { z } from 'zod';
import { hostNameSchema } from '../../shared/model';
import type { EventOf } from './events';
import type { SecretRecord } from './state';

/**
 * Health and reminder events: a secret's reminders snoozed (or the snooze ended early), and a
 * fix Rekey applied on a host (a secret file's mode tightened), kept in the history.
 */

export const healthEventSchemas = [
  z.strictObject({
    kind: z.literal('secret.snoozed'),
    data: z.strictObject({
      secretId: z.string().min(1).max(64),
      /** null: the snooze was cleared. */
      until: z.iso.datetime().nullable(),
      reason: z.string().max(1000),
    }),
  }),
  z.strictObject({
    kind: z.literal('health.fixed'),
    data: z.strictObject({
      host: hostNameSchema,
      path: z.string().min(1).max(4096),
      /** Permission bits before and after, in octal (`644` -> `600`). */
      modeBefore: z.string().regex(/^[0-7]{3,4}$/),
      modeAfter: z.string().regex(/^[0-7]{3,4}$/),
    }),
  }),
] as const;

export interface SnoozeRecord {
  until: string;
  reason: string;
  at: string;
}

/** Applies a snooze to the secret it names; cleared snoozes leave `null`. */
export function applySnooze(
  secret: SecretRecord,
  event: EventOf<'secret.snoozed'> & { at: string },
): void {
  const { until, reason } = event.data;
  secret.snooze = until === null ? null : { until, reason, at: event.at };
}

/** The snooze in force at `now`, if any. */
export function activeSnooze(secret: SecretRecord, now: Date): SnoozeRecord | null {
  const snooze = secret.snooze;
  if (!snooze || Date.parse(snooze.until) <= now.getTime()) return null;
  return snooze;
}
