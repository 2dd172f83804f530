import type { SFTPWrapper } from 'ssh2';
import { RekeyError } from '../../shared/errors';
import type {
  Connector,
  ExecRequest,
  ExecResult,
  FileStat,
  FingerprintSubject,
  WriteOptions,
  WriteResult,
} from './connector';
import { ChannelGate } from './channel-gate';
import { type SshLink, openLink } from './ssh-connection';
import type { SshEndpoint } from './ssh-endpoint';
import { connectionClosed, connectionLost } from './ssh-errors';
import { runRemoteCommand } from './ssh-exec';
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
    this.ensureOpen(`run ${request.argv[0] ?? 'a command'}`);
    return this.commands.run(() => {
      this.ensureOpen(`run ${request.argv[0] ?? 'a command'}`);
      return runRemoteCommand(this.link.client, this.link.label, request, () => this.link.isOpen());
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
