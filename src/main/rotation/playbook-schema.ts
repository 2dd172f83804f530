import { z } from 'zod';
import { isRekeyError } from '../../shared/errors';
import {
  INNER_FORMATS,
  difficultySchema,
  generatorSpecSchema,
  policySchema,
  secretNameSchema,
  targetFormatSchema,
} from '../../shared/model';
import { namespaceProblem, secretKeyProblem, secretNameProblem } from '../kube/secret-ref';
import { parseKeyPath } from '../formats/key-path';
import { formatGeneratorSpec, parseGeneratorSpec } from '../vault/generate';
import { DEFAULT_CHECKLIST, checklistItemSchema } from './checklist';
import { targetIdSchema } from './playbook-checks';
import { plainTemplate, secretTemplate } from './playbook-text';
import { playbookProblems, secretProblems } from './playbook-rules';
import { stepSchema } from './playbook-steps';
import { VARIABLE_NAME, rewriteTemplate, usesSecret } from './templates';

/**
 * A playbook: one service's secrets, what a user should know about each (the metadata of
 * SecretMetadata), where each lives (targets, as templates over deployment variables), and
 * the checklist and steps that rotate it. One playbook serves every deployment of the
 * service; a deployment supplies the variables.
 */

export const PLAYBOOK_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const text = (max: number) => z.string().min(1, 'must not be empty').max(max);

const variableSchema = z.strictObject({
  description: text(1000),
  /** Used when a deployment gives no value; a variable without one must be given. */
  default: z
    .union([z.string().max(4096), z.number().transform(String)])
    .refine((value) => !value.includes('${'), 'a default is plain text, without placeholders')
    .optional(),
});

const variablesSchema = z.record(
  z
    .string()
    .regex(VARIABLE_NAME, 'variable names use lower-case letters, digits and "_"')
    .refine((name) => name !== 'secret', '"secret" is reserved for ${secret.pending}'),
  variableSchema,
);

const STRUCTURED_FORMATS: ReadonlySet<string> = new Set(['yaml', 'json', 'toml']);

const targetSchema = z
  .strictObject({
    /** How steps refer to the target. */
    id: targetIdSchema,
    /** A config format, or `kubernetes`: a key of a Secret on a cluster. */
    format: targetFormatSchema,
    /** The file, absolute; for `kubernetes`, the Secret: `namespace/name` or `name`. */
    path: plainTemplate,
    /**
     * Key path (yaml, json, toml), variable name (dotenv) or the Secret's data key
     * (kubernetes); none for a bare secret file.
     */
    key: plainTemplate.optional(),
    /** The program that reads this target, when not the playbook's service. */
    service: text(200).optional(),
    /** Mode of a file the write creates; an existing file keeps its own. */
    mode: z
      .string()
      .regex(/^0[0-7]{3}$/, 'expected an octal mode in quotes, like "0600"')
      .optional(),
    /** Keys older releases of the service use for the same value, so discovery knows them. */
    aliases: z.array(plainTemplate).max(8).optional(),
    /**
     * `kubernetes` only: the Secret key holds a whole config file (`key: homeserver.yaml`),
     * and the value is at `inner.key` inside it, in `inner.format`.
     */
    inner: z.strictObject({ format: z.enum(INNER_FORMATS), key: plainTemplate }).optional(),
    /**
     * `kubernetes` only: more keys of the same Secret, made from the value and written with it
     * in one update (a connection URL, a fixed username beside the password), so the whole
     * Secret is generated: key -> template, `${secret.pending}` standing for the value.
     */
    derived_keys: z.record(z.string().max(253), secretTemplate).optional(),
  })
  .superRefine((target, context) => {
    const pathProblem = targetPathProblem(target.format, target.path);
    if (pathProblem) context.addIssue({ code: 'custom', path: ['path'], message: pathProblem });
    if (target.inner !== undefined) {
      const problem =
        target.format === 'kubernetes'
          ? keyProblem(target.inner.format, target.inner.key)
          : 'only a kubernetes target holds a config file in a Secret key: leave inner out';
      if (problem) context.addIssue({ code: 'custom', path: ['inner'], message: problem });
    }
    for (const [key, template] of Object.entries(target.derived_keys ?? {})) {
      const problem =
        target.format !== 'kubernetes'
          ? 'only a kubernetes target has derived keys: leave derived_keys out'
          : target.inner !== undefined
            ? 'a value inside a config file has no derived keys: use inner or derived_keys'
            : key === target.key
              ? 'the value itself is in key; a derived key is another key'
              : usesSecret(template, 'current')
                ? 'a derived key is made from the value it goes with: use ${secret.pending}'
                : keyProblem('kubernetes', key);
      if (problem)
        context.addIssue({ code: 'custom', path: ['derived_keys', key], message: problem });
    }
    if (target.format === 'kubernetes' && target.mode !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['mode'],
        message: 'a Kubernetes Secret key has no file mode: leave mode out',
      });
    }
    const keys = [
      { key: target.key, path: ['key'] },
      ...(target.aliases ?? []).map((key, index) => ({ key, path: ['aliases', index] })),
    ];
    if (target.format === 'file') {
      if (target.key !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['key'],
          message: 'a secret file holds one value: leave key out',
        });
      }
      return;
    }
    for (const { key, path } of keys) {
      if (key === undefined) {
        context.addIssue({
          code: 'custom',
          path,
          message: `required for a ${target.format} target`,
        });
        continue;
      }
      const problem = keyProblem(target.format, key);
      if (problem) context.addIssue({ code: 'custom', path, message: problem });
    }
  });

