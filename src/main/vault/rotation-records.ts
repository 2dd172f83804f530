import { z } from 'zod';
import { deploymentNameSchema, innerTargetSchema, targetFormatSchema } from '../../shared/model';

/**
 * Rotation runs as the vault keeps them. A run's plan is stored whole when it starts, so that
 * after a crash the next Rekey to open the vault can resume or roll back exactly what was
 * started, even if the playbook changed meanwhile. Plans hold no values: secret placeholders
 * (`${secret.pending}`, `${secret.current}`) stay as written and are filled in when a step
 * runs, from the versions the vault holds.
 */

const id = z.string().min(1).max(64);
const text = z.string().max(8192);
const argv = z.array(text).min(1).max(256);
const env = z.record(z.string().max(256), text);
const host = z.string().min(1).max(128);

/**
 * Where one value lives: a key of a config file (or a whole secret file) on a host, or a key
 * of a Kubernetes Secret (format `kubernetes`, host a cluster, path `namespace/name` or `name`).
 */
export const plannedTargetSchema = z.strictObject({
  host,
  path: text,
  format: targetFormatSchema,
  /** Empty for a bare secret file. */
  key: text,
  /** Mode for a file the write creates, e.g. 0o600. */
  mode: z.number().int().min(0).max(0o7777).nullable(),
  /** Kubernetes only: the value sits inside the config file held in the Secret key. */
  inner: innerTargetSchema.optional(),
  /**
   * Kubernetes only: other keys of the same Secret made from the value, written in the same
   * update: key -> template whose `${secret.pending}` stands for the value the key holds.
   */
  derived: z.record(z.string().max(253), text).optional(),
});
export type PlannedTarget = z.infer<typeof plannedTargetSchema>;

const pgConnection = z.strictObject({
  host: text.optional(),
  port: text.optional(),
  database: text.optional(),
  user: text.optional(),
});

const httpCheck = z.strictObject({
  type: z.literal('http'),
  url: text,
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT']),
  headers: env.optional(),
  body: text.optional(),
  status: z.array(z.number().int()).min(1),
  bodyContains: text.optional(),
  /** Run on `host` (curl there) instead of from the machine running Rekey. */
  fromHost: z.boolean(),
  host,
});
const tcpCheck = z.strictObject({
  type: z.literal('tcp'),
  address: text,
  port: z.number().int().min(1).max(65535),
  fromHost: z.boolean(),
  host,
});
const commandCheck = z.strictObject({
  type: z.literal('command'),
  argv,
  stdin: text.optional(),
  env: env.optional(),
  cwd: text.optional(),
  exitCode: z.number().int(),
  stdoutContains: text.optional(),
  host,
});
const sqlLoginCheck = z.strictObject({
  type: z.literal('sql-login'),
  role: text,
  connection: pgConnection,
  via: argv.optional(),
  host,
});
const fingerprintCheck = z.strictObject({
  type: z.literal('fingerprint'),
  targets: z.array(plannedTargetSchema).min(1),
});
const probe = z.discriminatedUnion('type', [httpCheck, commandCheck, sqlLoginCheck]);
const oldRejectedCheck = z.strictObject({ type: z.literal('old-rejected'), probe });

export const plannedCheckSchema = z.discriminatedUnion('type', [
  httpCheck,
  tcpCheck,
  commandCheck,
  sqlLoginCheck,
  fingerprintCheck,
  oldRejectedCheck,
]);
export type PlannedCheck = z.infer<typeof plannedCheckSchema>;
export type PlannedProbe = z.infer<typeof probe>;

const command = {
  host,
  argv,
  stdin: text.optional(),
  env: env.optional(),
  cwd: text.optional(),
  timeoutMs: z.number().int().min(1),
};

