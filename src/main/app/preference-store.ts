import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DEFAULT_PREFERENCES, type Preferences, preferencesSchema } from '../../shared/api';
import { ensureVaultDirectory, writeFileAtomically } from '../vault/file-io';

const storedSchema = z.object({
  preferences: preferencesSchema.partial().optional(),
  lastVaultPath: z.string().optional(),
});

export interface StoredPreferences {
  preferences: Preferences;
  lastVaultPath: string | null;
}

/**
 * Preferences live in a small JSON file beside the vault's default location, readable before
 * any vault is unlocked. A file that cannot be read or parsed gives the defaults: preferences
 * are a convenience, never a reason not to start. Without a path they live in memory only.
 */
export class PreferenceStore {
  #current: StoredPreferences = { preferences: { ...DEFAULT_PREFERENCES }, lastVaultPath: null };

  constructor(readonly path: string | null) {}

  async load(): Promise<StoredPreferences> {
    if (!this.path) return this.#current;
    try {
      const parsed = storedSchema.parse(JSON.parse(await readFile(this.path, 'utf8')));
      this.#current = {
        preferences: { ...DEFAULT_PREFERENCES, ...parsed.preferences },
        lastVaultPath: parsed.lastVaultPath ?? null,
      };
    } catch {
      // Missing or unreadable: keep the defaults.
    }
    return this.#current;
  }

  get current(): StoredPreferences {
    return this.#current;
  }

  async save(change: Partial<StoredPreferences>): Promise<StoredPreferences> {
    this.#current = { ...this.#current, ...change };
    if (this.path) {
      await ensureVaultDirectory(this.path);
      const { preferences, lastVaultPath } = this.#current;
      const body = { preferences, ...(lastVaultPath ? { lastVaultPath } : {}) };
      await writeFileAtomically(this.path, Buffer.from(`${JSON.stringify(body, null, 2)}\n`));
    }
    return this.#current;
  }
}
