import { RekeyError } from '../../shared/errors';

/** Where damage was found, so a user (or a repair tool) can tell which record is affected. */
export interface DamageLocation {
  /** Record number, counted from 0 after the header; absent when the header is damaged. */
  record?: number;
  /** Byte offset of the damaged part in the vault file. */
  offset: number;
}

export class VaultDamagedError extends RekeyError {
  readonly location: DamageLocation;

  constructor(location: DamageLocation, reason: string) {
    const where =
      location.record === undefined
        ? `header at byte ${location.offset}`
        : `record ${location.record} at byte ${location.offset}`;
    super('VAULT_DAMAGED', `Vault is damaged: ${where}: ${reason}`);
    this.name = 'VaultDamagedError';
    this.location = location;
  }
}

export function notAVault(path: string): RekeyError {
  return new RekeyError('NOT_A_VAULT', `${path} is not a Rekey vault`);
}

export function newerFormat(version: number, supported: number): RekeyError {
  return new RekeyError(
    'NEWER_FORMAT',
    `This vault uses format version ${version}; this Rekey reads up to version ${supported}. ` +
      'Update Rekey to open it.',
  );
}

export function wrongPassword(): RekeyError {
  return new RekeyError('WRONG_PASSWORD', 'Wrong password for this vault');
}
