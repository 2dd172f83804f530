import { z } from 'zod';
import { deploymentNameSchema, hostNameSchema } from './model';

/**
 * The backup part of the contract: bundles made, verified and restored, and the OpenPGP keys
 * they are encrypted to. Passphrases travel only into the main process; nothing here returns a
 * secret value except an exported private key the user asked for (paper or USB storage).
 */

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => path.startsWith('/'), 'expected an absolute path');

export const fingerprintSchema = z
  .string()
  .transform((text) => text.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^[0-9A-F]{40}$/, 'expected a 40-hex-digit key fingerprint'));

export const databaseSourceSchema = z.strictObject({
  /** Name of the dump in the bundle (`dumps/<name>.dump`). */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  host: hostNameSchema,
  database: z.string().min(1).max(63),
  connection: z
    .strictObject({
      host: z.string().max(255).optional(),
      port: z
        .string()
        .regex(/^\d{1,5}$/)
        .optional(),
      user: z.string().max(63).optional(),
    })
    .optional(),
  /** A command prefix that reaches the database, e.g. docker compose exec -T db. */
  via: z.array(z.string().max(4096)).max(32).optional(),
  /** A secret of the vault holding the database password (given as PGPASSWORD). */
  passwordRef: z.string().max(300).optional(),
});
export type DatabaseSourceInput = z.infer<typeof databaseSourceSchema>;

export const configFileSchema = z.strictObject({ host: hostNameSchema, path: absolutePath });

/** How a bundle is opened: its passphrase, or a private key kept in the vault. */
export const decryptInputSchema = z.strictObject({
  passphrase: z.string().max(1024).optional(),
  key: fingerprintSchema.optional(),
});

export const bundleEntrySchema = z.strictObject({
  name: z.string(),
  size: z.number(),
  sha256: z.string(),
});

export const createdBundleSchema = z.strictObject({
  id: z.string(),
  file: z.string(),
  size: z.number(),
  sha256: z.string(),
  entries: z.array(bundleEntrySchema),
  verified: z.boolean(),
  problems: z.array(z.string()),
});

export const secretRestorePlanSchema = z.strictObject({
  ref: z.string(),
  kind: z.enum(['create', 'same', 'conflict']),
  /** Versions the vault gains (all of them for a new secret). */
  versions: z.number(),
  /** Keyed fingerprints of the two current values when they differ. */
  vaultCurrent: z.string().nullable(),
  bundleCurrent: z.string().nullable(),
  vaultIsNewer: z.boolean(),
});

const databaseOrigin = z.strictObject({
  host: z.string(),
  database: z.string(),
  connection: z
    .strictObject({
      host: z.string().optional(),
      port: z.string().optional(),
      user: z.string().optional(),
    })
    .optional(),
  via: z.array(z.string()).optional(),
  passwordRef: z.string().optional(),
});

/** One thing a bundle holds, as a restore chooses it. */
export const bundlePartSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('database'),
    entry: z.string(),
    size: z.number(),
    /** The dump's name: `dumps/<name>.dump`. */
    name: z.string(),
    /** Where it was dumped from, per the manifest; null when the manifest does not say. */
    source: databaseOrigin.nullable(),
  }),
  z.strictObject({
    kind: z.literal('config'),
    entry: z.string(),
    size: z.number(),
    host: z.string(),
    path: z.string(),
  }),
  z.strictObject({
    kind: z.enum(['secrets', 'other']),
    entry: z.string(),
    size: z.number(),
  }),
]);
export type BundlePart = z.infer<typeof bundlePartSchema>;

export const verifyReportSchema = z.strictObject({
  file: z.string(),
  ok: z.boolean(),
  problems: z.array(z.string()),
  entries: z.array(bundleEntrySchema),
  deployment: z.string().nullable(),
  createdAt: z.string().nullable(),
  parts: z.array(bundlePartSchema),
  /** What restoring the secrets would do to this vault; null without secrets or when not ok. */
  secrets: z.array(secretRestorePlanSchema).nullable(),
});

export const restoreResultSchema = z.strictObject({
  file: z.string(),
  databases: z.array(z.string()),
  files: z.array(
    z.strictObject({ host: z.string(), path: z.string(), backupPath: z.string().nullable() }),
  ),
  secrets: z.array(secretRestorePlanSchema),
  /** Secrets created or changed in the vault. */
  secretsApplied: z.array(z.string()),
});

export const backupSummarySchema = z.strictObject({
  id: z.string(),
  deployment: z.string(),
  file: z.string(),
  size: z.number(),
  createdAt: z.string(),
  contents: z.array(z.strictObject({ name: z.string(), size: z.number() })),
  passphrase: z.boolean(),
  recipients: z.array(z.string()),
  verified: z.strictObject({ at: z.string(), ok: z.boolean() }).nullable(),
});

export const pgpKeySummarySchema = z.strictObject({
  fingerprint: z.string(),
  name: z.string(),
  hasPrivateKey: z.boolean(),
  /** The kept private key needs its passphrase to open a bundle. */
  privateKeyProtected: z.boolean(),
  addedAt: z.string(),
});

export const backupMethods = {
  create: z.strictObject({
    deployment: deploymentNameSchema,
    to: absolutePath,
    databases: z.array(databaseSourceSchema).max(32).default([]),
    files: z.array(configFileSchema).max(500).default([]),
    secrets: z.boolean().default(true),
    passphrase: z.string().min(1).max(1024).optional(),
    recipients: z.array(fingerprintSchema).max(16).default([]),
  }),
  verify: decryptInputSchema.extend({ file: absolutePath }),
  /** Databases a deployment's playbook reaches, offered for its bundles. */
  databases: z.strictObject({ deployment: deploymentNameSchema }),
  restore: decryptInputSchema.extend({
    file: absolutePath,
    databases: z.array(databaseSourceSchema).max(32).default([]),
    files: z.array(configFileSchema).max(500).default([]),
    secrets: z.boolean().default(false),
    /** For each secret whose current value differs: keep the vault's or use the bundle's. */
    choices: z.record(z.string(), z.enum(['keep-vault', 'use-bundle'])).default({}),
  }),
};
