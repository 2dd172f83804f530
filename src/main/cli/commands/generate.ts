import type { Command } from 'commander';
import { parseGeneratorSpec } from '../../vault/generate';
import { action } from '../command';
import type { CliIo } from '../context';

export function registerGenerateCommand(program: Command, io: CliIo): void {
  program
    .command('generate [spec]')
    .description(
      'print a fresh random value: hex, base64, base64url, alphanumeric, passphrase (:LEN) or ed25519',
    )
    .option('--count <n>', 'how many values', '1')
    .action(
      action(io, async (context, spec: string | undefined, flags: { count: string }) => {
        const result = await context.call('generator.generate', {
          spec: parseGeneratorSpec(spec ?? 'base64:32'),
          count: Number(flags.count),
        });
        for (const value of result.values) context.printSecret(value);
      }),
    );
}
