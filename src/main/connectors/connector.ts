import type { Readable } from 'node:stream';

/**
 * Where secrets live: one interface over this machine's files (local), a host over SSH and,
 * later, a Kubernetes cluster. The rotation engine and discovery only ever talk to this
 * interface, so every guarantee (atomic writes, backups for rollback, secrets only in stdin or
 * the environment) is implemented once per transport and tested against the real thing.
 *
 * Paths are absolute POSIX paths on the target. Values that are secrets are passed as strings
 * in `stdin`/`env` or as file contents, never inside `argv`.
 */

export interface FileStat {
  /** Permission bits and file type, as in stat(2) `st_mode`. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Modification time in milliseconds since the epoch. */
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
}

export interface WriteOptions {
  /**
   * Mode for a file that does not exist yet (an existing file keeps its mode, owner and
   * group). Defaults to 0o600: a new file holding a secret is readable by its owner only.
   */
  mode?: number;
}

export interface WriteResult {
  /**
   * Where the previous content was kept (same directory, a name that says it is a Rekey
   * backup and when it was taken), or null when the file did not exist before.
   */
  backupPath: string | null;
}

export interface ExecRequest {
  /** Program and arguments; each argument is quoted by the connector, never interpreted. */
  argv: readonly string[];
  /** Written to the command's standard input, then closed. The place for secret values. */
  stdin?: string | Buffer;
  /** Extra environment for the command. The other place for secret values. */
  env?: Readonly<Record<string, string>>;
  /** Working directory; the login directory (SSH) or the process's directory (local) otherwise. */
  cwd?: string;
  /** Milliseconds before the command is killed and the call fails with CONNECTION_TIMEOUT. */
  timeoutMs?: number;
}

export interface ExecResult {
  /** Exit status, or null when the command died of a signal. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** A command whose output is streamed; see `Connector.execStream`. */
export interface ExecStreamRequest extends ExecRequest {
  /**
   * Piped to the command's standard input after `stdin` (if given too), then stdin is closed.
   * Read with backpressure. If it fails, the command is stopped and `done` rejects (with the
   * stream's error when that is a RekeyError, IO otherwise).
   */
  input?: Readable;
}

export interface StreamedCommand {
  /**
   * The command's standard output, read with backpressure down to the command (a consumer
   * that stops reading holds the command back; nothing piles up in Rekey). It ends once the
   * command has exited, whatever its status: check `done`. It is destroyed with the same
   * error `done` rejects with when the command fails (timeout, lost connection, failed
   * input), so a truncated output never looks complete; listen for `error` (pipeline does).
   * Destroying it before the command has ended stops the command (`done` rejects with IO).
   */
  stdout: Readable;
  /**
   * Settles when the command has ended and `stdout` was read to its end (or destroyed):
   * resolves with exit status, signal and stderr (`stdout` is '' here), also for a non-zero
   * status; rejects like `exec` on a timeout (CONNECTION_TIMEOUT) or a lost connection
   * (CONNECTION_LOST).
   */
  done: Promise<ExecResult>;
}

/** A file opened for reading as a stream. */
export interface FileReadStream {
  /** Size in bytes when the file was opened. */
  size: number;
  /** The content; fails with a RekeyError (CONNECTION_LOST over SSH when the link drops). */
  stream: Readable;
}

/** What a remote fingerprint is taken of: a whole file, or a value given on stdin. */
export type FingerprintSubject = { kind: 'file'; path: string } | { kind: 'value'; value: string };

export interface Connector {
  /** A name for messages and history, e.g. `matrix-vps1` or `local`. */
  readonly name: string;

  readFile(path: string): Promise<Buffer>;
  /**
   * Opens a file for reading as a stream (SFTP over SSH), for content too large to hold in
   * memory. NOT_FOUND when it does not exist; a directory or other non-regular file fails.
   */
  openRead(path: string): Promise<FileReadStream>;
  /**
   * Replaces the file atomically: backs up the current content, writes a temporary file in
   * the same directory (mode/owner/group of the old file), fsyncs it and renames it over the
   * old one. A reader sees the old content or the new one, never a mix.
   */
  writeFile(path: string, content: string | Buffer, options?: WriteOptions): Promise<WriteResult>;
  /** Puts a backup made by writeFile back in place, atomically, keeping the backup file. */
  restoreBackup(path: string, backupPath: string): Promise<void>;
  /** null when nothing exists at `path`. */
  stat(path: string): Promise<FileStat | null>;
  /** Entries of a directory (names only); throws NOT_FOUND when it does not exist. */
  list(path: string): Promise<string[]>;
  exec(request: ExecRequest): Promise<ExecResult>;
  /**
   * Runs a command like `exec`, but streams its standard output and, optionally, its input
   * (`input`, piped after `stdin`). Resolves once the command has started. Secrets still go
   * only through `stdin`, `input` or `env`, never argv.
   */
  execStream(request: ExecStreamRequest): Promise<StreamedCommand>;
  /**
   * Lower-case hex SHA-256 computed on the target (`sha256sum`), so a value never travels back
   * to be compared: callers compare it with the hash of the version they expect.
   */
  fingerprint(subject: FingerprintSubject): Promise<string>;
  /** Ends the connection (SSH); further calls fail. Safe to call twice. */
  close(): Promise<void>;
}
