import type { Command } from 'commander';
import { isRekeyError } from '../../shared/errors';
import { CliContext, CliFailure, type CliIo, type GlobalOptions } from './context';

/**
 * Wraps a command's action: builds its context from the global options, always locks the
 * vault (forgetting the key) afterwards, and turns core errors into CLI failures.
 */
export function action<A extends unknown[]>(
  io: CliIo,
  body: (context: CliContext, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const globals = command.optsWithGlobals<GlobalOptions>();
    const name = `rekey ${commandPath(command)}`;
    let context: CliContext | undefined;
    try {
      context = new CliContext(globals, io, name);
      await body(context, ...(args.slice(0, -1) as A));
    } catch (error) {
      if (isRekeyError(error))
        throw new CliFailure(error.code, context?.redact(error.message) ?? error.message);
      throw error;
    } finally {
      context?.close();
    }
  };
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/** Reads a value piped on stdin; one final newline (from `echo`) is not part of it. */
export async function readStdinValue(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (value.length === 0)
    throw new CliFailure('INVALID_INPUT', 'No value on stdin; nothing was changed');
  return value;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
