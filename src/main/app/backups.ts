import { RekeyError } from '../../shared/errors';
import { createBundle } from '../backup/create-bundle';
import type { DatabaseSource } from '../backup/database-dump';
import { type DecryptWith, type EncryptTo, describeKey, generateKeyPair } from '../backup/openpgp';
import { bundleParts } from '../backup/bundle-parts';
import { suggestDatabases } from '../backup/database-suggestions';
import { checkDestination } from '../backup/destination';
import { isPassphraseProtected, publicArmored } from '../backup/openpgp-public';
import { restoreBundle } from '../backup/restore-bundle';
import {
  type SecretRestorePlan,
  applySecretsRestore,
  planSecretsRestore,
} from '../backup/restore-secrets';
import { parseSecretsDocument, secretsDocument } from '../backup/secrets-document';
import { verifyBundle } from '../backup/verify-bundle';
import {
  addPgpKey,
  removePgpKey,
  recordBackupCreated,
  recordBackupRestored,
  recordBackupVerified,
} from '../vault/backup-changes';
import { findSecret } from '../vault/changes';
import type { PgpKeyRecord } from '../vault/backup-state';
import type { VaultState } from '../vault/state';
import type { Vault } from '../vault/vault';
import type { DatabaseSourceInput } from '../../shared/backup-api';
import type { Implementation } from './handle';
import type { HostConnections } from './host-connections';
import type { AppSession } from './session';

/**
 * Backup bundles and their keys as the contract offers them. Every bundle made is verified
 * at once and both facts are recorded in the history; a restore verifies before it writes.
 */

type BackupMethods =
  | 'backups.create'
  | 'backups.verify'
  | 'backups.databases'
  | 'backups.destination'
  | 'backups.restore'
  | 'backups.list'
  | 'keys.list'
  | 'keys.generate'
  | 'keys.import'
  | 'keys.export';

function findKey(state: Readonly<VaultState>, fingerprint: string) {
  const key = state.pgpKeys.get(fingerprint);
  if (!key) throw new RekeyError('NOT_FOUND', `No OpenPGP key ${fingerprint} in the vault`);
  return key;
}

function databaseSource(state: Readonly<VaultState>, input: DatabaseSourceInput): DatabaseSource {
  if (input.passwordRef === undefined) return input;
  const secret = findSecret(state, input.passwordRef);
  const current = secret.versions.find((version) => version.labels.includes('current'));
  if (!current) throw new RekeyError('NOT_FOUND', `${input.passwordRef} has no current value`);
  return { ...input, password: current.value.reveal() };
}

function decryptWith(
  state: Readonly<VaultState>,
  input: { passphrase?: string; key?: string },
): DecryptWith {
  if (input.key === undefined) {
    if (input.passphrase === undefined) {
      throw new RekeyError(
        'INVALID_INPUT',
        'Give the bundle passphrase or a key kept in the vault',
      );
    }
    return { passphrase: input.passphrase };
  }
  const key = findKey(state, input.key);
  if (!key.privateKey) {
    throw new RekeyError(
      'INVALID_INPUT',
      `The vault keeps only the public part of key ${input.key}`,
    );
  }
  return { privateKey: { armored: key.privateKey.reveal(), passphrase: input.passphrase } };
}

/** A key's summary for the UI: never its private part, only whether one is kept and locked. */
async function keySummary(key: PgpKeyRecord) {
  return {
    fingerprint: key.fingerprint,
    name: key.name,
    hasPrivateKey: key.privateKey !== null,
    privateKeyProtected:
      key.privateKey !== null && (await isPassphraseProtected(key.privateKey.reveal())),
    addedAt: key.addedAt,
  };
}

/** The contract's view of a restore plan item (fingerprints only, never values). */
function planView(item: SecretRestorePlan) {
  return {
    ref: item.ref,
    kind: item.kind,
    versions: item.kind === 'create' ? item.versions : item.versionsToAdd,
    vaultCurrent: item.kind === 'conflict' ? item.vaultCurrent : null,
    bundleCurrent: item.kind === 'conflict' ? item.bundleCurrent : null,
    vaultIsNewer: item.kind === 'conflict' ? item.vaultIsNewer : false,
  };
}

