import { RekeyError } from '../../shared/errors';
import type { ExecRequest } from './connector';
import { checkExecRequest } from './exec-request';
import { quoteCommandLine, quoteShellWord } from './shell-quote';

const PID_MARK = 'rekey-exec-pid ';
const PID_LINE = /(^|\n)rekey-exec-pid (\d+)\n/;

/**
 * Ends a timed-out command: its whole process group (sshd starts every session in a new
 * session and group), or the process alone where `ps` is missing. sshd's own "signal"
 * channel request is not used: OpenSSH refuses it for root logins (no post-auth privilege
 * separation), and ssh2 drops it once stdin is closed.
 */
const KILLER =
  'g=$(ps -o pgid= -p "$1" 2>/dev/null | tr -d " "); ' +
  'case $g in ""|0|1) kill -KILL "$1";; *) kill -KILL "-$g";; esac';

/**
 * Remote commands without secrets on the command line.
 *
 * sshd ignores most `env` channel requests (AcceptEnv), and anything on the command line is
 * visible to every user of the host in `ps`. So the command line holds only a fixed launcher
 * script and the quoted argv; the environment travels first on stdin as `NAME=base64` lines
 * ended by an empty line. The launcher reads them with the shell's `read` builtin (which
 * consumes exactly those lines and nothing after), decodes each with `base64 -d` (the value
 * goes through a pipe from the `printf` builtin, never an argv), exports them and `exec`s the
 * command, which then reads the rest of stdin as its own input.
 *
 * The launcher's own variables start with `__rekey_`; that prefix is reserved.
 */
const LAUNCHER = [
  // Tells the client which process to kill if the command outlives its timeout.
  `printf '${PID_MARK}%s\\n' "$$" >&2`,
  '__rekey_dir=$1; shift',
  'if [ -n "$__rekey_dir" ]; then cd -- "$__rekey_dir" || exit 125; fi',
  '__rekey_done=',
  'while IFS= read -r __rekey_line; do',
  ' if [ -z "$__rekey_line" ]; then __rekey_done=1; break; fi',
  ' __rekey_name=${__rekey_line%%=*}',
  ' case $__rekey_name in ""|[0-9]*|*[!A-Za-z0-9_]*) echo "rekey-exec: bad variable name" >&2; exit 125;; esac',
  ' __rekey_value=$(printf %s "${__rekey_line#*=}" | base64 -d && printf x) || { echo "rekey-exec: cannot decode $__rekey_name" >&2; exit 125; }',
  ' export "$__rekey_name=${__rekey_value%x}"',
  'done',
  '[ -n "$__rekey_done" ] || { echo "rekey-exec: incomplete environment on stdin" >&2; exit 125; }',
  'unset __rekey_dir __rekey_done __rekey_line __rekey_name __rekey_value',
  'exec "$@"',
].join('\n');

const RESERVED_PREFIX = '__rekey_';

export interface RemoteCommand {
  /** What sshd hands to the login shell: the launcher and the quoted argv, nothing secret. */
  commandLine: string;
  /** Sent before the caller's stdin: the environment block. */
  preamble: Buffer;
}

export function buildRemoteCommand(request: ExecRequest): RemoteCommand {
  checkExecRequest(request);
  const env = Object.entries(request.env ?? {});
  for (const [name] of env) {
    if (name.startsWith(RESERVED_PREFIX)) {
      throw new RekeyError('INVALID_INPUT', `Environment variable ${name} uses a reserved prefix.`);
    }
  }
  const lines = env.map(
    ([name, value]) => `${name}=${Buffer.from(value, 'utf8').toString('base64')}\n`,
  );
  return {
    commandLine: `sh -c ${quoteShellWord(LAUNCHER)} rekey-exec ${quoteCommandLine([
      request.cwd ?? '',
      ...request.argv,
    ])}`,
    preamble: Buffer.from(`${lines.join('')}\n`, 'utf8'),
  };
}

/** The command line that kills the process group of the command whose launcher was `pid`. */
export function killCommandLine(pid: number): string {
  return quoteCommandLine(['sh', '-c', KILLER, 'rekey-kill', String(pid)]);
}

/**
 * Finds the launcher's pid line in the first stderr bytes and cuts it out. Usually the first
 * line, but a login shell's startup files may print before it. null while it has not arrived.
 */
export function takePidMark(stderr: Buffer): { pid: number; rest: Buffer } | null {
  const mark = PID_LINE.exec(stderr.toString('latin1'));
  if (!mark) return null;
  const cutFrom = mark.index + (mark[1]?.length ?? 0);
  return {
    pid: Number(mark[2]),
    rest: Buffer.concat([
      stderr.subarray(0, cutFrom),
      stderr.subarray(mark.index + mark[0].length),
    ]),
  };
}

/** Past this much stderr without the mark, the mark is not coming (not our launcher). */
export const PID_SEARCH_LIMIT = 64 * 1024;