/** One step of a run, bound to hosts and paths. `secretId` says whose values it may use. */
export const plannedActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('generate'), secretId: id }),
  z.strictObject({ kind: z.literal('write'), secretId: id, target: plannedTargetSchema }),
  z.strictObject({
    kind: z.literal('exec'),
    secretId: id,
    ...command,
    undo: argv.optional(),
    exitCode: z.number().int(),
  }),
  z.strictObject({
    kind: z.literal('sql'),
    secretId: id,
    host,
    role: text,
    connection: pgConnection,
    via: argv.optional(),
  }),
  z.strictObject({
    kind: z.literal('redis'),
    secretId: id,
    host,
    action: z.enum(['add-password', 'remove-old-password']),
    user: text,
    address: text.optional(),
    port: text.optional(),
    via: argv.optional(),
    persist: z.enum(['auto', 'config-rewrite', 'acl-save', 'none']),
  }),
  z.strictObject({
    kind: z.literal('restart'),
    secretId: id.nullable(),
    host,
    restart: z.discriminatedUnion('via', [
      z.strictObject({
        via: z.literal('compose'),
        projectDir: text,
        services: z.array(text).min(1),
        recreate: z.boolean(),
      }),
      z.strictObject({ via: z.literal('systemd'), unit: text }),
      z.strictObject({
        via: z.literal('command'),
        argv,
        stdin: text.optional(),
        env: env.optional(),
        cwd: text.optional(),
        timeoutMs: z.number().int().min(1),
      }),
      z.strictObject({
        via: z.literal('kubernetes'),
        /** Restarted in order, each rollout finished before the next starts. */
        workloads: z
          .array(
            z.strictObject({
              kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
              /** Null: the cluster's namespace, as the run finds it. */
              namespace: text.nullable(),
              name: text,
            }),
          )
          .min(1)
          .max(64),
        /** How long each rollout may take. */
        timeoutMs: z.number().int().min(1),
      }),
    ]),
  }),
  z.strictObject({
    kind: z.literal('verify'),
    secretId: id,
    check: plannedCheckSchema,
    withinMs: z.number().int().min(0),
  }),
  z.strictObject({
    kind: z.literal('watch'),
    secretId: id,
    check: plannedCheckSchema,
    durationMs: z.number().int().min(1),
    intervalMs: z.number().int().min(1),
    maxFailures: z.number().int().min(0),
  }),
  z.strictObject({ kind: z.literal('confirm'), secretId: id, text }),
  z.strictObject({ kind: z.literal('migrate'), secretId: id, ...command }),
]);
export type PlannedAction = z.infer<typeof plannedActionSchema>;
export type PlannedActionKind = PlannedAction['kind'];

export const plannedStepSchema = z.strictObject({
  /** One line for people: "Write jwt.secret into /srv/synctv/config.yaml on vps1". */
  title: text,
  action: plannedActionSchema,
});
export type PlannedStep = z.infer<typeof plannedStepSchema>;

export const STEP_STATES = [
  'running',
  'done',
  'failed',
  'undoing',
  'undone',
  'undo-failed',
] as const;
export const stepStateSchema = z.enum(STEP_STATES);
export type StepState = z.infer<typeof stepStateSchema>;

export const RUN_OUTCOMES = ['rotated', 'rolled-back', 'needs-attention'] as const;
export const runOutcomeSchema = z.enum(RUN_OUTCOMES);
export type RunOutcome = z.infer<typeof runOutcomeSchema>;

/** Who runs a run: a run whose process is gone was interrupted. */
export const runOwnerSchema = z.strictObject({ pid: z.number().int(), machine: text });

export const rotationStartedSchema = z.strictObject({
  runId: id,
  deployment: deploymentNameSchema,
  secretIds: z.array(id).min(1).max(200),
  /** Where the procedure came from, e.g. `playbook synctv` or `targets`. */
  procedure: text,
  steps: z.array(plannedStepSchema).min(1).max(2000),
  /** Checklist items the user confirmed before starting. */
  confirmed: z.array(text).max(200),
  owner: runOwnerSchema,
});

export const rotationStepSchema = z.strictObject({
  runId: id,
  index: z.number().int().min(0),
  state: stepStateSchema,
  /** Redacted: what happened, for the run's log and the history. */
  detail: text,
  /**
   * Where a write kept the file it replaced (null: the file did not exist); for a Kubernetes
   * Secret, `k8s:` and the resourceVersion Rekey wrote (see rotation/kube-actions.ts).
   */
  backupPath: text.nullable().optional(),
});

export const rotationFinishedSchema = z.strictObject({
  runId: id,
  outcome: runOutcomeSchema,
  /** Redacted; for needs-attention, exactly what to check and restore by hand. */
  detail: text,
});

export const rotationResumedSchema = z.strictObject({
  runId: id,
  owner: runOwnerSchema,
  /** `resume` goes on forward; `rollback` undoes what was done. */
  mode: z.enum(['resume', 'rollback']),
});
