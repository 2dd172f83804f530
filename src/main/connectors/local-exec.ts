import { spawn } from 'node:child_process';
import { RekeyError } from '../../shared/errors';
import { CommandOutput, collectOutput, feedStdin, inputFailed } from './command-stream';
import type { ExecRequest, ExecResult, ExecStreamRequest, StreamedCommand } from './connector';
import { checkExecRequest } from './exec-request';

const HOST = 'local';

/**
 * Runs a command on this machine without a shell and collects its output: see
 * `startLocalCommand`.
 */
export async function runLocalCommand(request: ExecRequest): Promise<ExecResult> {
  return collectOutput(startLocalCommand(request));
}

/**
 * Runs a command on this machine without a shell: argv goes to the program as it is, secrets
 * reach it only through stdin and the environment. Its output is streamed with backpressure
 * (a consumer that stops reading leaves the command blocked on a full pipe).
 *
 * To behave like the SSH connector (whose remote shell reports these as exit statuses), a
 * program that cannot be found resolves with code 127 and one that cannot be executed with
 * 126, instead of throwing. A command that outlives `timeoutMs` is killed with its whole
 * process group and the call fails with CONNECTION_TIMEOUT, the same code the SSH connector
 * uses, so the rotation engine handles a hung command the same way on every transport.
 */
export function startLocalCommand(request: ExecStreamRequest): StreamedCommand {
  checkExecRequest(request);
  const [program = '', ...args] = request.argv;
  const child = spawn(program, args, {
    shell: false,
    cwd: request.cwd,
    env: { ...process.env, ...request.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so a timeout also ends whatever the command started.
    detached: true,
  });
  const output = new CommandOutput(child.stdout, `${program} on ${HOST}`, () =>
    killGroup(child.pid),
  );
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  output.limitTo(request.timeoutMs, HOST, program);
  feedStdin(child.stdin, [request.stdin], request.input, (error) =>
    output.abort(inputFailed(`${program} on ${HOST}`, error)),
  );

  child.on('error', (error: NodeJS.ErrnoException) => {
    const code = error.code === 'ENOENT' ? 127 : error.code === 'EACCES' ? 126 : null;
    if (code === null) {
      output.fail(new RekeyError('IO', `Could not start ${program} on ${HOST}: ${error.code}`));
      return;
    }
    const why = code === 127 ? 'command not found' : 'permission denied';
    output.exited({ code, signal: null, stderr: `${program}: ${why}\n` });
  });
  child.on('close', (code, signal) => {
    output.exited({ code, signal, stderr: Buffer.concat(stderr).toString('utf8') });
  });
  return output;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
