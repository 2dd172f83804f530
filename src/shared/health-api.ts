import { z } from 'zod';
import { hostNameSchema, secretRefSchema } from './model';

/**
 * The health part of the contract: findings about secrets (weak, reused, due, without a
 * backup...) and hosts (exposed ports, readable secret files, `.env` in a git work tree), the
 * one fix Rekey applies itself (tightening a file's mode), snoozing a secret's reminders and
 * the Markdown export. A finding never carries a value: reuse is found by keyed fingerprint.
 */

/** Most severe first; `rekey health --fail-on` counts findings at or above one of these. */
export const HEALTH_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type HealthSeverity = (typeof HEALTH_SEVERITIES)[number];

export const FINDING_KINDS = [
  'compromised',
  'default-value',
  'example-value',
  'placeholder',
  'weak',
  'reused',
  'reused-targets',
  'overdue',
  'due',
  'no-backup',
  'never-rotated',
  'exposed-port',
  'readable-file',
  'env-in-git',
  'host-unchecked',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** What Rekey can do about a finding: open the rotation wizard, or chmod 600 over SSH. */
export const fixActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rotate'), ref: z.string() }),
  z.strictObject({ kind: z.literal('tighten-mode'), host: z.string(), path: z.string() }),
]);
export type FixAction = z.infer<typeof fixActionSchema>;

export const findingSubjectSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('secret'), ref: z.string() }),
  z.strictObject({ type: z.literal('host'), name: z.string() }),
]);
export type FindingSubject = z.infer<typeof findingSubjectSchema>;

export const snoozeSchema = z.strictObject({ until: z.string(), reason: z.string() });
export type Snooze = z.infer<typeof snoozeSchema>;

export const findingSchema = z.strictObject({
  /** Stable across runs: `kind:subject[:detail]`. */
  id: z.string(),
  kind: z.enum(FINDING_KINDS),
  severity: z.enum(HEALTH_SEVERITIES),
  title: z.string(),
  why: z.string(),
  fix: z.string(),
  subject: findingSubjectSchema,
  fixAction: fixActionSchema.nullable(),
  /** A reminder finding (due, overdue, never rotated) of a snoozed secret: shown, not counted. */
  snoozed: snoozeSchema.nullable(),
});
export type Finding = z.infer<typeof findingSchema>;

export const hostCheckSchema = z.strictObject({
  host: z.string(),
  /** null when every check ran; else why the host could not be checked (or in part). */
  error: z.string().nullable(),
  filesChecked: z.number().int(),
  listeners: z.number().int(),
});
export type HostCheck = z.infer<typeof hostCheckSchema>;

export const healthThresholdsSchema = z.strictObject({
  /** Rotation deadlines at most this many days away count as due. */
  dueDays: z.number().int().min(0).max(3650),
  /** A guarded secret needs a backup bundle of its deployment at most this old. */
  backupDays: z.number().int().min(1).max(3650),
  /** A secret never rotated in this many days is reported (low severity). */
  neverRotatedDays: z.number().int().min(1).max(36500),
});
export type HealthThresholds = z.infer<typeof healthThresholdsSchema>;

export const healthReportSchema = z.strictObject({
  generatedAt: z.string(),
  thresholds: healthThresholdsSchema,
  secrets: z.number().int(),
  /** null: host checks were not asked for (they are opt-in: they connect over SSH). */
  hosts: z.array(hostCheckSchema).nullable(),
  findings: z.array(findingSchema),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

export const fixResultSchema = z.strictObject({
  host: z.string(),
  path: z.string(),
  modeBefore: z.string(),
  modeAfter: z.string(),
});
export type FixResult = z.infer<typeof fixResultSchema>;

export const reminderItemSchema = z.strictObject({
  key: z.string(),
  kind: z.enum(['rotation-overdue', 'rotation-due', 'backup-due']),
  /** A secret ref, or a deployment name for backups. */
  subject: z.string(),
  /** Rotations: days to the deadline (<= 0: overdue). Backups: days since the last (null: never). */
  days: z.number().int().nullable(),
  text: z.string(),
});
export type ReminderItemView = z.infer<typeof reminderItemSchema>;

export const healthMethods = {
  /** What reminders say now: rotations due (snoozed left out) and backups due. */
  due: z.strictObject({
    dueDays: z.number().int().min(0).max(3650).optional(),
    backupDays: z.number().int().min(1).max(3650).optional(),
  }),
  report: z.strictObject({
    /** Also check hosts over SSH (read-only): listeners, file modes, git work trees, examples. */
    hosts: z.boolean().default(false),
    /** Only these hosts (with `hosts`); all hosts with targets otherwise. */
    only: z.array(hostNameSchema).max(64).optional(),
    dueDays: z.number().int().min(0).max(3650).optional(),
    backupDays: z.number().int().min(1).max(3650).optional(),
  }),
  /** Tightens a secret file (a target of a secret on that host) to mode 600; recorded. */
  fix: z.strictObject({
    action: z.literal('tighten-mode'),
    host: hostNameSchema,
    path: z.string().min(1).max(4096),
  }),
  export: z.strictObject({ report: healthReportSchema }),
  /** Leaves a secret out of due reminders until `days` from now; `clear` ends a snooze. */
  snooze: z.strictObject({
    ref: secretRefSchema,
    days: z.number().int().min(1).max(3650).optional(),
    reason: z.string().trim().max(1000).default(''),
    clear: z.boolean().default(false),
  }),
};

export const SEVERITY_RANK: Record<HealthSeverity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};

/** Findings that count: at or above `severity`, snoozed ones left out. */
export function findingsAtOrAbove(
  findings: readonly Finding[],
  severity: HealthSeverity,
): Finding[] {
  return findings.filter(
    (finding) =>
      finding.snoozed === null && SEVERITY_RANK[finding.severity] <= SEVERITY_RANK[severity],
  );
}
