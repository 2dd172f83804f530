import { z } from 'zod';

/**
 * The domain as every front door sees it. Nothing here ever carries a secret value: values
 * leave the main process only through the explicit reveal call of the API contract.
 */

export const DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const SECRET_NAME = /^[A-Za-z0-9_][A-Za-z0-9._:@/-]{0,127}$/;

export const deploymentNameSchema = z
  .string()
  .regex(DEPLOYMENT_NAME, 'deployment names use letters, digits, ".", "_" and "-" (max 64)');
export const secretNameSchema = z
  .string()
  .regex(SECRET_NAME, 'secret names use letters, digits and "._:@/-" (max 128)');

/** `deployment/name`, e.g. `synctv-prod/jwt.secret`. The name may itself contain slashes. */
export const secretRefSchema = z.string().refine((ref) => {
  const slash = ref.indexOf('/');
  return (
    slash > 0 && DEPLOYMENT_NAME.test(ref.slice(0, slash)) && SECRET_NAME.test(ref.slice(slash + 1))
  );
}, 'expected a reference like deployment/name, e.g. synctv-prod/jwt.secret');

export function splitRef(ref: string): { deployment: string; name: string } {
  const slash = ref.indexOf('/');
  return { deployment: ref.slice(0, slash), name: ref.slice(slash + 1) };
}

export const DIFFICULTIES = ['low', 'medium', 'high'] as const;
export const difficultySchema = z.enum(DIFFICULTIES);
export type Difficulty = z.infer<typeof difficultySchema>;

export const GENERATOR_KINDS = [
  'hex',
  'base64',
  'base64url',
  'alphanumeric',
  'passphrase',
  'ed25519',
] as const;
export const generatorKindSchema = z.enum(GENERATOR_KINDS);
export type GeneratorKind = z.infer<typeof generatorKindSchema>;

/** `length` counts random bytes for hex/base64, characters for alphanumeric, words for passphrases. */
export const generatorSpecSchema = z.strictObject({
  kind: generatorKindSchema,
  length: z.number().int().min(0).max(4096),
});
export type GeneratorSpec = z.infer<typeof generatorSpecSchema>;

export const policySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('interval'), days: z.number().int().min(1).max(36500) }),
  z.strictObject({ kind: z.literal('manual') }),
]);
export type Policy = z.infer<typeof policySchema>;

/** The config formats Rekey edits one key of (src/main/formats). */
export const FORMAT_NAMES = ['dotenv', 'yaml', 'json', 'toml', 'file'] as const;
export const formatNameSchema = z.enum(FORMAT_NAMES);

/**
 * What a rotation target can be: a key of a config file in one of FORMAT_NAMES on a host, or
 * (`kubernetes`) a key of a Kubernetes Secret on a cluster, whose path is `namespace/name` (or
 * `name`: the cluster's namespace). Not a file format: the formats module never sees it.
 */
export const KUBERNETES_TARGET = 'kubernetes';
export const TARGET_FORMATS = [...FORMAT_NAMES, KUBERNETES_TARGET] as const;
export const targetFormatSchema = z.enum(TARGET_FORMATS);
export type TargetFormat = z.infer<typeof targetFormatSchema>;

export function isTargetFormat(name: string): name is TargetFormat {
  return (TARGET_FORMATS as readonly string[]).includes(name);
}

/**
 * A config file kept whole in one key of a Kubernetes Secret (Synapse's homeserver.yaml,
 * LiveKit's keys.yaml): the format of the file and the key path of the value inside it. Only
 * on a `kubernetes` target, whose `key` then names the Secret key that holds the file.
 */
export const INNER_FORMATS = ['dotenv', 'yaml', 'json', 'toml'] as const;
export const innerTargetSchema = z.strictObject({
  format: z.enum(INNER_FORMATS),
  key: z.string().min(1).max(512),
});
export type InnerTarget = z.infer<typeof innerTargetSchema>;

/** Where a secret lives on a host; the connectors issue gives these their full shape. */
export const targetSchema = z.strictObject({
  host: z.string().min(1).max(128),
  path: z.string().min(1).max(4096),
  format: z.string().min(1).max(32),
  key: z.string().max(512),
  inner: innerTargetSchema.optional(),
  /** Kubernetes only: more keys of the Secret, written with the value from templates. */
  derived: z.record(z.string().max(253), z.string().max(4096)).optional(),
});
export type Target = z.infer<typeof targetSchema>;

const shortText = z.string().max(200);
const longText = z.string().max(4000);

/** Everything about a secret a user may edit. */
export const secretMetadataSchema = z.strictObject({
  service: shortText,
  description: longText,
  impact: longText,
  difficulty: difficultySchema,
  handling: longText,
  policy: policySchema,
  generator: generatorSpecSchema.nullable(),
  targets: z.array(targetSchema).max(64),
  tags: z.array(z.string().min(1).max(64)).max(64),
  compromised: z.boolean(),
});
export type SecretMetadata = z.infer<typeof secretMetadataSchema>;

export const DEFAULT_METADATA: SecretMetadata = {
  service: '',
  description: '',
  impact: '',
  difficulty: 'medium',
  handling: '',
  policy: { kind: 'none' },
  generator: null,
  targets: [],
  tags: [],
  compromised: false,
};

