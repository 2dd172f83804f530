import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { RekeyError } from '../../../shared/errors';
import { action, collect, readStdinValue } from '../command';
import type { CliIo } from '../context';
import { parseDays } from '../format';
import { registerInterchangeImports } from './import-interchange';

export function registerImportCommands(program: Command, io: CliIo): void {
  const importCommand = program.command('import').description('bring secrets in from other places');
  registerInterchangeImports(importCommand, io);

  importCommand
    .command('env <file>')
    .description('import a .env file (docker compose rules) into a deployment; "-" reads stdin')
    .requiredOption('--deployment <name>', 'deployment to import into')
    .option('--service <name>', 'service the imported secrets belong to')
    .option('--rotate-every <days>', 'rotation policy for the imported secrets')
    .option('--tag <tag>', 'tag the imported secrets (repeatable)', collect)
    .option('--all', 'import every key, not only those that look like secrets')
    .option('--new-versions', 'store a new version when a secret exists with another value')
    .option('--dry-run', 'show what would change and change nothing')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          file: string,
          flags: {
            deployment: string;
            service?: string;
            rotateEvery?: string;
            tag?: string[];
            all?: boolean;
            newVersions?: boolean;
            dryRun?: boolean;
            json?: boolean;
          },
        ) => {
          const content =
            file === '-'
              ? await readStdinValue(io)
              : await readFile(file, 'utf8').catch((error: Error) => {
                  throw new RekeyError('INVALID_INPUT', `Cannot read ${file}: ${error.message}`);
                });
          await context.unlock();
          const report = await context.call('secrets.importEnv', {
            deployment: flags.deployment,
            content,
            from: file === '-' ? 'stdin' : basename(file),
            metadata: {
              ...(flags.service ? { service: flags.service } : {}),
              ...(flags.rotateEvery
                ? { policy: { kind: 'interval', days: parseDays(flags.rotateEvery) } }
                : {}),
              ...(flags.tag ? { tags: flags.tag } : {}),
            },
            onExisting: flags.newVersions ? 'new-version' : 'skip',
            all: Boolean(flags.all),
            dryRun: Boolean(flags.dryRun),
          });
          if (flags.json) {
            context.printJson(report);
            return;
          }
          const prefix = report.dryRun ? 'Would import' : 'Imported';
          context.print(
            `${prefix} into ${report.deployment}: ${report.added.length} new, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.skipped.length} skipped`,
          );
          for (const ref of report.added) context.print(`  + ${ref}`);
          for (const ref of report.updated) context.print(`  ~ ${ref}`);
          for (const { key, reason } of report.skipped) context.print(`  - ${key}: ${reason}`);
        },
      ),
    );
}
