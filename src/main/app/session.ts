import { RekeyError } from '../../shared/errors';
import type { AppEvent } from '../../shared/methods';
import type { Source } from '../../shared/model';
import type { Keychain } from '../keychain/keychain';
import { defaultKeychain } from '../keychain/system';
import type { Vault } from '../vault/vault';
import { ClipboardGuard, type ClipboardPort } from './clipboard';
import { EventHub } from './event-hub';
import { IdleLock } from './idle-lock';
import { PreferenceStore } from './preference-store';

/** How a front door sets up the core: which vault, who is acting, how warnings surface. */
export interface AppOptions {
  vaultPath: string;
  source: Source;
  /** Rekey's version, shown by `app.info`. */
  version?: string;
  /** Shown to other processes waiting for the vault lock. */
  command?: string;
  lockTimeoutMs?: number;
  autoCompactAfter?: number;
  onWarning?: (message: string) => void;
  now?: () => Date;
  /** Where preferences are kept; without it they live in memory for this session. */
  preferencesPath?: string | null;
  /** The system clipboard, when this front door's process can write it (Electron). */
  clipboard?: ClipboardPort;
  /** Lock after the idle time of the preferences (desktop and browser, not the CLI). */
  idleLock?: boolean;
  /** The OS keychain for "remember on this device" (default: the system's, see defaultKeychain). */
  keychain?: Keychain;
}

/** The state one front door keeps between calls: at most one unlocked vault. */
export class AppSession {
  vault: Vault | null = null;
  vaultPath: string;
  readonly events = new EventHub();
  readonly preferences: PreferenceStore;
  readonly clipboard: ClipboardGuard | null;
  readonly keychain: Keychain;
  readonly #idleLock: IdleLock | null;
  readonly #lockListeners = new Set<() => void>();

  constructor(readonly options: AppOptions) {
    this.vaultPath = options.vaultPath;
    this.preferences = new PreferenceStore(options.preferencesPath ?? null);
    this.clipboard = options.clipboard ? new ClipboardGuard(options.clipboard) : null;
    this.keychain = options.keychain ?? defaultKeychain();
    this.#idleLock = options.idleLock
      ? new IdleLock(
          () => this.preferences.current.preferences.autoLockMinutes,
          () => this.lock('idle'),
        )
      : null;
  }

  requireVault(): Vault {
    if (!this.vault) throw new RekeyError('VAULT_LOCKED', 'The vault is locked; unlock it first');
    return this.vault;
  }

  /** Activity: postpones the idle lock. */
  touch(): void {
    if (this.vault) this.#idleLock?.touch();
  }

  opened(vault: Vault): void {
    this.lock(null);
    this.vault = vault;
    this.#idleLock?.touch();
    this.emit({ type: 'vault.unlocked' });
  }

  /** Runs whenever the vault locks: what was opened with its keys (connections) closes too. */
  onLock(listener: () => void): void {
    this.#lockListeners.add(listener);
  }

  /** Forgets the key; `reason` null when no one needs telling (replaced by another vault). */
  lock(reason: Extract<AppEvent, { type: 'vault.locked' }>['reason'] | null): void {
    this.#idleLock?.stop();
    void this.clipboard?.clearNow();
    for (const listener of this.#lockListeners) listener();
    if (!this.vault) return;
    this.vault.close();
    this.vault = null;
    if (reason) this.emit({ type: 'vault.locked', reason });
  }

  emit(event: AppEvent): void {
    this.events.emit(event);
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  vaultOptions() {
    const { source, command, lockTimeoutMs, autoCompactAfter, onWarning, now } = this.options;
    return { source, command, lockTimeoutMs, autoCompactAfter, onWarning, now };
  }
}
