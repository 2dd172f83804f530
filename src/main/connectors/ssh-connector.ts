import type { SFTPWrapper } from 'ssh2';
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
import { ChannelGate } from './channel-gate';
import { collectOutput } from './command-stream';
import { type SshLink, openLink } from './ssh-connection';
import type { SshEndpoint } from './ssh-endpoint';
import { connectionClosed, connectionLost } from './ssh-errors';
import { type CommandLink, startRemoteCommand } from './ssh-exec';
import { SftpFiles } from './ssh-files';

const DEFAULT_CONCURRENT_COMMANDS = 8;
const SHA256_HEX = /^\\?([0-9a-f]{64})\s/;

/** Connects, verifies the host key against the pin and logs in. */
export async function connectSsh(endpoint: SshEndpoint): Promise<SshConnector> {
  return new SshConnector(endpoint, await openLink(endpoint));
}

/**
 * One host over one SSH connection: files through a single SFTP session, commands on exec
 * channels alongside it (at most `maxConcurrentCommands` at once, the rest queue).
 */
export class SshConnector implements Connector {
  readonly name: string;
  private readonly files: SftpFiles;
  private readonly commands: ChannelGate;
  private readonly commandLink: CommandLink;
  private readonly lossListeners = new Set<() => void>();
  private sftpSession: Promise<SFTPWrapper> | null = null;
  private closedByUs = false;

  constructor(
    endpoint: SshEndpoint,
    private readonly link: SshLink,
  ) {
    this.name = endpoint.name;
    this.commands = new ChannelGate(endpoint.maxConcurrentCommands ?? DEFAULT_CONCURRENT_COMMANDS);
    this.files = new SftpFiles(
      link.label,
      (operation) => this.sftp(operation),
      () => link.isOpen(),
    );
    // One listener on the connection for all running commands, however many come and go.
    link.onClose(() => {
      for (const listener of [...this.lossListeners]) listener();
    });
    this.commandLink = {
      client: link.client,
      label: link.label,
      isOpen: () => link.isOpen(),
      watchLoss: (listener) => {
        this.lossListeners.add(listener);
        return () => this.lossListeners.delete(listener);
      },
    };
  }

  /** False once the connection is closed or lost; a pool then opens a new one. */
  get isOpen(): boolean {
    return this.link.isOpen();
  }

  /** Calls `listener` once when the connection is gone (closed or lost). */
  onClose(listener: () => void): void {
    this.link.onClose(listener);
  }

  readFile(path: string): Promise<Buffer> {
    return this.files.readFile(path);
  }

  openRead(path: string): Promise<FileReadStream> {
    return this.files.openRead(path);
  }

  writeFile(path: string, content: string | Buffer, options?: WriteOptions): Promise<WriteResult> {
    return this.files.writeFile(path, content, options);
  }

  restoreBackup(path: string, backupPath: string): Promise<void> {
    return this.files.restoreBackup(path, backupPath);
  }

  stat(path: string): Promise<FileStat | null> {
    return this.files.stat(path);
  }

  list(path: string): Promise<string[]> {
    return this.files.list(path);
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    return collectOutput(await this.execStream(request));
  }

  /**
   * The command holds its place among `maxConcurrentCommands` until it has ended and its
   * output was read, not just until it has started.
   */
  async execStream(request: ExecStreamRequest): Promise<StreamedCommand> {
    const operation = `run ${request.argv[0] ?? 'a command'}`;
    this.ensureOpen(operation);
    return new Promise((resolve, reject) => {
      this.commands
        .run(async () => {
          this.ensureOpen(operation);
          const command = await startRemoteCommand(this.commandLink, request);
          resolve(command);
          await command.done.catch(() => undefined);
        })
        .catch(reject);
    });
  }

  async fingerprint(subject: FingerprintSubject): Promise<string> {
    const request: ExecRequest =
      subject.kind === 'file'
        ? { argv: ['sha256sum', '--', subject.path] }
        : { argv: ['sha256sum'], stdin: subject.value };
    const what = subject.kind === 'file' ? subject.path : 'a value';
    const result = await this.exec(request);
    const hex = SHA256_HEX.exec(result.stdout)?.[1];
    if (result.code === 0 && hex) return hex;
    // sha256sum's stderr names the file and the reason, never content.
    const reason = result.stderr.trim() || `exit status ${result.code ?? result.signal}`;
    throw new RekeyError(
      /No such file/i.test(reason) ? 'NOT_FOUND' : 'REMOTE_FAILED',
      `Fingerprint of ${what} on ${this.link.label} failed: ${reason}`,
    );
  }

  async close(): Promise<void> {
    this.closedByUs = true;
    await this.link.end();
  }

  /** The SFTP session, opened on first use and reopened if the server ended it. */
  private sftp(operation: string): Promise<SFTPWrapper> {
    this.ensureOpen(operation);
    this.sftpSession ??= new Promise<SFTPWrapper>((resolve, reject) => {
      this.link.client.sftp((error, sftp) => {
        if (error) {
          this.sftpSession = null;
          reject(
            this.link.isOpen()
              ? new RekeyError(
                  'REMOTE_FAILED',
                  `${this.link.label} refused an SFTP session: ${error.message}.`,
                )
              : connectionLost(this.link.label, operation),
          );
          return;
        }
        sftp.on('close', () => (this.sftpSession = null));
        resolve(sftp);
      });
    });
    return this.sftpSession;
  }

  private ensureOpen(operation: string): void {
    if (this.link.isOpen()) return;
    throw this.closedByUs
      ? connectionClosed(this.link.label, operation)
      : connectionLost(this.link.label, operation);
  }
}
