import { posix } from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import { RekeyError } from '../../shared/errors';
import type { FileReadStream, FileStat, WriteOptions, WriteResult } from './connector';
import { backupPathFor, isBackupOf, tempPathFor } from './backup-names';
import { mapStreamErrors } from './command-stream';
import { isPermissionDenied, sftpFailure } from './ssh-errors';

const DEFAULT_NEW_FILE_MODE = 0o600;
/**
 * Bytes asked for at once by a streamed read: ssh2 has one read of this size in flight at a
 * time (split into requests the server accepts), so larger means fewer round trips.
 */
const READ_CHUNK = 256 * 1024;

/** Who owns a file Rekey writes and who may read it. */
interface FileMeta {
  mode: number;
  owner: { uid: number; gid: number } | null;
}

type Callback<T> = (error: Error | null | undefined, value: T) => void;

/**
 * A host's files over one SFTP session. Replacing a file mirrors the local connector: backup
 * copy with the old mode and owner, a temporary sibling given mode and owner before any byte
 * of content, `fsync@openssh.com`, then `posix-rename@openssh.com` over the target (plain SFTP
 * rename refuses to replace an existing file), then the directory is fsynced too (OpenSSH's
 * sftp-server opens a directory like a file), so the rename itself survives a power loss.
 */
export class SftpFiles {
  constructor(
    private readonly host: string,
    private readonly session: (operation: string) => Promise<SFTPWrapper>,
    private readonly isOpen: () => boolean,
  ) {}

  async readFile(path: string): Promise<Buffer> {
    const sftp = await this.session(`read ${path}`);
    return this.call<Buffer>('read', path, (done) => sftp.readFile(path, done));
  }

  /** The file's size from the open handle (fstat), then its content read over that handle. */
  async openRead(path: string): Promise<FileReadStream> {
    const sftp = await this.session(`read ${path}`);
    const handle = await this.call<Buffer>('read', path, (done) => sftp.open(path, 'r', done));
    let size: number;
    try {
      const stats = await this.call<Stats>('read', path, (done) => sftp.fstat(handle, done));
      if (!stats.isFile()) {
        throw new RekeyError('REMOTE_FAILED', `${path} on ${this.host} is not a regular file.`);
      }
      size = stats.size;
    } catch (error) {
      await this.closeQuietly(sftp, handle);
      throw error;
    }
    const source = sftp.createReadStream(path, { handle, highWaterMark: READ_CHUNK });
    const stream = mapStreamErrors(source, (error) =>
      sftpFailure(this.host, 'read', path, error, this.isOpen()),
    );
    return { size, stream };
  }

