import { z } from 'zod';
import { RekeyError } from '../../shared/errors';
import { labelSchema, secretMetadataSchema } from '../../shared/model';
import { versionMetaSchema } from '../vault/events';
import { type SecretRecord, type VaultState, refOf } from '../vault/state';

/**
 * `secrets.json` in a bundle: a deployment's secrets with every version, its value and its
 * labels, so that restoring the database and the secrets together brings back the values the
 * restored data was made with. Only ever written inside the encrypted bundle.
 */

export const SECRETS_DOCUMENT = 'secrets.json';
const FORMAT = 1;

const versionSchema = z.strictObject({
  ...versionMetaSchema.shape,
  createdAt: z.iso.datetime(),
  labels: z.array(labelSchema),
  value: z.string(),
});

const secretSchema = z.strictObject({
  ref: z.string(),
  name: z.string(),
  metadata: secretMetadataSchema,
  versions: z.array(versionSchema),
});

export const secretsDocumentSchema = z.strictObject({
  format: z.literal(FORMAT),
  deployment: z.string(),
  exportedAt: z.string(),
  secrets: z.array(secretSchema),
});
export type SecretsDocument = z.infer<typeof secretsDocumentSchema>;
export type DocumentSecret = z.infer<typeof secretSchema>;

export function secretsOf(state: Readonly<VaultState>, deployment: string): SecretRecord[] {
  if (!state.deployments.has(deployment)) {
    throw new RekeyError('NOT_FOUND', `No deployment ${deployment}`);
  }
  return [...state.secrets.values()].filter((secret) => secret.deployment === deployment);
}

export function secretsDocument(
  state: Readonly<VaultState>,
  deployment: string,
  now: Date,
): Buffer {
  const document: SecretsDocument = {
    format: FORMAT,
    deployment,
    exportedAt: now.toISOString(),
    secrets: secretsOf(state, deployment).map((secret) => ({
      ref: refOf(secret),
      name: secret.name,
      metadata: secret.metadata,
      versions: secret.versions.map((version) => ({
        id: version.id,
        origin: version.origin,
        generator: version.generator,
        strength: version.strength,
        publicKey: version.publicKey,
        createdAt: version.createdAt,
        labels: version.labels,
        value: version.value.reveal(),
      })),
    })),
  };
  return Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
}

export function parseSecretsDocument(content: Buffer): SecretsDocument {
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch {
    throw new RekeyError('FORMAT_ERROR', `${SECRETS_DOCUMENT} in the bundle is not valid JSON`);
  }
  const parsed = secretsDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RekeyError(
      'FORMAT_ERROR',
      `${SECRETS_DOCUMENT} in the bundle is not what Rekey writes (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
    );
  }
  return parsed.data;
}
