import { RekeyError } from '../../shared/errors';

/**
 * The OS keychain as Rekey uses it: one secret per vault, under the service "Rekey" and the
 * vault's id as the account. The interface is small so the session layer does not care which
 * platform store sits behind it (Secret Service on Linux, Keychain on macOS, Credential
 * Manager on Windows) and so a front door can switch it off (`REKEY_NO_KEYCHAIN`).
 */

export type KeychainAvailability = { available: true } | { available: false; reason: string };

export interface KeychainCallOptions {
  /** How long to wait for the keychain (it may be asking the user to unlock it). */
  timeoutMs?: number;
}

export interface Keychain {
  /** Whether entries can be read here; answers within a short timeout, never throws. */
  availability(): Promise<KeychainAvailability>;
  /** The stored bytes (the caller zeroes them), or null when there is no entry. */
  get(account: string, options?: KeychainCallOptions): Promise<Buffer | null>;
  set(account: string, secret: Buffer, options?: KeychainCallOptions): Promise<void>;
  /** True when an entry was removed, false when there was none. */
  delete(account: string, options?: KeychainCallOptions): Promise<boolean>;
}

/** The service name every Rekey entry is stored under. */
export const KEYCHAIN_SERVICE = 'Rekey';

/** Status checks run on every unlock screen: they must not hold it up. */
export const AVAILABILITY_TIMEOUT_MS = 3_000;
/** Reading a key may wait for the user to unlock the keyring in a system prompt. */
export const UNLOCK_TIMEOUT_MS = 60_000;

/** No keychain to use here; `reason` says why in words a user can act on. */
export class KeychainUnavailableError extends RekeyError {
  constructor(readonly reason: string) {
    super('IO', `No keychain on this device (${reason})`);
    this.name = 'KeychainUnavailableError';
  }
}

/** A keychain that is switched off or absent: every call says why. */
export function unavailableKeychain(reason: string): Keychain {
  const fail = () => Promise.reject(new KeychainUnavailableError(reason));
  return {
    availability: async () => ({ available: false, reason }),
    get: fail,
    set: fail,
    delete: fail,
  };
}
