import { z } from 'zod';

/**
 * What a user confirms before a rotation starts. The standard items follow SyncTV's
 * pre-rotation checklist, which holds for any service; a playbook picks those that apply and
 * each secret may add its own.
 */

export const STANDARD_CHECKLIST = {
  backup: 'A backup of the database, the config files and the current secrets is taken.',
  'blast-radius': 'I know what this secret protects and what stops working while it changes.',
  validated: 'The rotation was tried in a test environment like production.',
  rollback: 'Rollback is ready: the old value, the old config and the database backup.',
  'notify-users': 'Users who will have to log in again or reconnect have been told.',
  'quiet-window': 'This is a quiet time, and someone watches the service afterwards.',
} as const;

export type StandardItem = keyof typeof STANDARD_CHECKLIST;
const STANDARD_IDS = Object.keys(STANDARD_CHECKLIST) as [StandardItem, ...StandardItem[]];

const ITEM_ID = /^[a-z][a-z0-9-]{0,63}$/;

export const checklistItemSchema = z.union(
  [
    z.enum(STANDARD_IDS),
    z.strictObject({
      id: z.string().regex(ITEM_ID, 'checklist ids use lower-case letters, digits and "-"'),
      text: z.string().min(1).max(1000),
    }),
  ],
  `expected a standard item (${STANDARD_IDS.join(', ')}) or { id, text }`,
);

export type ChecklistItemInput = z.output<typeof checklistItemSchema>;

export interface ChecklistItem {
  id: string;
  text: string;
}

export const DEFAULT_CHECKLIST: readonly StandardItem[] = STANDARD_IDS;

export function checklistItem(item: ChecklistItemInput): ChecklistItem {
  return typeof item === 'string' ? { id: item, text: STANDARD_CHECKLIST[item] } : item;
}
