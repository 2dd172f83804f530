import type { EventOf } from './events';
import { SecretValue } from './secret-value';

/** Backup bundles made and checked, and the OpenPGP keys bundles are encrypted to. */

export interface BackupRecord {
  id: string;
  deployment: string;
  file: string;
  size: number;
  sha256: string;
  contents: { name: string; size: number }[];
  passphrase: boolean;
  recipients: string[];
  createdAt: string;
  /** The last verification of this file: when, and whether it passed. */
  verified: { at: string; ok: boolean } | null;
}

export interface PgpKeyRecord {
  fingerprint: string;
  name: string;
  publicKey: string;
  /** Kept only when the user chose to keep it in the vault. */
  privateKey: SecretValue | null;
  addedAt: string;
}

export interface BackupState {
  backups: BackupRecord[];
  pgpKeys: Map<string, PgpKeyRecord>;
}

export class BackupEventError extends Error {}

type BackupEvent =
  | EventOf<'backup.created'>
  | EventOf<'backup.verified'>
  | EventOf<'backup.restored'>
  | EventOf<'pgp-key.added'>
  | EventOf<'pgp-key.removed'>;

export function applyBackupEvent(state: BackupState, event: BackupEvent & { at: string }): void {
  switch (event.kind) {
    case 'backup.created':
      state.backups.push({ ...event.data, createdAt: event.at, verified: null });
      return;
    case 'backup.verified': {
      const backup = state.backups.findLast((candidate) => candidate.file === event.data.file);
      if (backup) backup.verified = { at: event.at, ok: event.data.ok };
      return;
    }
    case 'backup.restored':
      return;
    case 'pgp-key.added': {
      const { privateKey, ...rest } = event.data;
      if (state.pgpKeys.has(rest.fingerprint)) {
        throw new BackupEventError(`key ${rest.fingerprint} already exists`);
      }
      state.pgpKeys.set(rest.fingerprint, {
        ...rest,
        privateKey: privateKey === null ? null : new SecretValue(privateKey),
        addedAt: event.at,
      });
      return;
    }
    case 'pgp-key.removed':
      if (!state.pgpKeys.delete(event.data.fingerprint)) {
        throw new BackupEventError(`no key ${event.data.fingerprint}`);
      }
      return;
  }
}
