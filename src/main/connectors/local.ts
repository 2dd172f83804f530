import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  type FileHandle,
  lstat,
  open,
  readFile,
  readdir,
  realpath,
  rename,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RekeyError } from '../../shared/errors';
import type {
  Connector,
  ExecRequest,
  ExecResult,
  ExecStreamRequest,
  FileReadStream,
  FileStat,
  FingerprintSubject,
  StreamedCommand,
  WriteOptions,
  WriteResult,
} from './connector';
import { backupPathFor, isBackupOf, tempPathFor } from './backup-names';
import { mapStreamErrors } from './command-stream';
import { runLocalCommand, startLocalCommand } from './local-exec';

const NAME = 'local';
const DEFAULT_NEW_FILE_MODE = 0o600;
/** Bytes per read of a streamed file. */
const READ_CHUNK = 256 * 1024;

/** Who owns a file Rekey writes and who may read it. */
interface FileMeta {
  mode: number;
  owner: { uid: number; gid: number } | null;
}

/**
 * This machine's files and commands. Writes go through a backup copy and a temporary file
 * renamed over the target, with the directory fsynced, so a crash at any point leaves the old
 * content or the new one, and the old one is kept for rollback.
 */
export class LocalConnector implements Connector {
  readonly name = NAME;

  async readFile(path: string): Promise<Buffer> {
    return readFile(path).catch((error: unknown) => {
      throw fsFailure('read', path, error);
    });
  }

  async openRead(path: string): Promise<FileReadStream> {
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw fsFailure('read', path, error);
    });
    let size: number;
    try {
      const found = await handle.stat();
      if (!found.isFile()) {
        throw new RekeyError('IO', `Cannot read ${path} on ${NAME}: not a regular file.`);
      }
      size = found.size;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw fsFailure('read', path, error);
    }
    const source = handle.createReadStream({ highWaterMark: READ_CHUNK });
    return { size, stream: mapStreamErrors(source, (error) => fsFailure('read', path, error)) };
  }

  async writeFile(
    path: string,
    content: string | Buffer,
    options: WriteOptions = {},
  ): Promise<WriteResult> {
    const target = await resolveLink(path);
    const old = await this.stat(target);
    if (old && !old.isFile) throw notRegular(target);
    let backupPath: string | null = null;
    let meta: FileMeta = { mode: options.mode ?? DEFAULT_NEW_FILE_MODE, owner: null };
    if (old) {
      meta = { mode: old.mode & 0o7777, owner: { uid: old.uid, gid: old.gid } };
      backupPath = backupPathFor(target);
      await writeNewFile(backupPath, await this.readFile(target), meta);
    }
    await replaceAtomically(target, toBuffer(content), meta);
    return { backupPath };
  }

  async restoreBackup(path: string, backupPath: string): Promise<void> {
    const target = await resolveLink(path);
    if (!isBackupOf(target, backupPath)) {
      throw new RekeyError('INVALID_INPUT', `${backupPath} is not a Rekey backup of ${target}.`);
    }
    const backup = await this.stat(backupPath);
    if (!backup) throw new RekeyError('NOT_FOUND', `Backup ${backupPath} is missing on local.`);
    const meta = { mode: backup.mode & 0o7777, owner: { uid: backup.uid, gid: backup.gid } };
    await replaceAtomically(target, await this.readFile(backupPath), meta);
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      const found = await stat(path);
      return {
        mode: found.mode,
        uid: found.uid,
        gid: found.gid,
        size: found.size,
        mtimeMs: found.mtimeMs,
        isFile: found.isFile(),
        isDirectory: found.isDirectory(),
      };
    } catch (error) {
      if (isMissing(error)) return null;
      throw fsFailure('stat', path, error);
    }
  }

  async list(path: string): Promise<string[]> {
    const names = await readdir(path).catch((error: unknown) => {
      throw fsFailure('list', path, error);
    });
    return names.sort();
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    return runLocalCommand(request);
  }

  async execStream(request: ExecStreamRequest): Promise<StreamedCommand> {
    return startLocalCommand(request);
  }

  async fingerprint(subject: FingerprintSubject): Promise<string> {
    const hash = createHash('sha256');
    if (subject.kind === 'value') return hash.update(subject.value, 'utf8').digest('hex');
    await pipeline(createReadStream(subject.path), hash).catch((error: unknown) => {
      throw fsFailure('fingerprint', subject.path, error);
    });
    return hash.digest('hex');
  }

  /** Nothing to end: the local connector holds no connection. */
  async close(): Promise<void> {}
}

