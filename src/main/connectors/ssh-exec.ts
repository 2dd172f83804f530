import type { Client, ClientChannel } from 'ssh2';
import { RekeyError } from '../../shared/errors';
import { ChannelRefused } from './channel-gate';
import type { ExecRequest, ExecResult } from './connector';
import {
  PID_SEARCH_LIMIT,
  buildRemoteCommand,
  killCommandLine,
  takePidMark,
} from './remote-launcher';
import { connectionLost } from './ssh-errors';

/**
 * Runs the command on an exec channel of `client`. A command that outlives `timeoutMs` is
 * killed with its process group and the call fails with CONNECTION_TIMEOUT at once.
 */
export function runRemoteCommand(
  client: Client,
  host: string,
  request: ExecRequest,
  isOpen: () => boolean,
): Promise<ExecResult> {
  const { commandLine, preamble } = buildRemoteCommand(request);
  const program = request.argv[0] ?? '';
  return new Promise((resolve, reject) => {
    client.exec(commandLine, (error, channel) => {
      if (error) {
        reject(
          isOpen()
            ? new ChannelRefused(host, `run ${program}`, error.message)
            : connectionLost(host, program),
        );
        return;
      }
      const onTimeout = (pid: number | null) => {
        if (pid !== null) killRemote(client, pid);
        channel.close();
        reject(
          new RekeyError(
            'CONNECTION_TIMEOUT',
            `${program} did not finish within ${request.timeoutMs} ms on ${host} and was killed.`,
          ),
        );
      };
      collect(channel, request.timeoutMs, onTimeout).then((outcome) => {
        if (outcome) resolve(outcome);
        else if (isOpen()) {
          reject(
            new RekeyError(
              'CONNECTION_LOST',
              `${program} on ${host} ended without an exit status.`,
            ),
          );
        } else reject(connectionLost(host, program));
      }, reject);
      channel.write(preamble);
      if (request.stdin !== undefined) channel.write(request.stdin);
      channel.end();
    });
  });
}

/**
 * Gathers output and exit status until the channel closes; resolves null when it closed
 * without an exit status (connection lost). After a timeout it stops reporting.
 */
function collect(
  channel: ClientChannel,
  timeoutMs: number | undefined,
  onTimeout: (pid: number | null) => void,
): Promise<ExecResult | null> {
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    let stderr: Buffer = Buffer.alloc(0);
    let pid: number | null = null;
    let lookingForPid = true;
    let exit: { code: number | null; signal: string | null } | null = null;
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            onTimeout(pid);
          }, timeoutMs);
    channel.on('data', (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (!lookingForPid) return;
      const mark = takePidMark(stderr);
      if (mark) {
        pid = mark.pid;
        stderr = mark.rest;
      }
      lookingForPid = !mark && stderr.length < PID_SEARCH_LIMIT;
    });
    channel.on('exit', (code: number | null, signal?: string) => {
      exit = {
        code: code ?? null,
        signal: signal ? (signal.startsWith('SIG') ? signal : `SIG${signal}`) : null,
      };
    });
    channel.on('close', () => {
      clearTimeout(timer);
      if (timedOut) return;
      resolve(
        exit && {
          ...exit,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: stderr.toString('utf8'),
        },
      );
    });
  });
}

/** Best effort, on a channel of its own: the command's channel is busy with the command. */
function killRemote(client: Client, pid: number): void {
  client.exec(killCommandLine(pid), (error, channel) => {
    if (error) return;
    channel.resume();
    channel.stderr.resume();
    channel.end();
  });
}
