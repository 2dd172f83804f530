import { openSync } from 'node:fs';
import { type Interface, createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ReadStream, WriteStream } from 'node:tty';
import { RekeyError } from '../../shared/errors';

/**
 * Questions on the controlling terminal (/dev/tty), so stdin stays free for values piped
 * into Rekey. One line reader serves every question of a command, so answers typed (or
 * pasted) ahead of their prompt are kept for it. Hidden answers are not echoed: readline
 * runs the terminal in raw mode and its echo goes through an output we can mute.
 */
export class TerminalPrompter {
  readonly #input: ReadStream;
  readonly #output: WriteStream;
  readonly #lines: Interface;
  readonly #queued: string[] = [];
  readonly #waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  #muted = false;
  #ended: Error | null = null;

  private constructor(fd: number) {
    this.#input = new ReadStream(fd);
    this.#output = new WriteStream(fd);
    const echo = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        if (!this.#muted) this.#output.write(chunk);
        done();
      },
    });
    this.#lines = createInterface({ input: this.#input, output: echo, terminal: true });
    this.#lines.on('line', (line) => {
      const waiter = this.#waiting.shift();
      if (waiter) waiter.resolve(line);
      else this.#queued.push(line);
    });
    const end = (error: Error) => {
      this.#ended = error;
      for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
    };
    this.#lines.on('SIGINT', () =>
      end(new RekeyError('INVALID_INPUT', 'Cancelled; nothing was changed')),
    );
    this.#lines.on('close', () =>
      end(new RekeyError('INVALID_INPUT', 'The terminal closed before an answer')),
    );
  }

  static open(): TerminalPrompter {
    let fd: number;
    try {
      fd = openSync('/dev/tty', 'r+');
    } catch {
      throw new RekeyError(
        'INVALID_INPUT',
        'No password given and no terminal to ask on: use --password-file, REKEY_PASSWORD_FILE, ' +
          'REKEY_PASSWORD_COMMAND or REKEY_PASSWORD',
      );
    }
    return new TerminalPrompter(fd);
  }

  async ask(prompt: string, options: { hidden: boolean }): Promise<string> {
    this.#output.write(prompt);
    this.#muted = options.hidden;
    try {
      return await this.#nextLine();
    } finally {
      this.#muted = false;
      if (options.hidden) this.#output.write('\n');
    }
  }

  #nextLine(): Promise<string> {
    const queued = this.#queued.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#ended) return Promise.reject(this.#ended);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  close(): void {
    this.#lines.close();
    this.#input.destroy();
    this.#output.destroy();
  }
}

/** Asks one or more questions in one terminal session. */
export async function withTerminal<T>(
  questions: (prompter: TerminalPrompter) => Promise<T>,
): Promise<T> {
  const prompter = TerminalPrompter.open();
  try {
    return await questions(prompter);
  } finally {
    prompter.close();
  }
}
