import { Command, CommanderError } from 'commander';
import { EXIT_CODES, isRekeyError } from '../../shared/errors';
import { registerBackupCommands } from './commands/backup';
import { registerDemoCommand } from './commands/demo';
import { registerDeviceCommands } from './commands/device';
import { registerDeploymentCommands } from './commands/deployment';
import { registerGenerateCommand } from './commands/generate';
import { registerHealthCommands } from './commands/health';
import { registerHistoryCommands } from './commands/history';
import { registerHostCommands } from './commands/host';
import { registerImportCommands } from './commands/import';
import { registerClusterCommands } from './commands/cluster';
import { registerExportCommands } from './commands/export';
import { registerIncidentCommands } from './commands/incident';
import { registerKeyCommands } from './commands/key';
import { registerPlaybookCommands } from './commands/playbook';
import { registerRotateCommand } from './commands/rotate';
import { registerSecretCommands } from './commands/secret';
import { registerUiCommand } from './commands/ui';
import { registerVaultCommands } from './commands/vault';
import { CliFailure, type CliIo } from './context';

export const EXIT_CODE_HELP = `
Passwords come from --password-file, REKEY_PASSWORD_FILE, REKEY_PASSWORD_COMMAND or
REKEY_PASSWORD (in that order), else from the key remembered in this device's keychain
(rekey vault remember; REKEY_NO_KEYCHAIN=1 skips it), else from a prompt on the terminal;
never from arguments.
The vault is --vault, else REKEY_VAULT, else the per-user default (rekey status shows it).
Secrets are named deployment/name, e.g. synctv-prod/jwt.secret.

Exit codes:
  0   success
  1   unexpected error
  2   invalid input or usage
  3   wrong password
  4   no vault at that path
  5   the file is not a Rekey vault
  6   the vault was written by a newer Rekey
  7   the vault is damaged (the message names the record)
  8   the vault is busy: another process held its lock past --lock-timeout
  9   not found: no such secret, version, host or playbook
  10  already exists
  11  history verification failed
  12  host unreachable: connection refused, timed out or lost
  13  SSH login refused
  14  host key not trusted yet (rekey host trust)
  15  host key CHANGED: connection refused
  16  a command on the host failed
  17  a config file could not be parsed, or a backup bundle is damaged (did not verify)
  18  a rotation run is in the way (unfinished, or still running elsewhere)
  19  the rotation failed and was rolled back: the old values are in place
  20  the rotation needs attention: a rollback step failed (the message says what to do)
  21  rekey secret due / rekey due --fail-if-any: a rotation (or, for rekey due, a backup) is due
  22  rekey health: a finding at or above --fail-on (default high)
A rollback asked for (rekey rotate rollback) that succeeds also ends with 19.`;

export function buildProgram(io: CliIo, version: string): Command {
  const program = new Command('rekey')
    .description('Rekey: the secrets of your self-hosted stack, kept, rotated and recorded')
    .version(version)
    .option('--vault <path>', 'vault file (default: REKEY_VAULT, else the per-user default)')
    .option('--password-file <file>', 'read the vault password from this file')
    .option(
      '--lock-timeout <seconds>',
      'how long to wait for another process holding the vault',
      '10',
    )
    .addHelpText('after', EXIT_CODE_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  registerVaultCommands(program, io);
  registerDeviceCommands(program, io);
  registerSecretCommands(program, io);
  registerImportCommands(program, io);
  registerDeploymentCommands(program, io);
  registerHostCommands(program, io);
  registerClusterCommands(program, io);
  registerHistoryCommands(program, io);
  registerPlaybookCommands(program, io);
  registerRotateCommand(program, io);
  registerBackupCommands(program, io);
  registerKeyCommands(program, io);
  // After secret and host: it adds `secret exposed` and `host compromised` to them.
  registerIncidentCommands(program, io);
  // After secret: it adds `secret snooze`.
  registerHealthCommands(program, io);
  registerExportCommands(program, io);
  registerGenerateCommand(program, io);
  registerUiCommand(program, io);
  registerDemoCommand(program, io);
  const exitOverride = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  const program = buildProgram(io, version);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are how commander ends successfully.
      return error.exitCode === 0 ? 0 : EXIT_CODES.INVALID_INPUT;
    }
    if (error instanceof CliFailure) {
      io.stderr.write(`rekey: ${error.message}\n`);
      return error.exitCode;
    }
    if (isRekeyError(error)) {
      io.stderr.write(`rekey: ${error.message}\n`);
      return EXIT_CODES[error.code];
    }
    io.stderr.write(
      `rekey: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT_CODES.INTERNAL;
  }
}