export const LABELS = ['current', 'pending', 'previous'] as const;
export const labelSchema = z.enum(LABELS);
export type Label = z.infer<typeof labelSchema>;

export const STRENGTH_RATINGS = ['weak', 'fair', 'strong'] as const;
export const strengthSchema = z.strictObject({
  bits: z.number().min(0),
  rating: z.enum(STRENGTH_RATINGS),
  problems: z.array(z.string()),
});
export type Strength = z.infer<typeof strengthSchema>;

export const versionOriginSchema = z.enum(['generated', 'entered', 'imported']);

export const versionInfoSchema = z.strictObject({
  id: z.string(),
  createdAt: z.string(),
  fingerprint: z.string(),
  labels: z.array(labelSchema),
  origin: versionOriginSchema,
  generator: generatorSpecSchema.nullable(),
  strength: strengthSchema,
  publicKey: z.string().nullable(),
});
export type VersionInfo = z.infer<typeof versionInfoSchema>;

export const rotationStatusSchema = z.enum(['no-policy', 'manual', 'ok', 'due', 'overdue']);
export type RotationStatus = z.infer<typeof rotationStatusSchema>;

export const secretSummarySchema = z.strictObject({
  id: z.string(),
  ref: z.string(),
  deployment: z.string(),
  name: z.string(),
  service: z.string(),
  impact: z.string(),
  difficulty: difficultySchema,
  policy: policySchema,
  rotation: rotationStatusSchema,
  /** Age of the current version in whole days; null when the secret has no value yet. */
  ageDays: z.number().nullable(),
  strength: z.enum(STRENGTH_RATINGS).nullable(),
  weak: z.boolean(),
  compromised: z.boolean(),
  tags: z.array(z.string()),
  currentFingerprint: z.string().nullable(),
  updatedAt: z.string(),
  /** Reminders snoozed until `until` (absent or null: not snoozed now). */
  snooze: z.strictObject({ until: z.string(), reason: z.string() }).nullable().optional(),
});
export type SecretSummary = z.infer<typeof secretSummarySchema>;

export const secretDetailSchema = z.strictObject({
  ...secretSummarySchema.shape,
  metadata: secretMetadataSchema,
  createdAt: z.string(),
  versions: z.array(versionInfoSchema),
});
export type SecretDetail = z.infer<typeof secretDetailSchema>;

export const SOURCES = ['desktop', 'cli', 'browser'] as const;
export const sourceSchema = z.enum(SOURCES);
export type Source = z.infer<typeof sourceSchema>;

export const historyEventSchema = z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  source: sourceSchema,
  kind: z.string(),
  ref: z.string().nullable(),
  summary: z.string(),
  hash: z.string(),
});
export type HistoryEvent = z.infer<typeof historyEventSchema>;

export const deploymentSummarySchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  /** Hosts the deployment runs on; `local` is this machine. */
  hosts: z.array(z.string()),
  secrets: z.number().int(),
  /** The playbook its secrets rotate by, with the variables it was given; null: none. */
  playbook: z
    .strictObject({
      id: z.string(),
      variables: z.record(z.string(), z.string()),
      targetHosts: z.record(z.string(), z.string()),
    })
    .nullable(),
  createdAt: z.string(),
});
export type DeploymentSummary = z.infer<typeof deploymentSummarySchema>;

/** The host every vault has without adding it: this machine's files and commands. */
export const LOCAL_HOST = 'local';

export const hostNameSchema = z
  .string()
  .regex(DEPLOYMENT_NAME, 'host names use letters, digits, ".", "_" and "-" (max 64)');

/** SHA-256 host or key fingerprint exactly as OpenSSH prints it. */
export const sshFingerprintSchema = z
  .string()
  .regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    'expected an OpenSSH fingerprint like SHA256:abc... (43 characters after the colon)',
  );

export const hostAddressSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_%-]+$/, 'expected a host name or an IP address');

export const portSchema = z.number().int().min(1).max(65535);
export const sshUserSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_.-]{0,31}\$?$/i, 'expected a user name like root or deploy');

export const pinnedHostKeySchema = z.strictObject({
  algorithm: z.string().max(64),
  fingerprint: sshFingerprintSchema,
  trustedAt: z.string(),
});
export type PinnedHostKey = z.infer<typeof pinnedHostKeySchema>;

/** How Rekey logs in: a key pair kept in the vault, or the user's ssh-agent. */
export const hostAuthSummarySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('agent') }),
  z.strictObject({
    kind: z.literal('key'),
    /** `ssh-ed25519 AAAA... comment`, for the server's authorized_keys. */
    publicKey: z.string(),
    keyFingerprint: sshFingerprintSchema,
    passphraseProtected: z.boolean(),
  }),
]);
export type HostAuthSummary = z.infer<typeof hostAuthSummarySchema>;

export const hostSummarySchema = z.strictObject({
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  user: z.string(),
  auth: hostAuthSummarySchema,
  jump: z.string().nullable(),
  hostKey: pinnedHostKeySchema.nullable(),
  /** Deployments that name this host. */
  deployments: z.array(z.string()),
  /** Secrets with a target on this host. */
  targets: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HostSummary = z.infer<typeof hostSummarySchema>;
