import { z } from 'zod';
import {
  argvSchema,
  envSchema,
  plainTemplate,
  portTemplate,
  secretTemplate,
} from './playbook-text';

/**
 * The checks a `verify` or `watch` step runs after a change. Checks that send the new value
 * carry it as `${secret.pending}` in places a value may go (headers, body, stdin, env).
 */

export const TARGET_ID = /^[a-z][a-z0-9-]{0,63}$/;
export const targetIdSchema = z
  .string()
  .regex(TARGET_ID, 'target ids use lower-case letters, digits and "-"');

/** Run on the host of this target; the secret's first target's host when not given. */
const on = { on: targetIdSchema.optional() };

/** `rekey`: from the machine running Rekey; `host`: from the host, where local ports answer. */
const from = { from: z.enum(['rekey', 'host']).default('rekey') };

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT'] as const;

const statusCode = z.number().int().min(100).max(599);

export const httpCheckSchema = z.strictObject({
  type: z.literal('http'),
  url: plainTemplate.refine(
    (url) => /^(https?:\/\/|\$\{)/.test(url),
    'expected an http:// or https:// URL (or one starting with a ${variable})',
  ),
  method: z.enum(HTTP_METHODS).default('GET'),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), secretTemplate).optional(),
  body: secretTemplate.optional(),
  /** Statuses that count as success. */
  status: z.union([statusCode, z.array(statusCode).min(1)]).default(200),
  body_contains: plainTemplate.optional(),
  ...from,
  ...on,
});

export const tcpCheckSchema = z.strictObject({
  type: z.literal('tcp'),
  host: plainTemplate,
  port: portTemplate,
  ...from,
  ...on,
});

export const commandCheckSchema = z.strictObject({
  type: z.literal('command'),
  argv: argvSchema,
  stdin: secretTemplate.optional(),
  env: envSchema.optional(),
  cwd: plainTemplate.optional(),
  exit_code: z.number().int().min(0).max(255).default(0),
  stdout_contains: plainTemplate.optional(),
  ...on,
});

/**
 * How Rekey reaches PostgreSQL: libpq settings (passed as PGHOST, PGPORT, PGDATABASE,
 * PGUSER), optionally through a command prefix such as `docker compose exec -T db`.
 */
export const pgConnectionSchema = z.strictObject({
  host: plainTemplate.optional(),
  port: portTemplate.optional(),
  database: plainTemplate.optional(),
  user: plainTemplate.optional(),
});

/** Logs in as `role` with the new value (over stdin/env, never argv). */
export const sqlLoginCheckSchema = z.strictObject({
  type: z.literal('sql-login'),
  role: plainTemplate,
  connection: pgConnectionSchema.default({}),
  via: argvSchema.optional(),
  ...on,
});

/** The value on every listed target (all when omitted) hashes, on its host, to the new value's. */
export const fingerprintCheckSchema = z.strictObject({
  type: z.literal('fingerprint'),
  targets: z.array(targetIdSchema).min(1).optional(),
});

/** A check written with `${secret.pending}` that Rekey runs with the old value: it must fail. */
export const probeSchema = z.discriminatedUnion('type', [
  httpCheckSchema,
  commandCheckSchema,
  sqlLoginCheckSchema,
]);

export const oldRejectedCheckSchema = z.strictObject({
  type: z.literal('old-rejected'),
  probe: probeSchema,
});

export const verifyCheckSchema = z.discriminatedUnion('type', [
  httpCheckSchema,
  tcpCheckSchema,
  commandCheckSchema,
  sqlLoginCheckSchema,
  fingerprintCheckSchema,
  oldRejectedCheckSchema,
]);

/** What a `watch` step may repeat: checks of the service's health. */
export const watchCheckSchema = z.discriminatedUnion('type', [
  httpCheckSchema,
  tcpCheckSchema,
  commandCheckSchema,
]);

export type VerifyCheck = z.output<typeof verifyCheckSchema>;
export type Probe = z.output<typeof probeSchema>;