/** The text with each placeholder standing in for a plain name (null: not a template). */
function sampleOf(text: string): string | null {
  return rewriteTemplate(
    text,
    (literal) => literal,
    () => 'x',
  );
}

function targetPathProblem(format: string, path: string): string | null {
  if (format !== 'kubernetes') {
    return path.startsWith('/') || path.startsWith('${')
      ? null
      : 'expected an absolute path (or one starting with a ${variable})';
  }
  const sample = sampleOf(path);
  if (sample === null) return null;
  const parts = sample.split('/');
  if (parts.length > 2) return 'expected the Secret as namespace/name, or name alone';
  const [first = '', second] = parts;
  return (
    (second === undefined ? null : namespaceProblem(first)) ?? secretNameProblem(second ?? first)
  );
}

/** Checks a key with its placeholders standing in for a plain name. */
function keyProblem(format: string, key: string): string | null {
  const sample = sampleOf(key);
  if (sample === null) return null;
  if (format === 'kubernetes') return secretKeyProblem(sample);
  if (format === 'dotenv') {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(sample)
      ? null
      : 'a dotenv key is a variable name: letters, digits and "_"';
  }
  if (!STRUCTURED_FORMATS.has(format)) return null;
  try {
    parseKeyPath(sample);
    return null;
  } catch (error) {
    return isRekeyError(error) ? error.message : 'not a key path';
  }
}

const generatorSchema = generatorSpecSchema.nullable().superRefine((spec, context) => {
  if (spec === null) return;
  try {
    parseGeneratorSpec(formatGeneratorSpec(spec));
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: isRekeyError(error) ? error.message : 'not a generator',
    });
  }
});

const exposureStepSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids use lower-case letters, digits and "-"'),
  title: text(200),
  detail: text(4000).default(''),
  /** Secrets of the same playbook to rotate (by name); none: a manual step. */
  rotate: z.array(secretNameSchema).max(20).default([]),
});

const secretSchema = z
  .strictObject({
    name: secretNameSchema,
    description: text(4000),
    impact: text(4000),
    difficulty: difficultySchema,
    handling: text(4000),
    policy: policySchema,
    generator: generatorSchema,
    tags: z.array(z.string().min(1).max(64)).max(64).default([]),
    /** Refuses routine rotation: losing or changing the value costs more than keeping it. */
    guarded: z.boolean().default(false),
    /** Why, in words the wizard shows before it offers the safe alternatives. */
    guard_reason: text(4000).optional(),
    targets: z.array(targetSchema).min(1, 'name at least one target').max(64),
    /** Items added to the playbook's checklist for this secret. */
    checklist: z.array(checklistItemSchema).max(64).default([]),
    steps: z.array(stepSchema).min(1, 'a secret needs at least one step').max(200),
    /**
     * What a leak of this secret calls for besides assessing the scope and rotating it (or,
     * for a guarded secret, instead of rotating it): other secrets to rotate, manual steps.
     */
    on_exposure: z.array(exposureStepSchema).max(20).default([]),
  })
  .superRefine((secret, context) => {
    for (const problem of secretProblems(secret)) context.addIssue({ code: 'custom', ...problem });
  });

const playbookShape = z.strictObject({
  id: z.string().regex(PLAYBOOK_ID, 'playbook ids use lower-case letters, digits and "-" (max 64)'),
  name: text(200),
  /** The service the secrets belong to, as the inventory names it (e.g. synctv). */
  service: text(200),
  description: text(4000),
  variables: variablesSchema.default({}),
  /** Confirmed before any secret of the playbook rotates; each secret may add items. */
  checklist: z
    .array(checklistItemSchema)
    .max(64)
    .default(() => [...DEFAULT_CHECKLIST]),
  secrets: z.array(secretSchema).min(1, 'a playbook describes at least one secret').max(200),
});

export const playbookSchema = playbookShape.superRefine((playbook, context) => {
  for (const problem of playbookProblems(playbook)) {
    context.addIssue({ code: 'custom', ...problem });
  }
});

export type Playbook = z.output<typeof playbookShape>;
export type PlaybookSecret = Playbook['secrets'][number];
export type PlaybookTarget = PlaybookSecret['targets'][number];
export type PlaybookVariable = z.output<typeof variableSchema>;