/**
 * Writes `content` to a temporary sibling with `meta` and renames it over `target`; the
 * temporary file is removed again when anything fails before the rename.
 */
async function replaceAtomically(target: string, content: Buffer, meta: FileMeta): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await writeNewFile(temp, content, meta);
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error instanceof RekeyError ? error : fsFailure('replace', target, error);
  }
  await fsyncDirectory(dirname(target));
}

/**
 * Creates `path` (it must not exist), gives it owner and mode BEFORE any content is written,
 * so the content is never readable by more people than the original allowed, then writes
 * and fsyncs it.
 */
async function writeNewFile(path: string, content: Buffer, meta: FileMeta): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'wx', 0o600);
    if (meta.owner) await adoptOwner(handle, path, meta.owner);
    await handle.chmod(meta.mode);
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle?.close().catch(() => undefined);
    handle = undefined;
    await unlink(path).catch(() => undefined);
    throw error instanceof RekeyError ? error : fsFailure('write', path, error);
  } finally {
    await handle?.close();
  }
}

/**
 * Gives the new file the original's owner and group. Without the right to chown (not root)
 * that is fine when they already match; otherwise the write is refused rather than silently
 * changing who can read the file.
 */
async function adoptOwner(
  handle: FileHandle,
  path: string,
  owner: { uid: number; gid: number },
): Promise<void> {
  try {
    await handle.chown(owner.uid, owner.gid);
  } catch (error) {
    if (!isErrno(error, 'EPERM')) throw error;
    const actual = await handle.stat();
    if (actual.uid === owner.uid && actual.gid === owner.gid) return;
    throw new RekeyError(
      'IO',
      `Cannot give ${path} the owner ${owner.uid}:${owner.gid} of the file it replaces ` +
        `(not permitted for this user); nothing was changed.`,
    );
  }
}

/** Makes the rename itself durable; some file systems cannot fsync a directory. */
async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync().catch((error: unknown) => {
      if (!isErrno(error, 'EINVAL') && !isErrno(error, 'EISDIR')) throw error;
    });
  } finally {
    await handle.close();
  }
}

/** Writes go to the file a symlink points to, so the link itself stays a link. */
async function resolveLink(path: string): Promise<string> {
  try {
    return (await lstat(path)).isSymbolicLink() ? await realpath(path) : path;
  } catch (error) {
    if (isMissing(error)) return path;
    throw fsFailure('resolve', path, error);
  }
}

function toBuffer(content: string | Buffer): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

function notRegular(path: string): RekeyError {
  return new RekeyError('IO', `${path} on ${NAME} is not a regular file; nothing was written.`);
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

function isMissing(error: unknown): boolean {
  return isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR');
}

/** A file error that names the operation and path, never the content involved. */
function fsFailure(operation: string, path: string, error: unknown): RekeyError {
  if (error instanceof RekeyError) return error;
  const code = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? 'EIO') : 'EIO';
  if (code === 'ENOENT') {
    return new RekeyError('NOT_FOUND', `Cannot ${operation} ${path} on ${NAME}: not found.`);
  }
  return new RekeyError('IO', `Cannot ${operation} ${path} on ${NAME} (${code}).`, {
    cause: error,
  });
}
