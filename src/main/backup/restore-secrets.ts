import { RekeyError } from '../../shared/errors';
import type { Label } from '../../shared/model';
import { createSecret, findSecret } from '../vault/changes';
import { type SecretRecord, type VaultState, refOf } from '../vault/state';
import { type Transaction, newId } from '../vault/transaction';
import type { DocumentSecret, SecretsDocument } from './secrets-document';

/**
 * Bringing a bundle's secrets back into a vault. Nothing is overwritten silently: a secret
 * whose current value differs between the vault and the bundle is a conflict the user decides
 * (keep the vault's, or make the bundle's current again, e.g. to match a restored database).
 * Either way every value of the bundle ends up in the vault, so no value is lost.
 */

export type RestoreChoice = 'keep-vault' | 'use-bundle';

export type SecretRestorePlan =
  | { ref: string; kind: 'create'; versions: number }
  | { ref: string; kind: 'same'; versionsToAdd: number }
  | {
      ref: string;
      kind: 'conflict';
      versionsToAdd: number;
      vaultCurrent: string | null;
      bundleCurrent: string | null;
      /** The vault's current value was made after the bundle's. */
      vaultIsNewer: boolean;
    };

type Fingerprint = (value: string) => string;

function currentOf(versions: readonly { labels: Label[]; value: string }[]): string | null {
  return versions.find((version) => version.labels.includes('current'))?.value ?? null;
}

function vaultVersions(secret: SecretRecord) {
  return secret.versions.map((version) => ({
    id: version.id,
    labels: version.labels,
    createdAt: version.createdAt,
    value: version.value.reveal(),
  }));
}

function missingVersions(secret: SecretRecord, bundled: DocumentSecret) {
  const held = new Set(secret.versions.map((version) => version.value.reveal()));
  return bundled.versions.filter((version) => !held.has(version.value));
}

export function planSecretsRestore(
  state: Readonly<VaultState>,
  document: SecretsDocument,
  fingerprint: Fingerprint,
): SecretRestorePlan[] {
  return document.secrets.map((bundled): SecretRestorePlan => {
    const id = state.refs.get(bundled.ref);
    const secret = id === undefined ? undefined : state.secrets.get(id);
    if (!secret) return { ref: bundled.ref, kind: 'create', versions: bundled.versions.length };
    const versionsToAdd = missingVersions(secret, bundled).length;
    const inVault = vaultVersions(secret);
    const vaultCurrent = currentOf(inVault);
    const bundleCurrent = currentOf(bundled.versions);
    if (vaultCurrent === bundleCurrent) return { ref: bundled.ref, kind: 'same', versionsToAdd };
    const vaultAt = inVault.find((version) => version.value === vaultCurrent)?.createdAt ?? '';
    const bundleAt =
      bundled.versions.find((version) => version.value === bundleCurrent)?.createdAt ?? '';
    return {
      ref: bundled.ref,
      kind: 'conflict',
      versionsToAdd,
      vaultCurrent: vaultCurrent === null ? null : fingerprint(vaultCurrent),
      bundleCurrent: bundleCurrent === null ? null : fingerprint(bundleCurrent),
      vaultIsNewer: vaultAt > bundleAt,
    };
  });
}

/**
 * Applies the plan in the transaction; conflicts need a choice each, or nothing is written.
 * Returns the refs created and changed.
 */
export function applySecretsRestore(
  transaction: Transaction,
  document: SecretsDocument,
  choices: Readonly<Record<string, RestoreChoice>>,
  fingerprint: Fingerprint,
): { created: string[]; changed: string[] } {
  const plan = planSecretsRestore(transaction.state, document, fingerprint);
  const undecided = plan.filter((item) => item.kind === 'conflict' && !choices[item.ref]);
  if (undecided.length > 0) {
    throw new RekeyError(
      'INVALID_INPUT',
      `Choose for each secret whose current value differs from the bundle's (keep the vault's or use the bundle's): ${undecided.map((item) => item.ref).join(', ')}`,
    );
  }
  const created: string[] = [];
  const changed: string[] = [];
  for (const bundled of document.secrets) {
    const item = plan.find((candidate) => candidate.ref === bundled.ref);
    if (item?.kind === 'create') {
      const secret = createSecret(transaction, bundled.ref, bundled.metadata);
      for (const version of bundled.versions) restore(transaction, secret, version, version.labels);
      created.push(bundled.ref);
      continue;
    }
    const secret = findSecret(transaction.state, bundled.ref);
    const useBundle = item?.kind === 'conflict' && choices[bundled.ref] === 'use-bundle';
    const missing = missingVersions(secret, bundled);
    for (const version of missing)
      restore(transaction, secret, version, useBundle ? version.labels : []);
    if (useBundle) {
      const displaced = secret.versions.find((version) => version.labels.includes('current'));
      relabelAsBundle(transaction, secret, bundled);
      keepAsPrevious(transaction, secret, displaced?.id);
    }
    if (missing.length > 0 || useBundle) changed.push(bundled.ref);
  }
  return { created, changed };
}

function restore(
  transaction: Transaction,
  secret: SecretRecord,
  version: DocumentSecret['versions'][number],
  labels: Label[],
): void {
  transaction.introduce(version.value);
  const taken = secret.versions.some((existing) => existing.id === version.id);
  const ref = refOf(secret);
  transaction.record(
    {
      kind: 'version.restored',
      data: {
        secretId: secret.id,
        version: {
          id: taken ? newId('v') : version.id,
          origin: version.origin,
          generator: version.generator,
          strength: version.strength,
          publicKey: version.publicKey,
        },
        value: version.value,
        labels,
        createdAt: version.createdAt,
      },
    },
    {
      ref,
      summary: `${ref}: a version from a backup bundle restored${labels.length > 0 ? ` as ${labels.join(', ')}` : ''}`,
    },
  );
}

/** The versions the bundle labels get those labels in the vault too. */
function relabelAsBundle(transaction: Transaction, secret: SecretRecord, bundled: DocumentSecret) {
  const ref = refOf(secret);
  for (const version of bundled.versions) {
    if (version.labels.length === 0) continue;
    const held = secret.versions.find((candidate) => candidate.value.reveal() === version.value);
    if (!held || sameLabels(held.labels, version.labels)) continue;
    transaction.record(
      {
        kind: 'version.relabeled',
        data: { secretId: secret.id, versionId: held.id, labels: version.labels },
      },
      { ref, summary: `${ref}: labels ${version.labels.join(', ')} as in the backup bundle` },
    );
  }
}

/**
 * The vault's current value that the bundle's replaced is what services may be using right
 * now: it becomes `previous` (one step back, as after any new value) rather than an unlabeled
 * version, even though the bundle's own `previous` then loses that label.
 */
function keepAsPrevious(
  transaction: Transaction,
  secret: SecretRecord,
  versionId: string | undefined,
): void {
  const displaced = secret.versions.find((version) => version.id === versionId);
  if (!displaced || displaced.labels.length > 0) return;
  const ref = refOf(secret);
  transaction.record(
    {
      kind: 'version.relabeled',
      data: { secretId: secret.id, versionId: displaced.id, labels: ['previous'] },
    },
    { ref, summary: `${ref}: the value current before the restore kept as previous` },
  );
}

function sameLabels(a: readonly Label[], b: readonly Label[]): boolean {
  return a.length === b.length && a.every((label) => b.includes(label));
}
