import { z } from 'zod';
import { placeholdersIn, usesSecret } from './templates';

/**
 * The kinds of text a playbook's steps and targets hold, by where a secret value may go.
 * A value may reach a command only through its standard input or environment (and an HTTP
 * request only through headers or body): an argument list is visible to every user of the
 * host in `ps` and lands in shell histories and audit logs.
 */

export const ARGV_SECRET_MESSAGE = 'secret values must not be in argv; use stdin or env';
const PLAIN_SECRET_MESSAGE =
  'secret values may appear only in stdin, env, HTTP headers and HTTP bodies';

function wellFormed(schema: z.ZodString) {
  return schema.superRefine((text, context) => {
    const found = placeholdersIn(text);
    if (!found.ok) context.addIssue({ code: 'custom', message: found.problem });
  });
}

function withoutSecrets(schema: z.ZodString, message: string) {
  return wellFormed(schema).refine((text) => !usesSecret(text), message);
}

/** Text that may carry `${secret.pending}` / `${secret.current}`: stdin, env values, HTTP headers. */
export const secretTemplate = wellFormed(z.string().max(65_536));

/** Text shown or used as is (paths, URLs, names, titles): variables only. */
export const plainTemplate = withoutSecrets(z.string().min(1).max(4096), PLAIN_SECRET_MESSAGE);

const argvItem = withoutSecrets(z.string().max(4096), ARGV_SECRET_MESSAGE);

/** A program and its arguments, each element passed on as one argument. */
export const argvSchema = z.array(argvItem).min(1, 'expected a program to run').max(256);

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const envSchema = z.record(
  z.string().regex(ENV_NAME, 'environment variable names use letters, digits and "_"'),
  secretTemplate,
);

/** A port written as a number or as a `${variable}`. */
export const portTemplate = z.union(
  [z.number().int().min(1).max(65_535), plainTemplate],
  'expected a port number (1-65535) or a ${variable}',
);

export const secondsSchema = (max: number) => z.number().int().min(1).max(max);
