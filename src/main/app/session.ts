import { RekeyError } from '../../shared/errors';
import type { Source } from '../../shared/model';
import type { Vault } from '../vault/vault';

/** How a front door sets up the core: which vault, who is acting, how warnings surface. */
export interface AppOptions {
  vaultPath: string;
  source: Source;
  /** Shown to other processes waiting for the vault lock. */
  command?: string;
  lockTimeoutMs?: number;
  autoCompactAfter?: number;
  onWarning?: (message: string) => void;
  now?: () => Date;
}

/** The state one front door keeps between calls: at most one unlocked vault. */
export class AppSession {
  vault: Vault | null = null;

  constructor(readonly options: AppOptions) {}

  requireVault(): Vault {
    if (!this.vault) throw new RekeyError('VAULT_LOCKED', 'The vault is locked; unlock it first');
    return this.vault;
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  vaultOptions() {
    const { source, command, lockTimeoutMs, autoCompactAfter, onWarning, now } = this.options;
    return { source, command, lockTimeoutMs, autoCompactAfter, onWarning, now };
  }
}
