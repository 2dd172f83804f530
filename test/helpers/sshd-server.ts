import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A private OpenSSH server (Debian's /usr/sbin/sshd) on a random loopback port, with its own
 * host key, configuration and client key pairs, so connector tests talk to the real thing.
 * This file has no test-runner hooks, so benchmarks can use it too; `useSshd()` in
 * `sshd.ts` wraps it for test files.
 */

/** Passphrase of the protected client key; a test value, not a secret. */
export const CLIENT_KEY_PASSPHRASE = 'rekey test passphrase';

export interface ClientKeys {
  /** Authorized, no passphrase. */
  plain: string;
  /** Authorized, protected with CLIENT_KEY_PASSPHRASE. */
  protected: string;
  /** A valid key pair that is NOT in authorized_keys. */
  stranger: string;
}

export interface SshdOptions {
  /** Channels per connection (sshd's MaxSessions); generous by default for parallel tests. */
  maxSessions?: number;
}

export interface SshdServer {
  readonly port: number;
  /** The login the clients use (the user running the tests, root in CI). */
  readonly user: string;
  /** Temporary directory of this server: config, keys, log; removed by stop(). */
  readonly dir: string;
  /** Current host key fingerprint as `ssh-keygen -lf` prints it (SHA256:...). */
  readonly hostKeyFingerprint: string;
  readonly clientKeys: ClientKeys;
  /** Everything sshd logged so far (LogLevel VERBOSE). */
  log(): string;
  /** Pids of sshd's per-connection processes (one per open client connection). */
  sessionPids(): number[];
  /**
   * SIGKILLs every connection's processes (sshd's monitor and session, sftp-server, the
   * commands), as a crash or a dropped network would end them; returns how many it killed.
   */
  dropConnections(): number;
  /** Replaces the host key with a new one and restarts on the same port. */
  regenerateHostKey(): Promise<void>;
  /** Stops the listener and every session and command it started; removes `dir`. */
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';
const SFTP_SERVER = '/usr/lib/openssh/sftp-server';
const READY_TIMEOUT_MS = 10_000;
const SESSION_MARK = 'REKEY_TEST_SSHD';

export async function startSshd(options: SshdOptions = {}): Promise<SshdServer> {
  if (process.getuid?.() !== 0) throw new Error('the sshd harness needs root (sshd privsep)');
  // Debian's sshd refuses to start without its privilege separation directory.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755, recursive: true });

  const dir = mkdtempSync(join(tmpdir(), 'rekey-sshd-'));
  const hostKey = join(dir, 'host_ed25519');
  const clientKeys: ClientKeys = {
    plain: join(dir, 'client_plain'),
    protected: join(dir, 'client_protected'),
    stranger: join(dir, 'client_stranger'),
  };
  generateKey(hostKey, '');
  generateKey(clientKeys.plain, '');
  generateKey(clientKeys.protected, CLIENT_KEY_PASSPHRASE);
  generateKey(clientKeys.stranger, '');
  writeFileSync(
    join(dir, 'authorized_keys'),
    [clientKeys.plain, clientKeys.protected].map((key) => readFileSync(`${key}.pub`)).join(''),
    { mode: 0o600 },
  );
  const configPath = join(dir, 'sshd_config');
  let hostKeyFingerprint = keyFingerprint(`${hostKey}.pub`);
  let logText = '';
  const onLog = (text: string) => (logText += text);
  let port = 0;
  let child: ChildProcess | undefined;
  // The free port we picked may be taken before sshd binds it; pick again then.
  for (let attempt = 1; !child; attempt++) {
    port = await freeLoopbackPort();
    writeFileSync(configPath, sshdConfig(dir, port, hostKey, options.maxSessions ?? 64));
    try {
      child = await launch(configPath, port, onLog);
    } catch (error) {
      if (attempt < 3 && /Address already in use/.test(String(error))) continue;
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
  let running: ChildProcess = child;

  const stopChild = async () => {
    const leftovers = [...descendantPids(running.pid ?? -1), ...markedPids(dir)];
    killQuietly(running.pid, 'SIGTERM');
    for (const pid of leftovers) killQuietly(pid, 'SIGKILL');
    await exited(running);
  };

  return {
    port,
    user: userInfo().username,
    dir,
    clientKeys,
    get hostKeyFingerprint() {
      return hostKeyFingerprint;
    },
    log: () => logText,
    sessionPids: () => childPids(running.pid ?? -1),
    dropConnections() {
      const pids = descendantPids(running.pid ?? -1);
      for (const pid of pids) killQuietly(pid, 'SIGKILL');
      return pids.length;
    },
    async regenerateHostKey() {
      await stopChild();
      rmSync(hostKey, { force: true });
      rmSync(`${hostKey}.pub`, { force: true });
      generateKey(hostKey, '');
      hostKeyFingerprint = keyFingerprint(`${hostKey}.pub`);
      running = await launch(configPath, port, onLog);
    },
    async stop() {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function sshdConfig(dir: string, port: number, hostKey: string, maxSessions: number): string {
  return [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${hostKey}`,
    'PidFile none',
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'AllowTcpForwarding yes',
    'UseDNS no',
    'PrintMotd no',
    'LogLevel VERBOSE',
    `MaxSessions ${maxSessions}`,
    // Benchmarks and parallel tests open dozens of connections at once.
    'MaxStartups 200',
    `Subsystem sftp ${SFTP_SERVER}`,
    // Marks every process a session starts, so stop() finds commands a closed connection
    // left behind (no longer sshd's descendants).
    // bash run by sshd sources ~/.bashrc unless it is a nested shell (SHLVL ≥ 2). Commands
    // here must not depend on the dotfiles of whoever runs the tests (a pyenv or nvm setup
    // slows every command, and a command killed on purpose can leave their locks behind).
    `SetEnv ${SESSION_MARK}=${dir} SHLVL=1`,
    '',
  ].join('\n');
}

/** Starts sshd in the foreground and resolves once it answers with an SSH banner. */
async function launch(
  configPath: string,
  port: number,
  onLog: (text: string) => void,
): Promise<ChildProcess> {
  const child = spawn(SSHD, ['-D', '-e', '-f', configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onLog(chunk.toString());
  });
  const killOnExit = () => killQuietly(child.pid, 'SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersWithBanner(port))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`sshd exited before it was ready: ${stderr}`);
    }
    if (Date.now() > deadline) {
      killQuietly(child.pid, 'SIGKILL');
      throw new Error(`sshd was not ready within ${READY_TIMEOUT_MS} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return child;
}

/** True when something on the port sends an SSH identification line. */
export function answersWithBanner(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let received = '';
    const finish = (ready: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ready);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\n')) finish(received.startsWith('SSH-2.0-'));
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

/** A loopback port nobody listens on right now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function generateKey(path: string, passphrase: string): void {
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    passphrase,
    '-C',
    'rekey-test',
    '-f',
    path,
  ]);
}

/** `SHA256:...` of a public key file, exactly as `ssh-keygen -lf` prints it. */
export function keyFingerprint(publicKeyPath: string): string {
  const line = execFileSync('ssh-keygen', ['-lf', publicKeyPath], { encoding: 'utf8' });
  const fingerprint = line.split(' ')[1];
  if (!fingerprint?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen output: ${line}`);
  return fingerprint;
}

function processTable(): { pid: number; ppid: number }[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .map(([pid = -1, ppid = -1]) => ({ pid, ppid }));
}

function childPids(parent: number): number[] {
  return processTable()
    .filter((row) => row.ppid === parent)
    .map((row) => row.pid);
}

function descendantPids(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const row of table) {
      if (row.ppid === parent) {
        found.push(row.pid);
        queue.push(row.pid);
      }
    }
  }
  return found;
}

/** Processes started by a session of the server in `dir` (they carry its mark). */
function markedPids(dir: string): number[] {
  const mark = Buffer.from(`${SESSION_MARK}=${dir}\0`);
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/environ`).includes(mark);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function killQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
