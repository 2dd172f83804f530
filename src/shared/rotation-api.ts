import { z } from 'zod';

/**
 * The rotation part of the contract: plans, dry-run previews and runs as the wizard and the
 * CLI see them. Nothing here carries a value: diffs show `[new value]` and `[current value]`
 * where values would be.
 */

export const PLANNED_STEP_KINDS = [
  'generate',
  'write',
  'exec',
  'sql',
  'redis',
  'restart',
  'verify',
  'watch',
  'confirm',
  'migrate',
] as const;

export const RUN_STEP_STATES = [
  'waiting',
  'running',
  'done',
  'failed',
  'undoing',
  'undone',
  'undo-failed',
] as const;
export type RunStepState = (typeof RUN_STEP_STATES)[number];

/** `interrupted`: not finished and its process is gone; resume or roll back. */
export const RUN_STATUSES = [
  'running',
  'interrupted',
  'rotated',
  'rolled-back',
  'needs-attention',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const plannedStepViewSchema = z.strictObject({
  title: z.string(),
  kind: z.enum(PLANNED_STEP_KINDS),
  /** The host it acts on, null for steps that act on none (generate, confirm). */
  host: z.string().nullable(),
});

export const rotationPlanSchema = z.strictObject({
  deployment: z.string(),
  refs: z.array(z.string()),
  procedure: z.string(),
  steps: z.array(plannedStepViewSchema),
  checklist: z.array(z.strictObject({ id: z.string(), text: z.string() })),
  /** Secrets that refuse routine rotation, with the reason from their metadata. */
  guarded: z.array(z.strictObject({ ref: z.string(), reason: z.string() })),
  /** Impact if lost and rotation difficulty of each secret: the blast radius. */
  impact: z.array(z.strictObject({ ref: z.string(), impact: z.string(), difficulty: z.string() })),
  warnings: z.array(z.string()),
});
export type RotationPlan = z.infer<typeof rotationPlanSchema>;

export const targetPreviewSchema = z.strictObject({
  host: z.string(),
  path: z.string(),
  key: z.string(),
  /** Unified-diff lines of the change with the values replaced by placeholders. */
  diff: z.array(z.string()),
  /** Why there is no diff (file missing, host unreachable), or what else to know. */
  note: z.string().nullable(),
});

export const rotationPreviewSchema = z.strictObject({
  plan: rotationPlanSchema,
  targets: z.array(targetPreviewSchema),
});
export type RotationPreview = z.infer<typeof rotationPreviewSchema>;

export const runStepViewSchema = z.strictObject({
  index: z.number().int(),
  title: z.string(),
  kind: z.enum(PLANNED_STEP_KINDS),
  host: z.string().nullable(),
  state: z.enum(RUN_STEP_STATES),
  detail: z.string(),
  at: z.string().nullable(),
});
export type RunStepView = z.infer<typeof runStepViewSchema>;

export const rotationRunSchema = z.strictObject({
  id: z.string(),
  deployment: z.string(),
  refs: z.array(z.string()),
  procedure: z.string(),
  status: z.enum(RUN_STATUSES),
  /** `rollback` once the run has turned back. */
  direction: z.enum(['forward', 'rollback']),
  confirmed: z.array(z.string()),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** How it ended; for needs-attention, what to do by hand. Redacted. */
  detail: z.string(),
  steps: z.array(runStepViewSchema),
  /** Every transition in order, redacted: the run's log. */
  log: z.array(
    z.strictObject({
      index: z.number().int(),
      state: z.enum(RUN_STEP_STATES),
      detail: z.string(),
      at: z.string(),
    }),
  ),
  /** A confirm step waiting for the user's tick. */
  awaiting: z.strictObject({ index: z.number().int(), text: z.string() }).nullable(),
});
export type RotationRun = z.infer<typeof rotationRunSchema>;

export const runSummarySchema = rotationRunSchema.pick({
  id: true,
  deployment: true,
  refs: true,
  status: true,
  startedAt: true,
  finishedAt: true,
});
export type RunSummary = z.infer<typeof runSummarySchema>;
