import { spawn } from 'node:child_process';
import { RekeyError } from '../../shared/errors';
import type { ExecRequest, ExecResult } from './connector';
import { checkExecRequest } from './exec-request';

/**
 * Runs a command on this machine without a shell: argv goes to the program as it is, secrets
 * reach it only through stdin and the environment.
 *
 * To behave like the SSH connector (whose remote shell reports these as exit statuses), a
 * program that cannot be found resolves with code 127 and one that cannot be executed with
 * 126, instead of throwing. A command that outlives `timeoutMs` is killed with its whole
 * process group and the call fails with CONNECTION_TIMEOUT, the same code the SSH connector
 * uses, so the rotation engine handles a hung command the same way on every transport.
 */
export function runLocalCommand(request: ExecRequest): Promise<ExecResult> {
  checkExecRequest(request);
  const [program = '', ...args] = request.argv;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      shell: false,
      cwd: request.cwd,
      env: { ...process.env, ...request.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout also ends whatever the command started.
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer =
      request.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child.pid);
          }, request.timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A command may exit without reading its input; that is its business, not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(request.stdin ?? '');

    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const code = error.code === 'ENOENT' ? 127 : error.code === 'EACCES' ? 126 : null;
      if (code === null) {
        reject(new RekeyError('IO', `Could not start ${program} on local: ${error.code}`));
        return;
      }
      const why = code === 127 ? 'command not found' : 'permission denied';
      resolve({ code, signal: null, stdout: '', stderr: `${program}: ${why}\n` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new RekeyError(
            'CONNECTION_TIMEOUT',
            `${program} did not finish within ${request.timeoutMs} ms on local and was killed.`,
          ),
        );
        return;
      }
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
