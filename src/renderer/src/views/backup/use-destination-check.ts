import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api';
import { call } from '../../api/client';

export type DestinationCheck = MethodOutput<'backups.destination'>;

/** Why a bundle cannot be written to the checked folder; null when it can. */
export function destinationProblem(path: string, check: DestinationCheck): string | null {
  if (!check.directory) return `There is no folder at ${path}`;
  if (!check.writable) return `Rekey may not write to ${path}`;
  return null;
}

/**
 * The main process's look at a destination folder as it is typed (a short pause first, so
 * not every keystroke asks): a directory or not, writable, free space, same disk as the vault.
 */
export function useDestinationCheck(path: string): DestinationCheck | null {
  const [checked, setChecked] = useState<{ path: string; check: DestinationCheck } | null>(null);
  useEffect(() => {
    if (!path.startsWith('/')) return undefined;
    let current = true;
    const timer = setTimeout(() => {
      call('backups.destination', { to: path })
        .then((check) => current && setChecked({ path, check }))
        .catch(() => undefined);
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [path]);
  return checked?.path === path ? checked.check : null;
}
