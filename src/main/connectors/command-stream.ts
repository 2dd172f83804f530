import { PassThrough, type Readable, type Writable } from 'node:stream';
import { RekeyError } from '../../shared/errors';
import type { ExecResult, StreamedCommand } from './connector';

/**
 * What the local and the SSH connector share when a command's output is streamed (and, on top
 * of that, collected for `exec`): the caller's stdout stream, the `done` promise, feeding
 * stdin, and how a failure reaches both.
 */

/** How a command ended, before its output was read to the end. */
export interface CommandExit {
  code: number | null;
  signal: string | null;
  stderr: string;
}

/**
 * The consumer's side of a running command. `source` (the command's stdout) is piped into
 * `stdout` with backpressure: a consumer that stops reading stops `source`, and the transport
 * below stops the command (a full pipe locally, the SSH channel window over SSH).
 *
 * - `exited`: the command ended with an exit status; `stdout` ends after the rest of its
 *   output, and `done` resolves once the consumer has read it all (or destroyed `stdout`).
 * - `fail`: timeout, lost connection, failed input while the command runs: `stdout` is
 *   destroyed with the error (what was not read yet is dropped; a truncated output never
 *   looks complete) and `done` rejects with it at once.
 * - A consumer that destroys `stdout` while the command runs stops the command (`stop`) and
 *   `done` rejects with IO.
 */
export class CommandOutput implements StreamedCommand {
  readonly stdout = new PassThrough();
  readonly done: Promise<ExecResult>;
  private running = true;
  private resolveDone!: (result: ExecResult) => void;
  private rejectDone!: (error: Error) => void;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly source: Readable,
    description: string,
    private readonly stop: () => void,
  ) {
    this.done = new Promise<ExecResult>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // The same failure reaches the stdout stream; a caller who reads only that is not left
    // with an unhandled rejection.
    this.done.catch(() => undefined);
    source.pipe(this.stdout, { end: false });
    this.stdout.once('close', () => {
      const stopped = `The output of ${description} was not read to the end; the command was stopped.`;
      this.abort(new RekeyError('IO', stopped));
    });
  }

  /** Runs `cleanup` once the command has ended (exited or failed): timers, listeners. */
  onEnded(cleanup: () => void): void {
    if (this.running) this.cleanups.push(cleanup);
    else cleanup();
  }

  exited(exit: CommandExit): void {
    if (!this.end()) return;
    const result = { ...exit, stdout: '' };
    if (this.stdout.closed) this.resolveDone(result);
    else this.stdout.once('close', () => this.resolveDone(result));
    this.stdout.end();
  }

  fail(error: Error): void {
    if (!this.end()) return;
    // Whatever the transport still delivers goes nowhere, so its streams can end and close.
    this.source.resume();
    this.stdout.destroy(error);
    this.rejectDone(error);
  }

  /** Stops the command, then fails with `error`. */
  abort(error: Error): void {
    if (!this.running) return;
    this.stop();
    this.fail(error);
  }

  /** Stops the command once it has run for `timeoutMs` (if given). */
  limitTo(timeoutMs: number | undefined, host: string, program: string): void {
    if (timeoutMs === undefined) return;
    const timer = setTimeout(() => this.abort(timedOut(program, timeoutMs, host)), timeoutMs);
    this.onEnded(() => clearTimeout(timer));
  }

  /** Leaves the running state; false when it had been left already. */
  private end(): boolean {
    if (!this.running) return false;
    this.running = false;
    this.source.unpipe(this.stdout);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    return true;
  }
}

export function timedOut(program: string, timeoutMs: number, host: string): RekeyError {
  return new RekeyError(
    'CONNECTION_TIMEOUT',
    `${program} did not finish within ${timeoutMs} ms on ${host} and was killed.`,
  );
}

/**
 * Writes `parts` (the environment preamble over SSH, the request's `stdin`) to the command's
 * standard input, then pipes `input` after them, or closes stdin when there is none. A
 * command may exit without reading its input; that is its business, not an error. A failing
 * `input` is the caller's failure: `onInputFailed` is told, so the command can be stopped
 * rather than run on a truncated input.
 */
export function feedStdin(
  sink: Writable,
  parts: readonly (string | Buffer | undefined)[],
  input: Readable | undefined,
  onInputFailed: (error: unknown) => void,
): void {
  sink.on('error', () => undefined);
  for (const part of parts) if (part !== undefined && part.length > 0) sink.write(part);
  if (!input) {
    sink.end();
    return;
  }
  input.on('error', onInputFailed);
  // The command no longer reads: release the caller's input instead of leaving it paused.
  sink.once('close', () => input.destroy());
  input.pipe(sink);
}

/** The error `done` rejects with when the caller's `input` failed. */
export function inputFailed(description: string, error: unknown): RekeyError {
  if (error instanceof RekeyError) return error;
  return new RekeyError(
    'IO',
    `The input streamed to ${description} failed; the command was stopped.`,
    { cause: error },
  );
}

/** `exec` on top of `execStream`: the whole output, as text. */
export async function collectOutput(command: StreamedCommand): Promise<ExecResult> {
  const chunks: Buffer[] = [];
  command.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  // The same failure rejects `done`.
  command.stdout.on('error', () => undefined);
  const result = await command.done;
  return { ...result, stdout: Buffer.concat(chunks).toString('utf8') };
}

/**
 * `source` with its failures turned into Rekey errors by `mapError`; destroying the returned
 * stream (a consumer that stops early) destroys `source` too.
 */
export function mapStreamErrors(source: Readable, mapError: (error: unknown) => Error): Readable {
  const out = new PassThrough();
  source.on('error', (error) => out.destroy(mapError(error)));
  out.once('close', () => source.destroy());
  return source.pipe(out);
}