export function backupMethods(
  session: AppSession,
  connections: HostConnections,
): Pick<Implementation, BackupMethods> {
  const unlocked = async (): Promise<Vault> => {
    const vault = session.requireVault();
    await vault.refresh();
    return vault;
  };
  const deps = (vault: Vault) => ({
    connector: (host: string) => connections.connector(host),
    redact: (text: string) => vault.redactor.redact(text),
  });
  const progress = (part: string, bytes: number, totalBytes: number) =>
    session.emit({ type: 'backup.progress', part, bytes, totalBytes });

  return {
    'backups.create': async (input) => {
      const vault = await unlocked();
      const { state } = vault;
      if (!state.deployments.has(input.deployment)) {
        throw new RekeyError('NOT_FOUND', `No deployment ${input.deployment}`);
      }
      const recipients = input.recipients.map((fingerprint) => findKey(state, fingerprint));
      const encryptTo: EncryptTo = {
        ...(input.passphrase === undefined ? {} : { passphrase: input.passphrase }),
        recipients: recipients.map((key) => key.publicKey),
      };
      const created = await createBundle(
        {
          deployment: input.deployment,
          databases: input.databases.map((database) => databaseSource(state, database)),
          files: input.files,
          secrets: input.secrets ? secretsDocument(state, input.deployment, new Date()) : null,
          encryptTo,
          recipientFingerprints: recipients.map((key) => key.fingerprint),
          destinationDir: input.to,
          toolVersion: session.options.version ?? 'dev',
          now: new Date(),
        },
        {
          ...deps(vault),
          onProgress: (progress) => session.emit({ type: 'backup.progress', ...progress }),
        },
      );
      // Verified with what it was made for: the passphrase, else a kept private key that
      // opens without its own passphrase (a locked one is verified later, from Backups).
      const opener = input.passphrase !== undefined ? { passphrase: input.passphrase } : null;
      const keyOpener = opener ?? (await unlockedKeyAmong(recipients));
      const report = keyOpener
        ? await verifyCreated(created.file, state, keyOpener, (bytes, total) =>
            progress('verifying', bytes, total),
          )
        : null;
      const id = await vault.transact((t) => {
        const backupId = recordBackupCreated(t, {
          deployment: input.deployment,
          file: created.file,
          size: created.size,
          sha256: created.sha256,
          contents: created.entries.map(({ name, size }) => ({ name, size })),
          passphrase: input.passphrase !== undefined,
          recipients: recipients.map((key) => key.fingerprint),
        });
        if (report) recordBackupVerified(t, created.file, report.problems);
        return backupId;
      });
      return {
        id,
        file: created.file,
        size: created.size,
        sha256: created.sha256,
        entries: created.entries,
        verified: report?.ok ?? false,
        problems: report?.problems ?? [unverifiedReason(recipients)],
      };
    },
    'backups.verify': async (input) => {
      const vault = await unlocked();
      const report = await verifyBundle(input.file, decryptWith(vault.state, input), (b, t) =>
        progress('verifying', b, t),
      );
      await vault.transact((t) => recordBackupVerified(t, input.file, report.problems));
      const manifest = report.manifest as { deployment?: unknown; createdAt?: unknown } | null;
      const secrets =
        report.ok && report.secrets
          ? planSecretsRestore(vault.state, parseSecretsDocument(report.secrets), (value) =>
              vault.fingerprint(value),
            ).map(planView)
          : null;
      return {
        file: input.file,
        ok: report.ok,
        problems: report.problems,
        entries: report.entries.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
        deployment: typeof manifest?.deployment === 'string' ? manifest.deployment : null,
        createdAt: typeof manifest?.createdAt === 'string' ? manifest.createdAt : null,
        parts: bundleParts(report.manifest, report.entries),
        secrets,
      };
    },
    'backups.destination': async ({ to }) => {
      await unlocked();
      if (!to.startsWith('/')) {
        throw new RekeyError('INVALID_INPUT', 'Enter the destination folder as an absolute path');
      }
      return checkDestination(to, session.vaultPath);
    },
    'backups.databases': async ({ deployment }) => {
      const vault = await unlocked();
      if (!vault.state.deployments.has(deployment)) {
        throw new RekeyError('NOT_FOUND', `No deployment ${deployment}`);
      }
      return suggestDatabases(vault.state, deployment);
    },
    'backups.restore': async (input) => {
      const vault = await unlocked();
      const fingerprint = (value: string) => vault.fingerprint(value);
      const result = await restoreBundle(
        {
          file: input.file,
          using: decryptWith(vault.state, input),
          databases: input.databases.map((database) => databaseSource(vault.state, database)),
          files: input.files,
          secrets: input.secrets,
          onProgress: progress,
          beforeWrite: (document) => {
            const undecided = planSecretsRestore(vault.state, document, fingerprint).filter(
              (item) => item.kind === 'conflict' && !input.choices[item.ref],
            );
            if (undecided.length > 0) {
              throw new RekeyError(
                'INVALID_INPUT',
                `Choose for each secret whose current value differs from the bundle's (keep the vault's or use the bundle's); nothing was restored: ${undecided.map((item) => item.ref).join(', ')}`,
              );
            }
          },
        },
        deps(vault),
      );
      const document = result.secrets;
      const applied = await vault.transact((t) => {
        const secrets = document
          ? applySecretsRestore(t, document, input.choices, fingerprint)
          : { created: [], changed: [] };
        recordBackupRestored(t, {
          file: input.file,
          databases: result.databases,
          files: result.files.map((file) => `${file.path} on ${file.host}`),
          secrets: [...secrets.created, ...secrets.changed],
        });
        return secrets;
      });
      const plan = document ? planSecretsRestore(vault.state, document, fingerprint) : [];
      return {
        file: input.file,
        databases: result.databases,
        files: result.files,
        secrets: plan.map(planView),
        secretsApplied: [...applied.created, ...applied.changed],
      };
    },
    'backups.list': async () => {
      const vault = await unlocked();
      return [...vault.state.backups].reverse().map((backup) => ({
        id: backup.id,
        deployment: backup.deployment,
        file: backup.file,
        size: backup.size,
        createdAt: backup.createdAt,
        contents: backup.contents,
        passphrase: backup.passphrase,
        recipients: backup.recipients,
        verified: backup.verified,
      }));
    },
    'keys.list': async () => {
      const vault = await unlocked();
      return Promise.all([...vault.state.pgpKeys.values()].map(keySummary));
    },
    'keys.generate': async (input) => {
      const vault = await unlocked();
      const pair = await generateKeyPair({
        name: input.name,
        ...(input.email ? { email: input.email } : {}),
        ...(input.passphrase ? { passphrase: input.passphrase } : {}),
      });
      await vault.transact((t) =>
        addPgpKey(t, {
          fingerprint: pair.fingerprint,
          name: input.email ? `${input.name} <${input.email}>` : input.name,
          publicKey: pair.publicKey,
          privateKey: input.keepPrivate ? pair.privateKey : null,
        }),
      );
      return {
        fingerprint: pair.fingerprint,
        publicKey: pair.publicKey,
        privateKey: input.keepPrivate ? null : pair.privateKey,
      };
    },
    'keys.import': async ({ armored }) => {
      const vault = await unlocked();
      const described = await describeKey(armored);
      if (!described.canEncrypt) {
        throw new RekeyError(
          'INVALID_INPUT',
          `Key ${described.fingerprint} cannot encrypt: it has no encryption subkey Rekey can use`,
        );
      }
      // A private key is kept as given; its public part is what bundles are encrypted to.
      const publicKey = described.isPrivate ? await publicArmored(armored) : armored;
      await vault.transact((t) => {
        // The private part of a key whose public part is kept already completes it.
        const known = t.state.pgpKeys.get(described.fingerprint);
        if (known && !known.privateKey && described.isPrivate)
          removePgpKey(t, described.fingerprint);
        addPgpKey(t, {
          fingerprint: described.fingerprint,
          name: described.userIds[0] ?? described.fingerprint,
          publicKey,
          privateKey: described.isPrivate ? armored : null,
        });
      });
      return keySummary(findKey(vault.state, described.fingerprint));
    },
    'keys.export': async ({ fingerprint, private: wantPrivate }) => {
      const vault = await unlocked();
      const key = findKey(vault.state, fingerprint);
      if (!wantPrivate) return { fingerprint, armored: key.publicKey };
      if (!key.privateKey)
        throw new RekeyError('NOT_FOUND', `The vault keeps no private key for ${fingerprint}`);
      return { fingerprint, armored: key.privateKey.reveal() };
    },
  };
}

/**
 * The check right after writing: a bundle that cannot be opened with what it was made for
 * (e.g. a kept key that needs its passphrase) is reported unverified, never lost.
 */
async function verifyCreated(
  file: string,
  state: Readonly<VaultState>,
  opener: { passphrase?: string; key?: string },
  onProgress: (bytes: number, total: number) => void,
) {
  try {
    return await verifyBundle(file, decryptWith(state, opener), onProgress);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [`not verified: ${reason}`],
      manifest: null,
      entries: [],
      size: 0,
      secrets: null,
    };
  }
}

/** The first recipient whose private key is kept and opens without a passphrase. */
async function unlockedKeyAmong(recipients: readonly PgpKeyRecord[]) {
  for (const key of recipients) {
    if (key.privateKey && !(await isPassphraseProtected(key.privateKey.reveal()))) {
      return { key: key.fingerprint };
    }
  }
  return null;
}

function unverifiedReason(recipients: readonly PgpKeyRecord[]): string {
  const locked = recipients.find((key) => key.privateKey);
  return locked
    ? `not verified yet: the kept key ${locked.name} needs its passphrase (verify it from Backups)`
    : 'not verified: made for public keys only, and no passphrase';
}
