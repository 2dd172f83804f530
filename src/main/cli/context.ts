import type { MethodName, MethodOutput } from '../../shared/api';
import { EXIT_CODES, type ErrorCode, RekeyError } from '../../shared/errors';
import { type RekeyApp, createApp } from '../app';
import { defaultVaultPath } from '../vault/paths';
import { defaultKeychain } from '../keychain/system';
import { passwordGiven, readPassword } from './password';

/** Options every command accepts. */
export interface GlobalOptions {
  vault?: string;
  passwordFile?: string;
  lockTimeout?: string;
}

/** A failure the CLI reports as one line on stderr and a documented exit code. */
export class CliFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/**
 * What a command works with: the app (the same core as the desktop), the password sources,
 * and output that always passes through the vault's redactor. The only ways a value reaches
 * stdout are `printSecret` (reveal, generate) and nothing else.
 */
export class CliContext {
  readonly app: RekeyApp;

  constructor(
    readonly globals: GlobalOptions,
    readonly io: CliIo,
    readonly command: string,
  ) {
    const vaultPath = globals.vault ?? io.env['REKEY_VAULT'] ?? defaultVaultPath(io.env);
    this.app = createApp({
      vaultPath,
      source: 'cli',
      command,
      lockTimeoutMs: parseLockTimeout(globals.lockTimeout),
      onWarning: (message) => this.warn(message),
      keychain: defaultKeychain(io.env),
    });
  }

  get vaultPath(): string {
    return this.app.session.options.vaultPath;
  }

  async call<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> {
    const result = await this.app.call(method, input);
    if (!result.ok) throw new CliFailure(result.error.code, result.error.message);
    return result.value;
  }

  /**
   * Opens the vault: with the password when a source for it is set up; else with the key
   * remembered in this device's keychain, if any; else with a password from the prompt. A
   * remembered key that no longer opens the vault is removed, said so, and the prompt follows.
   */
  async unlock(): Promise<void> {
    const sources = { file: this.globals.passwordFile, env: this.io.env };
    if (!passwordGiven(sources)) {
      const remembered = await this.call('vault.unlockWithKeychain', {});
      if (remembered.unlocked) return;
      if (remembered.problem === 'stale' && remembered.message) this.warn(remembered.message);
    }
    const password = await readPassword(sources);
    await this.call('vault.unlock', { password });
  }

  redact(text: string): string {
    return this.app.session.vault?.redactor.redact(text) ?? text;
  }

  print(text = ''): void {
    this.io.stdout.write(`${this.redact(text)}\n`);
  }

  printJson(value: unknown): void {
    this.print(JSON.stringify(value, null, 2));
  }

  /** The one deliberate exception to redaction: the user asked for this value. */
  printSecret(value: string): void {
    this.io.stdout.write(`${value}\n`);
  }

  /** Notices for the person at the terminal (stderr), so stdout stays parseable. */
  notice(text: string): void {
    this.io.stderr.write(`${this.redact(text)}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`warning: ${this.redact(text)}\n`);
  }

  close(): void {
    void this.app.call('vault.lock', {});
  }
}

function parseLockTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RekeyError('INVALID_INPUT', `--lock-timeout takes seconds, got "${text}"`);
  }
  return seconds * 1000;
}
