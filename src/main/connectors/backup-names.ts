import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';

/**
 * The one naming scheme for the files Rekey leaves beside a target, shared by every
 * connector so a user (or a cleanup) finds them the same way on any host:
 *
 *   .<name>.rekey-backup-<UTC yyyymmddThhmmssZ>-<4 hex>   previous content, kept for rollback
 *   .<name>.rekey-tmp-<12 hex>                            new content before the rename
 *
 * Both live in the target's own directory (a rename is only atomic within one file system)
 * and are hidden files, so globbing services (`conf.d/*.conf`) do not pick them up.
 */

const BACKUP_MARK = '.rekey-backup-';
const TEMP_MARK = '.rekey-tmp-';

export function backupPathFor(path: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return sibling(path, `${BACKUP_MARK}${stamp}-${randomBytes(2).toString('hex')}`);
}

export function tempPathFor(path: string): string {
  return sibling(path, `${TEMP_MARK}${randomBytes(6).toString('hex')}`);
}

/**
 * True when `backupPath` is a Rekey backup of `path`: same directory, same base name, the
 * backup mark and stamp. Restoring anything else over a target is refused.
 */
export function isBackupOf(path: string, backupPath: string): boolean {
  const prefix = sibling(path, BACKUP_MARK);
  if (!backupPath.startsWith(prefix)) return false;
  return /^\d{8}T\d{6}Z-[0-9a-f]{4}$/.test(backupPath.slice(prefix.length));
}

function sibling(path: string, suffix: string): string {
  const dir = posix.dirname(path);
  const base = posix.basename(path);
  return posix.join(dir, `.${base}${suffix}`);
}
