import { closeSync, ftruncateSync, openSync, readFileSync, writeSync, constants } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { tryLock } from 'fs-native-extensions';
import { RekeyError } from '../../shared/errors';

/**
 * One writer at a time per vault, across processes. The lock is an OS lock (open file
 * description lock on Linux, flock elsewhere) on a sidecar file, so a writer killed with
 * SIGKILL releases it at once and no stale lock can outlive its process. The sidecar holds
 * who has the lock, so a waiting writer can say whom it is waiting for.
 */

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface VaultLock {
  release(): void;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

export function lockPathFor(vaultPath: string): string {
  return `${vaultPath}.lock`;
}

export async function acquireVaultLock(
  vaultPath: string,
  options: { timeoutMs?: number; command: string; shared: boolean },
): Promise<VaultLock> {
  const lockPath = lockPathFor(vaultPath);
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const fd = openSync(lockPath, constants.O_RDWR | constants.O_CREAT, 0o600);
  const deadline = Date.now() + timeoutMs;
  let wait = 2;
  try {
    while (!tryLock(fd, { shared: options.shared })) {
      if (Date.now() >= deadline) throw busyError(lockPath, timeoutMs);
      // Jittered, growing waits: two writers that collide do not keep colliding.
      await delay(wait + Math.random() * wait);
      wait = Math.min(wait * 2, 50);
    }
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (!options.shared) {
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      command: options.command,
      since: new Date().toISOString(),
    };
    ftruncateSync(fd, 0);
    writeSync(fd, JSON.stringify(holder), 0);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      if (!options.shared) ftruncateSync(fd, 0);
      closeSync(fd);
    },
  };
}

function readHolder(lockPath: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockHolder>;
    if (typeof holder.pid !== 'number' || typeof holder.command !== 'string') return null;
    return {
      pid: holder.pid,
      host: String(holder.host ?? ''),
      command: holder.command,
      since: String(holder.since ?? ''),
    };
  } catch {
    return null;
  }
}

function busyError(lockPath: string, timeoutMs: number): RekeyError {
  const holder = readHolder(lockPath);
  const who = holder
    ? `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.since})`
    : 'another process';
  return new RekeyError(
    'VAULT_BUSY',
    `The vault is busy: ${who} holds ${lockPath}; gave up after ${timeoutMs / 1000} s`,
  );
}
