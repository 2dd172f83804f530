import { RekeyError } from '../../shared/errors';
import type { EventOf } from './events';
import type { Transaction } from './transaction';
import { newId } from './transaction';

/** Backups made, checked and restored, and the OpenPGP keys they are encrypted to, as events. */

type Created = Omit<EventOf<'backup.created'>['data'], 'id'>;

export function recordBackupCreated(transaction: Transaction, backup: Created): string {
  const id = newId('b');
  const who = [
    backup.passphrase ? 'a passphrase' : '',
    ...backup.recipients.map((fingerprint) => `key ${fingerprint.slice(-16)}`),
  ].filter(Boolean);
  transaction.record(
    { kind: 'backup.created', data: { id, ...backup } },
    {
      summary: `Backup of ${backup.deployment} written to ${backup.file} (${backup.contents.length} parts, ${backup.size} bytes, encrypted to ${who.join(' and ')})`,
    },
  );
  return id;
}

export function recordBackupVerified(
  transaction: Transaction,
  file: string,
  problems: string[],
): void {
  transaction.record(
    {
      kind: 'backup.verified',
      data: { file, ok: problems.length === 0, problems: problems.slice(0, 100) },
    },
    {
      summary:
        problems.length === 0
          ? `Backup ${file} verified: every checksum and the integrity check passed`
          : `Backup ${file} FAILED verification: ${problems[0] ?? ''}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`,
    },
  );
}

export function recordBackupRestored(
  transaction: Transaction,
  restored: EventOf<'backup.restored'>['data'],
): void {
  const parts = [
    ...restored.databases.map((database) => `database ${database}`),
    ...restored.files,
    ...(restored.secrets.length > 0 ? [`${restored.secrets.length} secrets`] : []),
  ];
  transaction.record(
    { kind: 'backup.restored', data: restored },
    { summary: `Restored from ${restored.file}: ${parts.join(', ') || 'nothing'}` },
  );
}

export function addPgpKey(
  transaction: Transaction,
  key: { fingerprint: string; name: string; publicKey: string; privateKey: string | null },
): void {
  if (transaction.state.pgpKeys.has(key.fingerprint)) {
    throw new RekeyError('ALREADY_EXISTS', `Key ${key.fingerprint} is already in the vault`);
  }
  if (key.privateKey !== null) transaction.introduce(key.privateKey);
  transaction.record(
    { kind: 'pgp-key.added', data: key },
    {
      summary: `OpenPGP key ${key.fingerprint} (${key.name}) added${key.privateKey ? ' with its private key' : ', public key only'}`,
    },
  );
}

export function removePgpKey(transaction: Transaction, fingerprint: string): void {
  if (!transaction.state.pgpKeys.has(fingerprint)) {
    throw new RekeyError('NOT_FOUND', `No key ${fingerprint} in the vault`);
  }
  transaction.record(
    { kind: 'pgp-key.removed', data: { fingerprint } },
    { summary: `OpenPGP key ${fingerprint} removed` },
  );
}
