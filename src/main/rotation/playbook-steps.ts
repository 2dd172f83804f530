import { z } from 'zod';
import type { PlaybookStepKind } from '../../shared/api';
import {
  pgConnectionSchema,
  targetIdSchema,
  verifyCheckSchema,
  watchCheckSchema,
} from './playbook-checks';
import {
  argvSchema,
  envSchema,
  plainTemplate,
  portTemplate,
  secondsSchema,
  secretTemplate,
} from './playbook-text';
import { usesSecret } from './templates';

/**
 * The steps of a secret's rotation procedure, in the order the engine runs them. Every step
 * that changes something remote is undone in reverse order when a later one fails.
 */

const common = { title: plainTemplate.optional() };
/** Run on the host of this target; the secret's first target's host when not given. */
const on = { on: targetIdSchema.optional() };

/** Draws the new value from the secret's generator and stores it as `pending` in the vault. */
const generateStep = z.strictObject({ kind: z.literal('generate'), ...common });

/** Writes the new value into these targets (backup first, atomic replace). */
const writeStep = z.strictObject({
  kind: z.literal('write'),
  targets: z.array(targetIdSchema).min(1, 'name at least one target'),
  ...common,
});

const execStep = z.strictObject({
  kind: z.literal('exec'),
  argv: argvSchema,
  /** Run when the rotation rolls back past this step, e.g. start what it stopped. */
  undo: argvSchema.optional(),
  stdin: secretTemplate.optional(),
  env: envSchema.optional(),
  cwd: plainTemplate.optional(),
  timeout_seconds: secondsSchema(86_400).default(300),
  exit_code: z.number().int().min(0).max(255).default(0),
  ...on,
  ...common,
});

/**
 * `ALTER ROLE role WITH PASSWORD ...` through psql, the statement on stdin; undone with the
 * old value. The admin logs in by the host's own means (peer, ~/.pgpass, PGPASSFILE).
 */
const sqlStep = z.strictObject({
  kind: z.literal('sql'),
  role: plainTemplate,
  connection: pgConnectionSchema.default({}),
  via: argvSchema.optional(),
  ...on,
  ...common,
});

/**
 * Redis ACL passwords, in two steps so both values are valid while services switch:
 * `add-password` (`ACL SETUSER user on >new`) before the writes and restarts,
 * `remove-old-password` (`ACL SETUSER user <old`) once the new value is verified. `persist`
 * keeps the change over a Redis restart: ACL SAVE with an aclfile, CONFIG REWRITE without
 * (`auto` asks Redis which applies).
 */
const redisStep = z.strictObject({
  kind: z.literal('redis'),
  action: z.enum(['add-password', 'remove-old-password']),
  user: plainTemplate.default('default'),
  connection: z
    .strictObject({ host: plainTemplate.optional(), port: portTemplate.optional() })
    .default({}),
  via: argvSchema.optional(),
  persist: z.enum(['auto', 'config-rewrite', 'acl-save', 'none']).default('auto'),
  ...on,
  ...common,
});

/**
 * docker compose services restart one after the other, in the order given. `recreate`
 * (`up -d --force-recreate --no-deps`) is needed when a service takes the value from its
 * environment: `docker compose restart` keeps a container's old environment.
 */
const composeRestart = z.strictObject({
  kind: z.literal('restart'),
  via: z.literal('compose'),
  project_dir: plainTemplate,
  services: z.array(plainTemplate).min(1, 'name at least one service'),
  recreate: z.boolean().default(false),
  ...on,
  ...common,
});

const systemdRestart = z.strictObject({
  kind: z.literal('restart'),
  via: z.literal('systemd'),
  unit: plainTemplate,
  ...on,
  ...common,
});

const commandRestart = z.strictObject({
  kind: z.literal('restart'),
  via: z.literal('command'),
  argv: argvSchema,
  stdin: secretTemplate.optional(),
  env: envSchema.optional(),
  cwd: plainTemplate.optional(),
  timeout_seconds: secondsSchema(3600).default(300),
  ...on,
  ...common,
});

/**
 * Kubernetes workloads on the step's cluster, restarted like `kubectl rollout restart`, one
 * after the other: each rollout must finish (within `timeout_seconds`) before the next starts,
 * so a broken new value stops the run before it reaches every workload.
 */
const kubernetesRestart = z.strictObject({
  kind: z.literal('restart'),
  via: z.literal('kubernetes'),
  workloads: z
    .array(
      z.strictObject({
        kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
        name: plainTemplate,
        /** The cluster's namespace when not given. */
        namespace: plainTemplate.optional(),
      }),
    )
    .min(1, 'name at least one workload')
    .max(64),
  timeout_seconds: secondsSchema(3600).default(300),
  ...on,
  ...common,
});

const restartStep = z.discriminatedUnion('via', [
  composeRestart,
  systemdRestart,
  commandRestart,
  kubernetesRestart,
]);

/** Runs the check until it passes or `within_seconds` have passed (services take time to start). */
const verifyStep = z.strictObject({
  kind: z.literal('verify'),
  check: verifyCheckSchema,
  within_seconds: secondsSchema(3600).default(60),
  ...common,
});

/** Repeats a check for `seconds`; more than `max_failures` failed rounds fail the run. */
const watchStep = z
  .strictObject({
    kind: z.literal('watch'),
    check: watchCheckSchema,
    seconds: secondsSchema(86_400),
    interval_seconds: secondsSchema(3600).default(10),
    max_failures: z.number().int().min(0).max(10_000).default(0),
    ...common,
  })
  .refine((step) => step.interval_seconds <= step.seconds, {
    message: 'interval_seconds must not be longer than seconds',
    path: ['interval_seconds'],
  });

/** A manual item the user ticks; the tick is recorded in the history. */
const confirmStep = z.strictObject({
  kind: z.literal('confirm'),
  text: plainTemplate,
  ...common,
});

/**
 * Re-encrypts data from the old value to the new one with a command the user provides, both
 * values in its environment (or stdin). Rolled back by running it again with the two swapped.
 */
const migrateStep = z
  .strictObject({
    kind: z.literal('migrate'),
    argv: argvSchema,
    env: envSchema,
    stdin: secretTemplate.optional(),
    cwd: plainTemplate.optional(),
    timeout_seconds: secondsSchema(86_400).default(3600),
    ...on,
    ...common,
  })
  .refine(
    (step) => {
      const given = [...Object.values(step.env), step.stdin ?? ''];
      return (
        given.some((text) => usesSecret(text, 'current')) &&
        given.some((text) => usesSecret(text, 'pending'))
      );
    },
    {
      message:
        'a migration needs the old and the new value: put ${secret.current} and ${secret.pending} in env',
      path: ['env'],
    },
  );

export const stepSchema = z.discriminatedUnion('kind', [
  generateStep,
  writeStep,
  execStep,
  sqlStep,
  redisStep,
  restartStep,
  verifyStep,
  watchStep,
  confirmStep,
  migrateStep,
]);

export type Step = z.output<typeof stepSchema>;
export type StepKind = Step['kind'];

// The contract lists the step kinds for the wizard; the schema must define exactly those.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const stepKindsMatchContract: Same<StepKind, PlaybookStepKind> = true;
void stepKindsMatchContract;
