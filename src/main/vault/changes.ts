import { RekeyError } from '../../shared/errors';
import {
  type GeneratorSpec,
  type SecretMetadata,
  type Strength,
  splitRef,
} from '../../shared/model';
import { formatGeneratorSpec } from './generate';
import { type SecretRecord, type VaultState, type VersionRecord, refOf } from './state';
import { type Transaction, newId } from './transaction';

/**
 * The changes a user can make, as events recorded on a transaction. Each checks its
 * preconditions against the state the transaction sees (which includes other processes'
 * changes, caught up under the lock) and writes a summary fit for the history.
 */

export function findSecret(state: Readonly<VaultState>, ref: string): SecretRecord {
  const id = state.refs.get(ref);
  const secret = id === undefined ? undefined : state.secrets.get(id);
  if (!secret) throw new RekeyError('NOT_FOUND', `No secret ${ref}`);
  return secret;
}

/** Finds a version by id, fingerprint prefix or label; the current one by default. */
export function findVersion(
  secret: SecretRecord,
  selector: string | undefined,
  fingerprintOf: (version: VersionRecord) => string,
): VersionRecord {
  const wanted = selector?.replace(/^fp:/, '') ?? 'current';
  const byLabel = secret.versions.filter((v) => v.labels.includes(wanted as 'current'));
  const matches =
    byLabel.length > 0
      ? byLabel
      : secret.versions.filter((v) => v.id === wanted || fingerprintOf(v).startsWith(wanted));
  const [version, ...others] = matches;
  if (!version) {
    throw new RekeyError('NOT_FOUND', `${refOf(secret)} has no version "${selector ?? 'current'}"`);
  }
  if (others.length > 0) {
    throw new RekeyError('INVALID_INPUT', `"${wanted}" matches several versions; give more of it`);
  }
  return version;
}

export function ensureDeployment(transaction: Transaction, name: string): void {
  if (transaction.state.deployments.has(name)) return;
  transaction.record(
    { kind: 'deployment.created', data: { name, description: '' } },
    { summary: `Deployment ${name} created` },
  );
}

export function createSecret(
  transaction: Transaction,
  ref: string,
  metadata: SecretMetadata,
): SecretRecord {
  if (transaction.state.refs.has(ref)) {
    throw new RekeyError('ALREADY_EXISTS', `Secret ${ref} already exists`);
  }
  const { deployment, name } = splitRef(ref);
  ensureDeployment(transaction, deployment);
  const id = newId('s');
  const service = metadata.service ? ` (${metadata.service})` : '';
  transaction.record(
    { kind: 'secret.created', data: { id, deployment, name, metadata } },
    { ref, summary: `Secret ${ref} added${service}` },
  );
  return transaction.state.secrets.get(id) as SecretRecord;
}

export interface NewValue {
  value: string;
  origin: 'generated' | 'entered' | 'imported';
  generator: GeneratorSpec | null;
  strength: Strength;
  publicKey: string | null;
}

export function addVersion(
  transaction: Transaction,
  secret: SecretRecord,
  value: NewValue,
  fingerprintOf: (value: string) => string,
  label: 'current' | 'pending' = 'current',
): VersionRecord {
  transaction.introduce(value.value);
  const id = newId('v');
  const how =
    value.origin === 'generated' && value.generator
      ? `generated ${formatGeneratorSpec(value.generator)}`
      : value.origin;
  const ref = refOf(secret);
  transaction.record(
    {
      kind: 'version.added',
      data: {
        secretId: secret.id,
        version: {
          id,
          origin: value.origin,
          generator: value.generator,
          strength: value.strength,
          publicKey: value.publicKey,
        },
        value: value.value,
        label,
      },
    },
    {
      ref,
      summary: `New ${label} value for ${ref}: fp:${fingerprintOf(value.value)} (${how}, ${value.strength.rating})`,
    },
  );
  return secret.versions.at(-1) as VersionRecord;
}

export function updateMetadata(
  transaction: Transaction,
  secret: SecretRecord,
  changes: Partial<SecretMetadata>,
): string[] {
  const changed = (Object.keys(changes) as (keyof SecretMetadata)[]).filter(
    (key) => JSON.stringify(changes[key]) !== JSON.stringify(secret.metadata[key]),
  );
  if (changed.length === 0) return [];
  const ref = refOf(secret);
  const effective = Object.fromEntries(changed.map((key) => [key, changes[key]]));
  transaction.record(
    { kind: 'secret.updated', data: { id: secret.id, changes: effective } },
    { ref, summary: `${ref}: changed ${changed.join(', ')}` },
  );
  return changed;
}

export function removeSecret(transaction: Transaction, secret: SecretRecord): void {
  const ref = refOf(secret);
  transaction.record(
    { kind: 'secret.removed', data: { id: secret.id } },
    {
      ref,
      summary: `Secret ${ref} removed from the inventory (its ${secret.versions.length} versions stay in the history)`,
    },
  );
}

export function recordDisclosure(
  transaction: Transaction,
  secret: SecretRecord,
  version: VersionRecord,
  how: 'revealed' | 'copied',
  fingerprintOf: (value: string) => string,
): void {
  const ref = refOf(secret);
  transaction.record(
    { kind: `secret.${how}`, data: { secretId: secret.id, versionId: version.id } },
    { ref, summary: `Value of ${ref} ${how} (fp:${fingerprintOf(version.value.reveal())})` },
  );
}
