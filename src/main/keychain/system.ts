import { existsSync } from 'node:fs';
import type * as Keyring from '@napi-rs/keyring';
import type { AsyncEntry } from '@napi-rs/keyring';
import { join } from 'node:path';
import {
  AVAILABILITY_TIMEOUT_MS,
  KEYCHAIN_SERVICE,
  type Keychain,
  type KeychainCallOptions,
  KeychainUnavailableError,
  UNLOCK_TIMEOUT_MS,
  unavailableKeychain,
} from './keychain';

/**
 * The platform keychain through @napi-rs/keyring (keyring-rs over N-API, prebuilt binaries
 * from the npm registry). On Linux the entry is pinned to the Secret Service: left to its
 * default, the library silently falls back to the kernel keyring, which forgets everything at
 * logout and is not what a user means by "remember on this device".
 *
 * The library connects to the session bus on the first call in a process and keeps that
 * connection, so the environment (DBUS_SESSION_BUS_ADDRESS) counts as it was at that call.
 */

type KeyringModule = typeof Keyring;

let loaded: Promise<KeyringModule> | null = null;

/** Loaded on first use: a missing native binary makes the keychain unavailable, not Rekey. */
function loadKeyring(): Promise<KeyringModule> {
  loaded ??= import('@napi-rs/keyring').catch((error: unknown) => {
    loaded = null;
    throw new KeychainUnavailableError(
      `the keychain library could not load: ${firstLine(String(error))}`,
    );
  });
  return loaded;
}

export interface SystemKeychainOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  service?: string;
}

export function systemKeychain(options: SystemKeychainOptions = {}): Keychain {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const service = options.service ?? KEYCHAIN_SERVICE;

  const entry = async (account: string): Promise<AsyncEntry> => {
    const missingBus = platform === 'linux' ? missingSessionBus(env) : null;
    if (missingBus) throw new KeychainUnavailableError(missingBus);
    const keyring = await loadKeyring();
    try {
      // Pinned to the Secret Service on Linux (see above); other platforms ignore the option.
      return new keyring.AsyncEntry(service, account, { linux: { store: 'secret-service' } });
    } catch (error) {
      throw unavailable(error);
    }
  };

  const call = async <T>(
    account: string,
    options: KeychainCallOptions | undefined,
    fallbackMs: number,
    body: (entry: AsyncEntry, signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    const timeoutMs = options?.timeoutMs ?? fallbackMs;
    return withTimeout(timeoutMs, async (signal) => {
      const target = await entry(account);
      try {
        return await body(target, signal);
      } catch (error) {
        throw unavailable(error);
      }
    });
  };

  return {
    availability: async () => {
      try {
        // A read of an entry that never exists: it needs the store, never a real secret.
        await call('availability-probe', undefined, AVAILABILITY_TIMEOUT_MS, (target, signal) =>
          target.getSecret(signal),
        );
        return { available: true };
      } catch (error) {
        return { available: false, reason: reasonOf(error) };
      }
    },
    get: (account, options) =>
      call(account, options, UNLOCK_TIMEOUT_MS, async (target, signal) => {
        const bytes = await target.getSecret(signal);
        if (bytes === null) return null;
        const secret = Buffer.from(bytes);
        bytes.fill(0);
        return secret;
      }),
    set: (account, secret, options) =>
      call(account, options, UNLOCK_TIMEOUT_MS, (target, signal) =>
        target.setSecret(secret, signal),
      ),
    delete: (account, options) =>
      call(account, options, UNLOCK_TIMEOUT_MS, (target, signal) =>
        target.deleteCredential(signal),
      ),
  };
}

/** Null when a session bus can be reached in principle; else why not. */
function missingSessionBus(env: NodeJS.ProcessEnv): string | null {
  if (env['DBUS_SESSION_BUS_ADDRESS']) return null;
  const runtimeDir = env['XDG_RUNTIME_DIR'];
  if (runtimeDir && existsSync(join(runtimeDir, 'bus'))) return null;
  return 'no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set';
}

async function withTimeout<T>(
  timeoutMs: number,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new KeychainUnavailableError(`the keychain did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([body(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function unavailable(error: unknown): KeychainUnavailableError {
  return error instanceof KeychainUnavailableError
    ? error
    : new KeychainUnavailableError(reasonOf(error));
}

/** The library's messages, in words a user can act on. They never hold the secret. */
export function reasonOf(error: unknown): string {
  if (error instanceof KeychainUnavailableError) return error.reason;
  const message = firstLine(error instanceof Error ? fullMessage(error) : String(error));
  if (/org\.freedesktop\.secrets|ServiceUnknown|not provided by any \.service/i.test(message)) {
    return 'no Secret Service on the D-Bus session';
  }
  if (/connect to socket|Failed to connect|Connection refused|NoServer/i.test(message)) {
    return 'cannot reach the D-Bus session bus';
  }
  if (/no result found/i.test(message)) return 'the Secret Service has no default keyring';
  if (/locked|dismissed|prompt/i.test(message)) return 'the keyring is locked';
  return `the keychain failed: ${message.slice(0, 200)}`;
}

/** keyring-rs wraps the D-Bus error in one or two causes; the innermost says the most. */
function fullMessage(error: Error): string {
  const parts: string[] = [];
  for (let at: unknown = error; at instanceof Error && parts.length < 4; at = at.cause) {
    parts.push(at.message);
  }
  return parts.join(': ');
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

/** The keychain a front door uses: the system's, unless REKEY_NO_KEYCHAIN switches it off. */
export function defaultKeychain(env: NodeJS.ProcessEnv = process.env): Keychain {
  if (env['REKEY_NO_KEYCHAIN']) return unavailableKeychain('switched off by REKEY_NO_KEYCHAIN');
  return systemKeychain({ env });
}
