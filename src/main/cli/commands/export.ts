import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  type ExportKindName,
  PLAINTEXT_EXPORTS,
  plaintextWarning,
} from '../../../shared/interchange-api';
import { action, collect } from '../command';
import type { CliContext, CliIo } from '../context';

/**
 * `rekey export pass|keepass|env`: the way out of Rekey. A pass store is encrypted to its
 * recipients; KeePass XML and .env hold values in clear, and the command says so on stderr
 * before it writes. Every export is a `secrets.exported` event in the history.
 */
export function registerExportCommands(program: Command, io: CliIo): void {
  const exportCommand = program.command('export').description('write secrets out for other tools');

  exportCommand
    .command('pass <dir>')
    .description("write a pass store `pass show` reads, encrypted to .gpg-id's recipients")
    .option(
      '--recipient <key>',
      'an armored public key file or a gpg key id (repeatable; a new store needs one)',
      collect,
    )
    .option('--deployment <name>', "only this deployment's secrets")
    .option('--force', 'replace entries of the same names the store has already')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          dir: string,
          flags: { recipient?: string[]; deployment?: string; force?: boolean; json?: boolean },
        ) => {
          const recipients = await Promise.all((flags.recipient ?? []).map(recipientOf));
          await exportTo(context, { kind: 'pass', path: dir, recipients, ...flags });
        },
      ),
    );

  exportCommand
    .command('keepass <file>')
    .description('write KeePass XML for `keepassxc-cli import` (values in clear)')
    .option('--deployment <name>', "only this deployment's secrets")
    .option('--force', 'replace the file if it exists')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          file: string,
          flags: { deployment?: string; force?: boolean; json?: boolean },
        ) => {
          await exportTo(context, { kind: 'keepass', path: file, ...flags });
        },
      ),
    );

  exportCommand
    .command('env <deployment> <file>')
    .description("write a deployment's current values as a .env (values in clear)")
    .option('--force', 'replace the file if it exists')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          deployment: string,
          file: string,
          flags: { force?: boolean; json?: boolean },
        ) => {
          await exportTo(context, { kind: 'env', path: file, deployment, ...flags });
        },
      ),
    );
}

/** A file holding an armored key is read; anything else is a gpg key id (never a secret). */
async function recipientOf(value: string): Promise<string> {
  const isFile = await stat(value).then(
    (s) => s.isFile(),
    () => false,
  );
  return isFile ? readFile(value, 'utf8') : value;
}

/**
 * One export: the plaintext warning first (on stderr, before anything is read or written; the
 * command itself is the user's confirmation), then the call, then what was written.
 */
async function exportTo(
  context: CliContext,
  request: {
    kind: ExportKindName;
    path: string;
    deployment?: string;
    recipients?: string[];
    force?: boolean;
    json?: boolean;
  },
): Promise<void> {
  const plaintext = PLAINTEXT_EXPORTS.includes(request.kind);
  if (plaintext) context.warn(plaintextWarning(request.kind, request.path));
  await context.unlock();
  const result = await context.call('interchange.export', {
    kind: request.kind,
    path: request.path,
    recipients: request.recipients ?? [],
    acknowledgePlaintext: plaintext,
    overwrite: request.force === true,
    ...(request.deployment ? { deployment: request.deployment } : {}),
  });
  report(context, result, request.json);
}

function report(
  context: CliContext,
  result: { kind: string; path: string; refs: string[]; recipients: string[]; renamed: string[] },
  json: boolean | undefined,
): void {
  if (json) {
    context.printJson(result);
    return;
  }
  const to = result.recipients.length ? `, encrypted to ${result.recipients.join(', ')}` : '';
  context.print(`Exported ${result.refs.length} secrets to ${result.path}${to}`);
  for (const renamed of result.renamed) context.print(`  renamed ${renamed}`);
}
