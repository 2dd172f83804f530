import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RekeyError } from '../../shared/errors';

/**
 * The only code that touches the vault file. Appends are one positional write followed by
 * fdatasync; whole-file replacements go through a temporary file, fsync, rename and a
 * directory fsync, so a crash leaves either the old file or the new one.
 */

export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
}

const VAULT_MODE = 0o600;

export async function identityOf(path: string): Promise<FileIdentity | null> {
  try {
    const info = await stat(path);
    return { dev: info.dev, ino: info.ino, size: info.size };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** Reads from `offset` to the end, and says which file (inode) the bytes came from. */
export async function readFileFrom(
  path: string,
  offset = 0,
): Promise<{ bytes: Buffer; identity: FileIdentity }> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    const length = Math.max(0, info.size - offset);
    const bytes = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(bytes, read, length - read, offset + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return {
      bytes: bytes.subarray(0, read),
      identity: { dev: info.dev, ino: info.ino, size: info.size },
    };
  } finally {
    await handle.close();
  }
}

/**
 * Writes `frame` at `offset` and makes it durable. Anything after `offset` (the remains of
 * an interrupted append) is cut off first so it can never be read as part of a record.
 */
export async function appendDurably(path: string, offset: number, frame: Buffer): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    if (size !== offset) await handle.truncate(offset);
    let written = 0;
    while (written < frame.length) {
      const { bytesWritten } = await handle.write(
        frame,
        written,
        frame.length - written,
        offset + written,
      );
      written += bytesWritten;
    }
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

export async function ensureVaultDirectory(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces (or, with `exclusive`, creates) `path` with `bytes` atomically. With `exclusive`
 * an existing file is never overwritten, even by a racing process.
 */
export async function writeFileAtomically(
  path: string,
  bytes: Buffer,
  options: { exclusive?: boolean } = {},
): Promise<void> {
  const dir = dirname(path);
  const temporary = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', VAULT_MODE);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.exclusive) {
      await link(temporary, path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') {
          throw new RekeyError('ALREADY_EXISTS', `A file already exists at ${path}`);
        }
        throw error;
      });
      await unlink(temporary);
    } else {
      await rename(temporary, path);
    }
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dir);
}
