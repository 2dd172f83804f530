import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * What the backup wizard tells about a destination folder before a bundle is written there:
 * whether it is a writable directory, how much room it has, and whether it sits on the vault's
 * own device (then one failed disk takes the vault and its backup together).
 */

export interface DestinationCheck {
  directory: boolean;
  writable: boolean;
  sameDiskAsVault: boolean;
  freeBytes: number | null;
}

export async function checkDestination(
  to: string,
  vaultPath: string | null,
): Promise<DestinationCheck> {
  const found = await stat(to).catch(() => null);
  if (!found?.isDirectory()) {
    return { directory: false, writable: false, sameDiskAsVault: false, freeBytes: null };
  }
  const writable = await access(to, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  const vaultDir = vaultPath ? await stat(dirname(vaultPath)).catch(() => null) : null;
  const space = await statfs(to).catch(() => null);
  return {
    directory: true,
    writable,
    sameDiskAsVault: vaultDir !== null && vaultDir.dev === found.dev,
    freeBytes: space ? space.bavail * space.bsize : null,
  };
}
