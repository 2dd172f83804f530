import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real `ssh-agent` on a private socket, holding the keys given to it. */
export interface SshAgent {
  readonly socket: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 5_000;

export async function startSshAgent(keyPaths: readonly string[]): Promise<SshAgent> {
  const dir = mkdtempSync(join(tmpdir(), 'rekey-agent-'));
  const socket = join(dir, 'agent.sock');
  // -D keeps the agent in the foreground, so it is our child and we can always stop it.
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitForSocket(child, socket, () => stderr);
    for (const key of keyPaths) {
      execFileSync('ssh-add', ['-q', key], {
        env: { ...process.env, SSH_AUTH_SOCK: socket },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { socket, stop };
}

async function waitForSocket(
  child: ChildProcess,
  socket: string,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!existsSync(socket)) {
    if (child.exitCode !== null) throw new Error(`ssh-agent exited: ${stderr()}`);
    if (Date.now() > deadline) throw new Error(`ssh-agent socket missing: ${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
