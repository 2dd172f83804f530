import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ensureVaultDirectory, writeFileAtomically } from '../vault/file-io';
import type { ShownLog } from './select';

/**
 * The log of reminders shown today, in a small file beside the preferences, so restarting
 * the app does not show the same reminders again. Holds refs and deployment names only.
 * A file that cannot be read is an empty log: at worst a reminder shows twice.
 */
export class ShownStore {
  constructor(readonly path: string | null) {}

  async load(): Promise<ShownLog> {
    if (!this.path) return {};
    try {
      return z.record(z.string(), z.string()).parse(JSON.parse(await readFile(this.path, 'utf8')));
    } catch {
      return {};
    }
  }

  async save(log: ShownLog): Promise<void> {
    if (!this.path) return;
    await ensureVaultDirectory(this.path);
    await writeFileAtomically(this.path, Buffer.from(`${JSON.stringify(log, null, 2)}\n`));
  }
}
