import type { Client, ClientChannel } from 'ssh2';
import { RekeyError } from '../../shared/errors';
import { ChannelRefused } from './channel-gate';
import { CommandOutput, feedStdin, inputFailed } from './command-stream';
import type { ExecStreamRequest, StreamedCommand } from './connector';
import {
  PID_SEARCH_LIMIT,
  buildRemoteCommand,
  killCommandLine,
  takePidMark,
} from './remote-launcher';
import { connectionLost } from './ssh-errors';

/** What a command needs of the connection it runs on. */
export interface CommandLink {
  readonly client: Client;
  /** How messages name the host. */
  readonly label: string;
  isOpen(): boolean;
  /** Calls `listener` once if the connection goes away; the returned function unsubscribes. */
  watchLoss(listener: () => void): () => void;
}

/**
 * Starts the command on an exec channel and resolves once the channel is open, with its
 * output as a stream: the channel is read only as fast as the caller reads `stdout`, so the
 * SSH window stops the remote command instead of Rekey buffering its output. The environment
 * preamble, `stdin` and then `input` go to its standard input. A command that outlives
 * `timeoutMs` is killed with its process group and `done` rejects with CONNECTION_TIMEOUT at
 * once; a lost connection rejects with CONNECTION_LOST and destroys `stdout` with it.
 */
export function startRemoteCommand(
  link: CommandLink,
  request: ExecStreamRequest,
): Promise<StreamedCommand> {
  const { commandLine, preamble } = buildRemoteCommand(request);
  const program = request.argv[0] ?? '';
  const host = link.label;
  return new Promise((resolve, reject) => {
    link.client.exec(commandLine, (error, channel) => {
      if (error) {
        reject(
          link.isOpen()
            ? new ChannelRefused(host, `run ${program}`, error.message)
            : connectionLost(host, program),
        );
        return;
      }
      const stderr = new StderrWithPid();
      const output = new CommandOutput(channel, `${program} on ${host}`, () => {
        if (stderr.pid !== null) killRemote(link.client, stderr.pid);
        channel.close();
      });
      output.limitTo(request.timeoutMs, host, program);
      output.onEnded(link.watchLoss(() => output.fail(connectionLost(host, program))));
      channel.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));
      let exit: { code: number | null; signal: string | null } | null = null;
      channel.on('exit', (code: number | null, signal?: string) => {
        exit = {
          code: code ?? null,
          signal: signal ? (signal.startsWith('SIG') ? signal : `SIG${signal}`) : null,
        };
      });
      channel.on('close', () => {
        if (exit) output.exited({ ...exit, stderr: stderr.text() });
        else if (link.isOpen()) {
          output.fail(
            new RekeyError(
              'CONNECTION_LOST',
              `${program} on ${host} ended without an exit status.`,
            ),
          );
        } else output.fail(connectionLost(host, program));
      });
      feedStdin(channel, [preamble, request.stdin], request.input, (failure) =>
        output.abort(inputFailed(`${program} on ${host}`, failure)),
      );
      resolve(output);
    });
  });
}

/** The command's stderr, without the launcher's pid line, and the pid it names. */
class StderrWithPid {
  pid: number | null = null;
  /** What came before the search ended (searched as a whole), then the rest as it came. */
  private chunks: Buffer[] = [];
  private lookingForPid = true;

  add(chunk: Buffer): void {
    if (!this.lookingForPid) {
      this.chunks.push(chunk);
      return;
    }
    let head: Buffer = Buffer.concat([...this.chunks, chunk]);
    const mark = takePidMark(head);
    if (mark) {
      this.pid = mark.pid;
      head = mark.rest;
    }
    this.chunks = [head];
    this.lookingForPid = !mark && head.length < PID_SEARCH_LIMIT;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Best effort, on a channel of its own: the command's channel is busy with the command. */
function killRemote(client: Client, pid: number): void {
  try {
    client.exec(killCommandLine(pid), (error, channel: ClientChannel) => {
      if (error) return;
      channel.resume();
      channel.stderr.resume();
      channel.end();
    });
  } catch {
    // The connection is gone, and the command with it.
  }
}
