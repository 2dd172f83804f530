import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { RekeyError } from '../../shared/errors';
import { withTerminal } from './terminal';

/**
 * Where passwords come from, in restic's order: a file named on the command line, then
 * REKEY_PASSWORD_FILE, REKEY_PASSWORD_COMMAND, REKEY_PASSWORD, and finally a prompt on the
 * terminal. Passwords never come from argv, where every user of the machine can read them.
 */

export interface PasswordSources {
  file?: string;
  env: NodeJS.ProcessEnv;
}

/** Files and commands end their output with a newline that is not part of the password. */
function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function nonEmpty(password: string, source: string): string {
  if (password.length === 0)
    throw new RekeyError('INVALID_INPUT', `The password from ${source} is empty`);
  return password;
}

async function fromFile(path: string): Promise<string> {
  try {
    return nonEmpty(withoutFinalNewline(await readFile(path, 'utf8')), path);
  } catch (error) {
    if (error instanceof RekeyError) throw error;
    throw new RekeyError(
      'INVALID_INPUT',
      `Cannot read the password file ${path}: ${(error as Error).message}`,
    );
  }
}

async function fromCommand(command: string): Promise<string> {
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    throw new RekeyError(
      'INVALID_INPUT',
      `REKEY_PASSWORD_COMMAND failed with exit code ${String(code)}`,
    );
  }
  return nonEmpty(
    withoutFinalNewline(Buffer.concat(chunks).toString('utf8')),
    'REKEY_PASSWORD_COMMAND',
  );
}

export async function promptHidden(prompt: string): Promise<string> {
  return withTerminal((terminal) => terminal.ask(prompt, { hidden: true }));
}

export async function promptTerminal(prompt: string, hidden: boolean): Promise<string> {
  return withTerminal((terminal) => terminal.ask(prompt, { hidden }));
}

/**
 * Whether a password source was set up (flag or environment). Without one, a command first
 * tries the key remembered in the OS keychain, and only then prompts.
 */
export function passwordGiven(sources: PasswordSources): boolean {
  const { file, env } = sources;
  return Boolean(
    file || env['REKEY_PASSWORD_FILE'] || env['REKEY_PASSWORD_COMMAND'] || env['REKEY_PASSWORD'],
  );
}

/** The password of an existing vault. */
export async function readPassword(sources: PasswordSources): Promise<string> {
  const { file, env } = sources;
  if (file) return fromFile(file);
  if (env['REKEY_PASSWORD_FILE']) return fromFile(env['REKEY_PASSWORD_FILE']);
  if (env['REKEY_PASSWORD_COMMAND']) return fromCommand(env['REKEY_PASSWORD_COMMAND']);
  if (env['REKEY_PASSWORD']) return env['REKEY_PASSWORD'];
  return nonEmpty(await promptHidden('Vault password: '), 'the prompt');
}

/** A password being chosen: typed twice when it comes from the terminal. */
export async function readNewPassword(sources: {
  file?: string;
  env: NodeJS.ProcessEnv;
  envPrefix: 'REKEY_PASSWORD' | 'REKEY_NEW_PASSWORD';
}): Promise<string> {
  const { file, env, envPrefix } = sources;
  if (file) return fromFile(file);
  if (env[`${envPrefix}_FILE`]) return fromFile(env[`${envPrefix}_FILE`] as string);
  if (envPrefix === 'REKEY_PASSWORD' && env['REKEY_PASSWORD_COMMAND']) {
    return fromCommand(env['REKEY_PASSWORD_COMMAND']);
  }
  if (env[envPrefix]) return env[envPrefix] as string;
  const [first, second] = await withTerminal(async (terminal) => [
    nonEmpty(await terminal.ask('New vault password: ', { hidden: true }), 'the prompt'),
    await terminal.ask('Repeat the password: ', { hidden: true }),
  ]);
  if (first !== second)
    throw new RekeyError('INVALID_INPUT', 'The passwords do not match; nothing was changed');
  return first;
}