  async stat(path: string): Promise<FileStat | null> {
    const sftp = await this.session(`stat ${path}`);
    try {
      return toFileStat(await this.call<Stats>('stat', path, (done) => sftp.stat(path, done)));
    } catch (error) {
      if (error instanceof RekeyError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  async list(path: string): Promise<string[]> {
    const sftp = await this.session(`list ${path}`);
    const entries = await this.call<{ filename: string }[]>('list', path, (done) =>
      sftp.readdir(path, done),
    );
    return entries
      .map((entry) => entry.filename)
      .filter((name) => name !== '.' && name !== '..')
      .sort();
  }

  async writeFile(
    path: string,
    content: string | Buffer,
    options: WriteOptions = {},
  ): Promise<WriteResult> {
    const sftp = await this.session(`write ${path}`);
    const target = await this.resolveLink(sftp, path);
    const old = await this.stat(target);
    if (old && !old.isFile) {
      throw new RekeyError('REMOTE_FAILED', `${target} on ${this.host} is not a regular file.`);
    }
    let backupPath: string | null = null;
    let meta: FileMeta = { mode: options.mode ?? DEFAULT_NEW_FILE_MODE, owner: null };
    if (old) {
      meta = { mode: old.mode & 0o7777, owner: { uid: old.uid, gid: old.gid } };
      backupPath = backupPathFor(target);
      await this.writeNewFile(sftp, backupPath, await this.readFile(target), meta);
    }
    await this.replaceAtomically(sftp, target, toBuffer(content), meta);
    return { backupPath };
  }

  async restoreBackup(path: string, backupPath: string): Promise<void> {
    const sftp = await this.session(`restore ${path}`);
    const target = await this.resolveLink(sftp, path);
    if (!isBackupOf(target, backupPath)) {
      throw new RekeyError('INVALID_INPUT', `${backupPath} is not a Rekey backup of ${target}.`);
    }
    const backup = await this.stat(backupPath);
    if (!backup)
      throw new RekeyError('NOT_FOUND', `Backup ${backupPath} is missing on ${this.host}.`);
    const meta = { mode: backup.mode & 0o7777, owner: { uid: backup.uid, gid: backup.gid } };
    await this.replaceAtomically(sftp, target, await this.readFile(backupPath), meta);
  }

  private async replaceAtomically(
    sftp: SFTPWrapper,
    target: string,
    content: Buffer,
    meta: FileMeta,
  ): Promise<void> {
    const temp = tempPathFor(target);
    try {
      await this.writeNewFile(sftp, temp, content, meta);
      await this.act('replace', target, (done) => sftp.ext_openssh_rename(temp, target, done));
    } catch (error) {
      await this.removeQuietly(sftp, temp);
      throw error;
    }
    await this.syncDirectory(sftp, posix.dirname(target));
  }

  /**
   * Best effort where the server cannot (an SFTP server that refuses to open a directory):
   * the rename has happened by then. A lost connection is still reported.
   */
  private async syncDirectory(sftp: SFTPWrapper, dir: string): Promise<void> {
    let handle: Buffer;
    try {
      handle = await this.call<Buffer>('open', dir, (done) => sftp.open(dir, 'r', done));
    } catch (error) {
      if (error instanceof RekeyError && error.code === 'CONNECTION_LOST') throw error;
      return;
    }
    try {
      await this.act('fsync', dir, (done) => sftp.ext_openssh_fsync(handle, done));
    } catch (error) {
      if (error instanceof RekeyError && error.code === 'CONNECTION_LOST') throw error;
    } finally {
      await this.closeQuietly(sftp, handle);
    }
  }

  /**
   * Creates `path` exclusively with mode 0600, gives it owner and mode before writing, then
   * writes, fsyncs and closes it. A partial file is removed again when anything fails.
   */
  private async writeNewFile(
    sftp: SFTPWrapper,
    path: string,
    content: Buffer,
    meta: FileMeta,
  ): Promise<void> {
    const handle = await this.call<Buffer>('create', path, (done) =>
      sftp.open(path, 'wx', { mode: 0o600 }, done),
    );
    try {
      if (meta.owner) await this.adoptOwner(sftp, handle, path, meta.owner);
      // Explicitly, since the server's umask applied to the mode given at open.
      await this.act('chmod', path, (done) => sftp.fchmod(handle, meta.mode, done));
      await this.act('write', path, (done) =>
        sftp.write(handle, content, 0, content.length, 0, done),
      );
      await this.act('fsync', path, (done) => sftp.ext_openssh_fsync(handle, done));
    } catch (error) {
      await this.closeQuietly(sftp, handle);
      await this.removeQuietly(sftp, path);
      throw error;
    }
    await this.act('close', path, (done) => sftp.close(handle, done));
  }

  /**
   * Gives the new file the original's owner and group. Logged in as someone who may not
   * chown, that is fine when they already match; otherwise the write is refused rather than
   * silently changing who can read the file.
   */
  private async adoptOwner(
    sftp: SFTPWrapper,
    handle: Buffer,
    path: string,
    owner: { uid: number; gid: number },
  ): Promise<void> {
    try {
      await this.act('chown', path, (done) => sftp.fchown(handle, owner.uid, owner.gid, done));
    } catch (error) {
      const cause = error instanceof RekeyError ? error.cause : error;
      if (!isPermissionDenied(cause)) throw error;
      const actual = await this.call<Stats>('stat', path, (done) => sftp.fstat(handle, done));
      if (actual.uid === owner.uid && actual.gid === owner.gid) return;
      throw new RekeyError(
        'REMOTE_FAILED',
        `Cannot give ${path} on ${this.host} the owner ${owner.uid}:${owner.gid} of the file it ` +
          `replaces (the SSH user may not chown); nothing was changed.`,
      );
    }
  }

  /** Writes go to the file a symlink points to, so the link itself stays a link. */
  private async resolveLink(sftp: SFTPWrapper, path: string): Promise<string> {
    try {
      const link = await this.call<Stats>('stat', path, (done) => sftp.lstat(path, done));
      if (!link.isSymbolicLink()) return path;
      return await this.call<string>('resolve', path, (done) => sftp.realpath(path, done));
    } catch (error) {
      if (error instanceof RekeyError && error.code === 'NOT_FOUND') return path;
      throw error;
    }
  }

  private async closeQuietly(sftp: SFTPWrapper, handle: Buffer): Promise<void> {
    if (!this.isOpen()) return;
    await new Promise<void>((resolve) => {
      try {
        sftp.close(handle, () => resolve());
      } catch {
        resolve();
      }
    });
  }

  /** Best effort: after a lost connection the temporary file stays (hidden, named as ours). */
  private async removeQuietly(sftp: SFTPWrapper, path: string): Promise<void> {
    if (!this.isOpen()) return;
    await new Promise<void>((resolve) => {
      try {
        sftp.unlink(path, () => resolve());
      } catch {
        resolve();
      }
    });
  }

  /** An SFTP request that answers only with a status. */
  private act(
    operation: string,
    path: string,
    start: (done: (error?: Error | null) => void) => void,
  ): Promise<undefined> {
    return this.call<undefined>(operation, path, (done) =>
      start((error) => done(error, undefined)),
    );
  }

  /** One SFTP request as a promise; its failure named after the operation and path. */
  private call<T>(operation: string, path: string, start: (done: Callback<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done: Callback<T> = (error, value) => {
        if (error) reject(sftpFailure(this.host, operation, path, error, this.isOpen()));
        else resolve(value);
      };
      try {
        start(done);
      } catch (error) {
        // ssh2 throws synchronously when the server lacks an extension (fsync, posix-rename).
        reject(
          new RekeyError(
            'REMOTE_FAILED',
            `Cannot ${operation} ${path} on ${this.host}: ${(error as Error).message}.`,
          ),
        );
      }
    });
  }
}

function toFileStat(stats: Stats): FileStat {
  return {
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    // SFTP version 3 carries whole seconds only.
    mtimeMs: stats.mtime * 1000,
    isFile: stats.isFile(),
    isDirectory: stats.isDirectory(),
  };
}

function toBuffer(content: string | Buffer): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}
