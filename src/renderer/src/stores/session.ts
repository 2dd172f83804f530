import { create } from 'zustand';
import {
  type AppInfo,
  DEFAULT_PREFERENCES,
  type KeychainUnlock,
  type Preferences,
  type VaultStatus,
} from '../../../shared/api';
import type { AppEvent } from '../../../shared/methods';
import { call, rekey } from '../api/client';

export type View =
  | 'dashboard'
  | 'inventory'
  | 'hosts'
  | 'rotations'
  | 'backups'
  | 'incidents'
  | 'health'
  | 'history'
  | 'settings';

/** Why the vault locked without the user asking: shown on the unlock screen. */
const LOCK_REASONS: Record<string, string> = {
  idle: 'Locked after a while without activity.',
  suspend: 'Locked because the computer went to sleep.',
  'lock-screen': 'Locked because the screen was locked.',
};

interface SessionState {
  info: AppInfo | null;
  status: VaultStatus | null;
  preferences: Preferences;
  view: View;
  lockNotice: string | null;
  kdfProgress: number | null;
  /** Bumped whenever the inventory changed (here or in another window): views reload. */
  revision: number;
  init(): Promise<void>;
  refreshStatus(): Promise<void>;
  create(password: string): Promise<void>;
  /** `remember`: keep the vault key in this device's keychain (the unlock stands either way). */
  unlock(password: string, remember?: boolean): Promise<void>;
  unlockWithKeychain(): Promise<KeychainUnlock>;
  forgetDevice(): Promise<void>;
  lock(): Promise<void>;
  usePath(path: string): Promise<void>;
  updatePreferences(changes: Partial<Preferences>): Promise<void>;
  navigate(view: View): void;
}

export const useSession = create<SessionState>((set, get) => ({
  info: null,
  status: null,
  preferences: DEFAULT_PREFERENCES,
  view: 'dashboard',
  lockNotice: null,
  kdfProgress: null,
  revision: 0,

  async init() {
    const [info, status, preferences] = await Promise.all([
      call('app.info', {}),
      call('vault.status', {}),
      call('preferences.get', {}),
    ]);
    set({ info, status, preferences });
    rekey().events.subscribe((event: AppEvent) => {
      if (event.type === 'vault.locked') {
        set({ lockNotice: LOCK_REASONS[event.reason] ?? null });
        void get().refreshStatus();
      } else if (event.type === 'kdf.progress') {
        set({ kdfProgress: event.fraction });
      } else if (event.type === 'vault.changed') {
        set((state) => ({ revision: state.revision + 1 }));
        void get().refreshStatus();
      } else if (event.type === 'vault.unlocked') {
        void get().refreshStatus();
      }
    });
  },

  async refreshStatus() {
    set({ status: await call('vault.status', {}) });
  },

  async create(password) {
    set({ kdfProgress: 0 });
    try {
      set({
        status: await call('vault.create', { password }),
        view: 'dashboard',
        lockNotice: null,
      });
    } finally {
      set({ kdfProgress: null });
    }
  },

  async unlock(password, remember) {
    const input = remember ? { password, remember } : { password };
    set({ status: await call('vault.unlock', input), lockNotice: null });
  },

  async unlockWithKeychain() {
    const result = await call('vault.unlockWithKeychain', {});
    set(result.unlocked ? { status: result.status, lockNotice: null } : { status: result.status });
    return result;
  },

  async forgetDevice() {
    set({ status: await call('vault.forgetDevice', {}) });
  },

  async lock() {
    set({ status: await call('vault.lock', {}), lockNotice: null });
  },

  async usePath(path) {
    set({ status: await call('vault.setPath', { path }), lockNotice: null });
  },

  async updatePreferences(changes) {
    set({ preferences: await call('preferences.update', changes) });
  },

  navigate(view) {
    set({ view });
  },
}));
