import type { Command } from 'commander';
import type { KdfChoice, VaultStatus } from '../../../shared/api';
import { RekeyError } from '../../../shared/errors';
import { action } from '../command';
import { describeKeychain } from './device';
import type { CliIo } from '../context';
import { readNewPassword, readPassword } from '../password';

interface KdfFlags {
  kdfMs?: string;
  kdfMemory?: string;
  kdfIterations?: string;
  kdfParallelism?: string;
}

function addKdfOptions(command: Command): Command {
  return command
    .option('--kdf-ms <ms>', 'calibrate Argon2id to take about this long here (default 500)')
    .option('--kdf-memory <KiB>', 'fixed Argon2id memory in KiB (with --kdf-iterations)')
    .option('--kdf-iterations <n>', 'fixed Argon2id iterations')
    .option('--kdf-parallelism <n>', 'fixed Argon2id lanes (default 2)');
}

function integer(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new RekeyError('INVALID_INPUT', `${flag} takes a whole number, got "${text}"`);
  return value;
}

export function kdfChoice(flags: KdfFlags): KdfChoice | undefined {
  if (flags.kdfMemory !== undefined || flags.kdfIterations !== undefined) {
    if (flags.kdfMemory === undefined || flags.kdfIterations === undefined) {
      throw new RekeyError('INVALID_INPUT', '--kdf-memory and --kdf-iterations go together');
    }
    return {
      memoryKiB: integer(flags.kdfMemory, '--kdf-memory'),
      iterations: integer(flags.kdfIterations, '--kdf-iterations'),
      parallelism: integer(flags.kdfParallelism ?? '2', '--kdf-parallelism'),
    };
  }
  return flags.kdfMs === undefined ? undefined : { targetMs: integer(flags.kdfMs, '--kdf-ms') };
}

export function describeKdf(status: VaultStatus): string {
  if (!status.kdf) return '';
  const { memoryKiB, iterations, parallelism } = status.kdf;
  return `Argon2id m=${memoryKiB} KiB, t=${iterations}, p=${parallelism}`;
}

export function registerVaultCommands(program: Command, io: CliIo): void {
  addKdfOptions(
    program
      .command('init')
      .description(
        'create a new vault (the password comes from the usual sources, or is asked twice)',
      )
      .option('--json', 'print the result as JSON'),
  ).action(
    action(io, async (context, flags: KdfFlags & { json?: boolean }) => {
      const choice = kdfChoice(flags);
      const password = await readNewPassword({
        file: context.globals.passwordFile,
        env: io.env,
        envPrefix: 'REKEY_PASSWORD',
      });
      const status = await context.call('vault.create', {
        password,
        ...(choice ? { kdf: choice } : {}),
      });
      if (flags.json) context.printJson(status);
      else context.print(`Created vault ${status.path} (${describeKdf(status)})`);
    }),
  );

  addKdfOptions(
    program
      .command('passwd')
      .description('change the vault password (re-wraps the vault key; nothing is re-encrypted)')
      .option('--new-password-file <file>', 'read the new password from this file'),
  ).action(
    action(io, async (context, flags: KdfFlags & { newPasswordFile?: string }) => {
      const choice = kdfChoice(flags);
      const currentPassword = await readPassword({
        file: context.globals.passwordFile,
        env: io.env,
      });
      await context.call('vault.unlock', { password: currentPassword });
      const newPassword = await readNewPassword({
        file: flags.newPasswordFile,
        env: io.env,
        envPrefix: 'REKEY_NEW_PASSWORD',
      });
      const status = await context.call('vault.changePassword', {
        currentPassword,
        newPassword,
        ...(choice ? { kdf: choice } : {}),
      });
      context.print(`Password changed for ${status.path} (${describeKdf(status)})`);
    }),
  );

  program
    .command('status')
    .description('show where the vault is and, when it opens, what it holds')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { json?: boolean }) => {
        let status = await context.call('vault.status', {});
        if (status.state === 'locked') {
          await context.unlock();
          status = await context.call('vault.status', {});
        }
        if (flags.json) {
          context.printJson(status);
          return;
        }
        context.print(`vault:    ${status.path}`);
        context.print(
          `state:    ${status.state === 'missing' ? 'no vault here (rekey init creates one)' : 'ok'}`,
        );
        if (status.state === 'unlocked') {
          context.print(`created:  ${status.createdAt ?? '-'}`);
          context.print(`kdf:      ${describeKdf(status)}`);
          context.print(`secrets:  ${status.secrets ?? 0}`);
          context.print(`events:   ${status.events ?? 0}`);
          context.print(`size:     ${status.fileSize ?? 0} bytes`);
        }
        if (status.state !== 'missing')
          context.print(`keychain: ${describeKeychain(status.keychain)}`);
      }),
    );

  program
    .command('compact')
    .description('rewrite the vault file compactly, keeping the full history')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { json?: boolean }) => {
        await context.unlock();
        const result = await context.call('vault.compact', {});
        if (flags.json) context.printJson(result);
        else
          context.print(
            `Compacted ${context.vaultPath}: ${result.before} -> ${result.after} bytes`,
          );
      }),
    );
}
