import type { Command } from 'commander';
import type { KeychainStatus } from '../../../shared/api';
import { action } from '../command';
import type { CliIo } from '../context';

/**
 * `rekey vault remember | forget`: the vault key (never the password) in this device's OS
 * keychain, so commands here open the vault without a password when none is given.
 */

export function describeKeychain(keychain: KeychainStatus): string {
  if (keychain.remembered) return 'remembered on this device (rekey vault forget removes it)';
  if (keychain.available) return 'available, not remembered (rekey vault remember)';
  return `unavailable: ${keychain.reason ?? 'unknown reason'}`;
}

export function registerDeviceCommands(program: Command, io: CliIo): void {
  const vault = program
    .command('vault')
    .description("remember the vault key in this device's keychain, or forget it");

  vault
    .command('remember')
    .description(
      "keep the vault key (never the password) in this device's keychain: commands here then " +
        'open the vault without a password unless one is given',
    )
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { json?: boolean }) => {
        await context.unlock();
        const status = await context.call('vault.rememberDevice', {});
        if (flags.json) context.printJson(status.keychain);
        else
          context.print(
            `Remembered ${status.path} on this device: its key is in the keychain ` +
              `(service Rekey, account ${status.vaultId ?? '?'}). It stays valid after ` +
              '`rekey passwd`; `rekey vault forget` removes it.',
          );
      }),
    );

  vault
    .command('forget')
    .description("remove the vault key from this device's keychain (no password needed)")
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { json?: boolean }) => {
        const before = await context.call('vault.status', {});
        // Opened with the remembered key when it still works, so the history records this.
        if (before.state === 'locked' && before.keychain.remembered) {
          await context.call('vault.unlockWithKeychain', {});
        }
        const after = await context.call('vault.forgetDevice', {});
        if (flags.json) context.printJson(after.keychain);
        else if (before.keychain.remembered)
          context.print(`Forgot ${after.path} on this device: its key left the keychain.`);
        else context.print(`${after.path} was not remembered on this device; nothing to forget.`);
      }),
    );
}
