import { z } from 'zod';
import { STRENGTH_RATINGS, deploymentNameSchema, secretRefSchema } from './model';

/**
 * Import from and export to other tools (.env, compose, pass, KeePassXC, Bitwarden). A preview
 * comes first and nothing is written until the user applies the plan they chose. Values never
 * cross this contract: candidates are shown by keyed fingerprint, length and strength.
 */

export const IMPORT_KINDS = [
  'env',
  'compose',
  'pass',
  'keepass-xml',
  'keepass-csv',
  'bitwarden',
] as const;
export const EXPORT_KINDS = ['pass', 'keepass', 'env'] as const;
export const CANDIDATE_STATUSES = ['new', 'same', 'conflict', 'invalid'] as const;
export const IMPORT_ACTIONS = ['create', 'version', 'rename', 'skip'] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];
export type ExportKindName = (typeof EXPORT_KINDS)[number];
export type ImportActionName = (typeof IMPORT_ACTIONS)[number];

/** Export formats that hold every value in clear: the user must acknowledge that first. */
export const PLAINTEXT_EXPORTS: readonly ExportKindName[] = ['keepass', 'env'];

export function plaintextWarning(kind: ExportKindName, path: string): string {
  return `${path} will hold the secrets' values in clear (${kind === 'env' ? '.env' : 'KeePass XML'}). Anyone who can read the file can read them: keep it off shared disks, import it and delete it.`;
}

const path = z.string().min(1).max(4096);

export const importSourceSchema = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  /** The file, or a pass store's directory; read by the core, not the window. */
  path,
  /** The file's text instead of reading `path` (the CLI's stdin); not for a pass store. */
  content: z.string().max(50_000_000).optional(),
  /** pass: an armored private key file to decrypt with; without it, gpg and its agent. */
  keyFile: path.optional(),
  /** The passphrase of that key (or of the gpg key, given to gpg on a pipe). */
  passphrase: z.string().min(1).max(1024).optional(),
  /** env and compose: every key, not only those that look like secrets. */
  all: z.boolean().default(false),
});
export type ImportSourceInput = z.input<typeof importSourceSchema>;

export const candidateViewSchema = z.strictObject({
  id: z.string(),
  /** Where it was found, e.g. `compose.yaml: services.db.environment.POSTGRES_PASSWORD`. */
  source: z.string(),
  /** The ref it would get; null when it has no deployment. */
  ref: z.string().nullable(),
  service: z.string(),
  hasNotes: z.boolean(),
  fingerprint: z.string(),
  length: z.number().int(),
  strength: z.enum(STRENGTH_RATINGS),
  status: z.enum(CANDIDATE_STATUSES),
  /** The secret holding the same value (`same`) or the same name (`conflict`). */
  match: z.string().nullable(),
  reason: z.string().nullable(),
  actions: z.array(z.enum(IMPORT_ACTIONS)),
  defaultAction: z.enum(IMPORT_ACTIONS),
});
export type CandidateView = z.infer<typeof candidateViewSchema>;

export const importPreviewSchema = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  path: z.string(),
  deployment: z.string().nullable(),
  /** Names the candidates as previewed: apply refuses when the source changed since. */
  digest: z.string(),
  candidates: z.array(candidateViewSchema),
  problems: z.array(z.strictObject({ source: z.string(), reason: z.string() })),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

export const importChoiceSchema = z.strictObject({
  id: z.string().min(1).max(32),
  action: z.enum(IMPORT_ACTIONS),
  /** For `rename`: the ref to import under; a free one is made when left out. */
  ref: secretRefSchema.optional(),
});
export type ImportChoice = z.infer<typeof importChoiceSchema>;

export const importResultSchema = z.strictObject({
  created: z.array(z.string()),
  versioned: z.array(z.string()),
  skipped: z.array(z.string()),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const exportResultSchema = z.strictObject({
  kind: z.enum(EXPORT_KINDS),
  path: z.string(),
  refs: z.array(z.string()),
  plaintext: z.boolean(),
  /** Fingerprints of the keys a pass store was encrypted to. */
  recipients: z.array(z.string()),
  /** Names a .env could not hold as they are, and the keys they were written as. */
  renamed: z.array(z.string()),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

export const interchangeMethods = {
  preview: z.strictObject({
    source: importSourceSchema,
    deployment: deploymentNameSchema.optional(),
  }),
  apply: z.strictObject({
    source: importSourceSchema,
    deployment: deploymentNameSchema.optional(),
    digest: z.string().min(1).max(128),
    /** Candidates left out take their default action (import the new, skip duplicates). */
    choices: z.array(importChoiceSchema).max(100_000).default([]),
  }),
  export: z.strictObject({
    kind: z.enum(EXPORT_KINDS),
    path,
    /** Only this deployment's secrets (required for `env`); every secret otherwise. */
    deployment: deploymentNameSchema.optional(),
    /** pass: armored public keys or gpg key ids; a store's .gpg-id names its own. */
    recipients: z.array(z.string().min(1).max(100_000)).max(50).default([]),
    /** KeePass XML and .env are written in clear only once the user has said they know. */
    acknowledgePlaintext: z.boolean().default(false),
    /** Replace an existing file (or a pass store's entries of the same names); else CONFLICT. */
    overwrite: z.boolean().default(false),
  }),
};
