import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { RekeyError } from '../../../shared/errors';
import type {
  CandidateView,
  ImportChoice,
  ImportPreview,
  ImportSourceInput,
} from '../../../shared/interchange-api';
import { action, collect, readStdinValue } from '../command';
import type { CliContext, CliIo } from '../context';

/**
 * `rekey import compose|pass|keepass|bitwarden`: the interchange preview, printed, and then
 * (unless --dry-run) the plan applied in one transaction. Duplicates are skipped unless
 * --on-duplicate or a --choose says otherwise; nothing is merged without being asked.
 */

interface ImportFlags {
  deployment?: string;
  format?: string;
  key?: string;
  passphraseFile?: string;
  passphraseStdin?: boolean;
  all?: boolean;
  dryRun?: boolean;
  onDuplicate?: string;
  choose?: string[];
  json?: boolean;
}

const HELP_CHOOSE =
  'choose for one candidate: ID=skip|create|version|rename[:deployment/name] (repeatable; IDs from --dry-run)';

export function registerInterchangeImports(importCommand: Command, io: CliIo): void {
  const kinds: [string, string, string][] = [
    [
      'compose',
      '<file>',
      'import the environment: blocks of a docker compose file ("-" reads stdin)',
    ],
    ['pass', '<dir>', 'import a pass store (decrypted by gpg, or with --key through openpgp.js)'],
    ['keepass', '<file>', 'import a KeePassXC export: XML or CSV (keepassxc-cli export)'],
    ['bitwarden', '<file>', "import Bitwarden's unencrypted JSON export"],
  ];
  for (const [kind, argument, description] of kinds) {
    const command = importCommand
      .command(`${kind} ${argument}`)
      .description(description)
      .option('--deployment <name>', 'import into this deployment (else the source folder/group)');
    if (kind === 'compose') command.option('--all', 'every key, not only those that look secret');
    if (kind === 'keepass')
      command.option('--format <xml|csv>', 'the export format (default: by extension)');
    if (kind === 'pass') {
      command
        .option('--key <file>', 'an armored OpenPGP private key file to decrypt with (else gpg)')
        .option('--passphrase-file <file>', "read the key's passphrase from this file")
        .option('--passphrase-stdin', "read the key's passphrase from stdin");
    }
    command
      .option('--dry-run', 'show the preview and change nothing')
      .option(
        '--on-duplicate <choice>',
        'for every duplicate: skip (default), version or rename',
        'skip',
      )
      .option('--choose <choice>', HELP_CHOOSE, collect)
      .option('--json', 'print the preview and result as JSON')
      .action(
        action(io, async (context, path: string, flags: ImportFlags) => {
          const source = await sourceOf(kind, path, flags, io);
          await context.unlock();
          const deployment = flags.deployment;
          const preview = await context.call('interchange.preview', { source, deployment });
          if (flags.dryRun) {
            if (flags.json) context.printJson(preview);
            else printPreview(context, preview, true);
            return;
          }
          const choices = choicesFor(preview, flags);
          const result = await context.call('interchange.apply', {
            source,
            deployment,
            digest: preview.digest,
            choices,
          });
          if (flags.json) {
            context.printJson({ preview, result });
            return;
          }
          printPreview(context, preview, false);
          context.print(
            `Imported: ${result.created.length} new, ${result.versioned.length} new versions, ${result.skipped.length} skipped`,
          );
          for (const ref of result.created) context.print(`  + ${ref}`);
          for (const ref of result.versioned) context.print(`  ~ ${ref}`);
        }),
      );
  }
}

async function sourceOf(
  kind: string,
  path: string,
  flags: ImportFlags,
  io: CliIo,
): Promise<ImportSourceInput> {
  let resolved: ImportSourceInput['kind'] = kind as 'compose' | 'pass' | 'bitwarden';
  if (kind === 'keepass') {
    const format = flags.format ?? (path.toLowerCase().endsWith('.csv') ? 'csv' : 'xml');
    if (format !== 'xml' && format !== 'csv') {
      throw new RekeyError('INVALID_INPUT', '--format is xml or csv');
    }
    resolved = `keepass-${format}`;
  }
  const source: ImportSourceInput = { kind: resolved, path, all: Boolean(flags.all) };
  if (path === '-' && kind !== 'pass') source.content = await readStdinValue(io);
  if (flags.key) source.keyFile = flags.key;
  if (flags.passphraseFile && flags.passphraseStdin) {
    throw new RekeyError('INVALID_INPUT', 'Use either --passphrase-file or --passphrase-stdin');
  }
  if (flags.passphraseFile) {
    const text = await readFile(flags.passphraseFile, 'utf8').catch(() => {
      throw new RekeyError('IO', `Cannot read ${flags.passphraseFile}`);
    });
    source.passphrase = text.replace(/\r?\n$/, '');
  } else if (flags.passphraseStdin) {
    source.passphrase = await readStdinValue(io);
  }
  return source;
}

/** --on-duplicate for every duplicate, then each --choose over it. */
function choicesFor(preview: ImportPreview, flags: ImportFlags): ImportChoice[] {
  const onDuplicate = flags.onDuplicate ?? 'skip';
  if (!['skip', 'version', 'rename'].includes(onDuplicate)) {
    throw new RekeyError('INVALID_INPUT', '--on-duplicate is skip, version or rename');
  }
  const choices = new Map<string, ImportChoice>();
  for (const candidate of preview.candidates) {
    if (candidate.status !== 'same' && candidate.status !== 'conflict') continue;
    const wanted = onDuplicate as ImportChoice['action'];
    // A value the vault already holds needs no new version: it stays skipped.
    if (candidate.actions.includes(wanted))
      choices.set(candidate.id, { id: candidate.id, action: wanted });
  }
  for (const text of flags.choose ?? []) {
    const match = /^(c\d+)=(skip|create|version|rename)(?::(.+))?$/.exec(text);
    if (!match)
      throw new RekeyError(
        'INVALID_INPUT',
        `--choose ${text}: expected ID=ACTION[:deployment/name]`,
      );
    const [, id = '', chosen = 'skip', ref] = match;
    choices.set(id, { id, action: chosen as ImportChoice['action'], ...(ref ? { ref } : {}) });
  }
  return [...choices.values()];
}

function describe(candidate: CandidateView): string {
  if (candidate.status === 'same') return `same value already in ${candidate.match}`;
  if (candidate.status === 'conflict') return `different value than ${candidate.match}`;
  if (candidate.status === 'invalid') return candidate.reason ?? 'cannot be imported';
  return 'new';
}

function printPreview(context: CliContext, preview: ImportPreview, dryRun: boolean): void {
  context.print(
    `${dryRun ? 'Would import' : 'Importing'} from ${preview.path}: ${preview.candidates.length} candidates, ${preview.problems.length} not importable`,
  );
  for (const c of preview.candidates) {
    const value = `fp:${c.fingerprint} ${c.length} chars ${c.strength}`;
    context.print(
      `  ${c.id.padEnd(4)} ${(c.ref ?? '-').padEnd(36)} ${value}  ${describe(c)} [${c.defaultAction}; ${c.actions.join('|')}]`,
    );
    context.print(`       from ${c.source}`);
  }
  for (const problem of preview.problems) context.print(`  - ${problem.source}: ${problem.reason}`);
}
