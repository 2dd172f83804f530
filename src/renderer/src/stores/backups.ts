import { create } from 'zustand';
import type { MethodOutput } from '../../../shared/api';
import { call, errorMessage } from '../api/client';

export type BackupSummary = MethodOutput<'backups.list'>[number];

/**
 * Backup bundles as the UI holds them: what `backups.list` says of each (file, size, contents'
 * names, how it is encrypted, its last verification) and the deployments' names, plus whether
 * the create or restore wizard is open. Passphrases never come here: they live in the dialogs' state
 * while typed and are dropped after the call.
 */
interface BackupsState {
  items: BackupSummary[];
  deployments: string[];
  loaded: boolean;
  error: string | null;
  wizardOpen: boolean;
  /** The restore wizard, open on a bundle of the list (or '' for a file to choose); null: closed. */
  restoring: { file: string; backup: BackupSummary | null } | null;
  load(): Promise<void>;
  openWizard(): void;
  closeWizard(): void;
  openRestore(backup?: BackupSummary): void;
  closeRestore(): void;
  reset(): void;
}

export const useBackups = create<BackupsState>((set) => ({
  items: [],
  deployments: [],
  loaded: false,
  error: null,
  wizardOpen: false,
  restoring: null,

  async load() {
    try {
      const [items, deployments] = await Promise.all([
        call('backups.list', {}),
        call('deployments.list', {}),
      ]);
      set({
        items: [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
        deployments: deployments.map((deployment) => deployment.name),
        loaded: true,
        error: null,
      });
    } catch (error) {
      set({ error: errorMessage(error), loaded: true });
    }
  },

  openWizard() {
    set({ wizardOpen: true });
  },

  closeWizard() {
    set({ wizardOpen: false });
  },

  openRestore(backup) {
    set({ restoring: { file: backup?.file ?? '', backup: backup ?? null } });
  },

  closeRestore() {
    set({ restoring: null });
  },

  reset() {
    set({
      items: [],
      deployments: [],
      loaded: false,
      error: null,
      wizardOpen: false,
      restoring: null,
    });
  },
}));

/** The newest bundle of each deployment (items come newest first). */
export function latestByDeployment(items: readonly BackupSummary[]): Map<string, BackupSummary> {
  const latest = new Map<string, BackupSummary>();
  for (const item of items) {
    const known = latest.get(item.deployment);
    if (!known || known.createdAt < item.createdAt) latest.set(item.deployment, item);
  }
  return latest;
}
