import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { MethodOutput } from '../../../shared/api';
import { type DatabaseSourceInput, fingerprintSchema } from '../../../shared/backup-api';
import { EXIT_CODES } from '../../../shared/errors';
import type { AppEvent } from '../../../shared/methods';
import { action, collect, readStdinValue } from '../command';
import { type CliContext, CliFailure, type CliIo } from '../context';
import { table } from '../format';
import { promptHidden } from '../password';
import { withTerminal } from '../terminal';
import { ExitWith } from './exit-codes';

/**
 * `rekey backup`: encrypted bundles of a deployment (database dumps, config files, its
 * secrets), made, verified, restored and listed. Passphrases come from a file, stdin or a
 * hidden prompt, never from arguments, and never reach any output. A bundle that does not
 * verify ends the command with FORMAT_ERROR's exit code (17).
 */

const BACKUP_HELP = `
Passphrases come from --passphrase-file F or --passphrase-stdin, else from a hidden prompt on
the terminal (asked twice by create); never from arguments. Without a terminal, give one of
them (or --recipient for create), else the command ends with exit code 2.

--db NAME=HOST:DATABASE[,host=H][,port=P][,user=U][,password-secret=REF]
    NAME is the dump's name in the bundle (dumps/NAME.dump); HOST a host of the vault or
    "local"; host/port/user are libpq settings (host may be a socket directory);
    password-secret names a secret of the vault given to pg_dump/pg_restore as PGPASSWORD.
--via-for NAME=COMMAND   reach database NAME through a command prefix, split on spaces,
    e.g. --via-for 'shop=docker compose exec -T db'
--file HOST:PATH         a config file (an absolute path; relative paths on "local" are
    taken from the current directory)

Exit codes: 0 ok (create: the bundle verified, or only public keys were given so it could not
be checked), 17 the bundle is damaged or did not verify, 3 wrong passphrase, 2 usage (and
secret conflicts on restore without --keep-vault/--use-bundle), 9 not found.`;

/** How a bundle's passphrase is given; never an argument holding it. */
interface PassphraseFlags {
  passphraseFile?: string;
  passphraseStdin?: boolean;
}

function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** A passphrase (or key passphrase) from a file: its final newline is not part of it. */
export async function readPassphraseFile(path: string): Promise<string> {
  let text: string;
  try {
    text = withoutFinalNewline(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliFailure(
      'INVALID_INPUT',
      `Cannot read the passphrase file ${path}: ${(error as Error).message}`,
    );
  }
  if (text.length === 0)
    throw new CliFailure('INVALID_INPUT', `The passphrase file ${path} is empty`);
  return text;
}

/** The passphrase from --passphrase-file or --passphrase-stdin; undefined when neither. */
async function givenPassphrase(flags: PassphraseFlags, io: CliIo): Promise<string | undefined> {
  if (flags.passphraseFile !== undefined && flags.passphraseStdin) {
    throw new CliFailure('INVALID_INPUT', 'Use either --passphrase-file or --passphrase-stdin');
  }
  if (flags.passphraseFile !== undefined) return readPassphraseFile(flags.passphraseFile);
  if (!flags.passphraseStdin) return undefined;
  if (io.stdin.isTTY) {
    const typed = await promptHidden('Bundle passphrase: ');
    if (typed.length === 0) throw new CliFailure('INVALID_INPUT', 'The passphrase is empty');
    return typed;
  }
  return readStdinValue(io);
}

/** A new bundle passphrase typed twice on the terminal. */
async function promptNewPassphrase(): Promise<string> {
  const [first, second] = await withTerminal(async (terminal) => [
    await terminal.ask('Bundle passphrase: ', { hidden: true }),
    await terminal.ask('Repeat the passphrase: ', { hidden: true }),
  ]);
  if (first.length === 0)
    throw new CliFailure('INVALID_INPUT', 'The passphrase is empty; nothing was written');
  if (first !== second)
    throw new CliFailure('INVALID_INPUT', 'The passphrases do not match; nothing was written');
  return first;
}

function parseFingerprint(text: string, option: string): string {
  const parsed = fingerprintSchema.safeParse(text);
  if (!parsed.success) {
    throw new CliFailure(
      'INVALID_INPUT',
      `${option} takes a 40-hex-digit key fingerprint (rekey key list), got "${text}"`,
    );
  }
  return parsed.data;
}

const DUMP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DB_USAGE =
  '--db takes NAME=HOST:DATABASE[,host=H][,port=P][,user=U][,password-secret=REF], ' +
  'e.g. --db shop=db-host:shop,user=postgres';

function dbUsage(text: string, why: string): CliFailure {
  return new CliFailure('INVALID_INPUT', `${why} in --db "${text}"\n${DB_USAGE}`);
}

/** `NAME=HOST:DATABASE[,key=value]...` into a database source of the contract. */
export function parseDatabaseSpec(text: string): DatabaseSourceInput {
  const equals = text.indexOf('=');
  if (equals <= 0) throw dbUsage(text, 'No NAME= before the host');
  const name = text.slice(0, equals);
  if (!DUMP_NAME.test(name)) {
    throw dbUsage(text, `"${name}" is not a dump name (letters, digits, ".", "_", "-")`);
  }
  const [where = '', ...settings] = text.slice(equals + 1).split(',');
  const colon = where.indexOf(':');
  if (colon <= 0 || colon === where.length - 1) throw dbUsage(text, 'Expected HOST:DATABASE');
  const source: DatabaseSourceInput = {
    name,
    host: where.slice(0, colon),
    database: where.slice(colon + 1),
  };
  const connection: { host?: string; port?: string; user?: string } = {};
  for (const setting of settings) {
    const at = setting.indexOf('=');
    const key = at > 0 ? setting.slice(0, at) : setting;
    const value = at > 0 ? setting.slice(at + 1) : '';
    if (at <= 0 || value.length === 0) throw dbUsage(text, `"${setting}" is not key=value`);
    switch (key) {
      case 'host':
      case 'user':
        if (key in connection) throw dbUsage(text, `${key}= is given twice`);
        connection[key] = value;
        break;
      case 'port':
        if (!/^\d{1,5}$/.test(value)) throw dbUsage(text, `port=${value} is not a port number`);
        if ('port' in connection) throw dbUsage(text, 'port= is given twice');
        connection.port = value;
        break;
      case 'password-secret':
        if (!value.includes('/'))
          throw dbUsage(
            text,
            `password-secret=${value} is not a secret reference (deployment/name)`,
          );
        source.passwordRef = value;
        break;
      default:
        throw dbUsage(text, `Unknown setting "${key}" (known: host, port, user, password-secret)`);
    }
  }
  if (Object.keys(connection).length > 0) source.connection = connection;
  return source;
}

/** Every --db, with its --via-for command prefix. */
function databasesFrom(specs: readonly string[], vias: readonly string[]): DatabaseSourceInput[] {
  const databases = specs.map(parseDatabaseSpec);
  const names = new Set<string>();
  for (const database of databases) {
    if (names.has(database.name))
      throw new CliFailure('INVALID_INPUT', `--db ${database.name} is given twice`);
    names.add(database.name);
  }
  for (const text of vias) {
    const at = text.indexOf('=');
    const name = at > 0 ? text.slice(0, at) : '';
    const argv = text
      .slice(at + 1)
      .split(/\s+/)
      .filter(Boolean);
    if (!name || argv.length === 0) {
      throw new CliFailure(
        'INVALID_INPUT',
        `--via-for takes NAME=COMMAND, e.g. --via-for 'shop=docker compose exec -T db'; got "${text}"`,
      );
    }
    const database = databases.find((candidate) => candidate.name === name);
    if (!database) throw new CliFailure('INVALID_INPUT', `--via-for ${name}: no --db ${name}=...`);
    if (database.via) throw new CliFailure('INVALID_INPUT', `--via-for ${name} is given twice`);
    database.via = argv;
  }
  return databases;
}

/** `HOST:PATH`; a relative path is taken from the current directory on `local` only. */
export function parseFileSpec(text: string): { host: string; path: string } {
  const colon = text.indexOf(':');
  const host = colon > 0 ? text.slice(0, colon) : '';
  const path = colon > 0 ? text.slice(colon + 1) : '';
  if (!host || !path) {
    throw new CliFailure(
      'INVALID_INPUT',
      `--file takes HOST:PATH, e.g. --file local:/srv/shop/.env; got "${text}"`,
    );
  }
  if (path.startsWith('/')) return { host, path };
  if (host === 'local') return { host, path: resolve(path) };
  throw new CliFailure('INVALID_INPUT', `--file ${text}: give the absolute path on ${host}`);
}

/** 1536 -> "1.5 KiB". */
export function humanSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_/.:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** Progress lines (stderr) from the `backup.progress` events: one line per part. */
function followProgress(context: CliContext, verifies: boolean): () => void {
  const seen = new Set<string>();
  return context.app.onEvent((event: AppEvent) => {
    if (event.type !== 'backup.progress' || seen.has(event.part)) return;
    seen.add(event.part);
    if (event.part.startsWith('dumping ')) {
      context.notice(`Dumping ${event.part.slice('dumping '.length)}…`);
    } else if (event.part === 'syncing') {
      context.notice(verifies ? 'Syncing to disk, then verifying…' : 'Syncing to disk…');
    } else if (event.part === 'verifying') {
      if (!verifies) context.notice('Verifying…');
    } else if (event.part.startsWith('restoring')) {
      const what = event.part.slice('restoring '.length);
      if (what) context.notice(`Restoring ${what}…`);
    } else {
      context.notice(`Writing ${event.part}…`);
    }
  });
}

interface CreateFlags extends PassphraseFlags {
  to: string;
  recipient?: string[];
  db?: string[];
  viaFor?: string[];
  file?: string[];
  secrets: boolean;
  json?: boolean;
}

async function createBackup(
  context: CliContext,
  deployment: string,
  flags: CreateFlags,
): Promise<void> {
  const { io } = context;
  const recipients = (flags.recipient ?? []).map((text) => parseFingerprint(text, '--recipient'));
  const databases = databasesFrom(flags.db ?? [], flags.viaFor ?? []);
  const files = (flags.file ?? []).map(parseFileSpec);
  const to = resolve(flags.to);
  const dir = await stat(to).catch(() => null);
  if (!dir?.isDirectory())
    throw new CliFailure('INVALID_INPUT', `--to ${flags.to} is not a directory`);
  const asks =
    flags.passphraseFile === undefined && !flags.passphraseStdin && recipients.length === 0;
  if (asks && !io.stdin.isTTY) {
    throw new CliFailure(
      'INVALID_INPUT',
      'No passphrase for the bundle and no terminal to ask on: give --passphrase-file FILE, ' +
        '--passphrase-stdin or --recipient FINGERPRINT; nothing was written',
    );
  }
  let passphrase = await givenPassphrase(flags, io);
  await context.unlock();
  if (asks) passphrase = await promptNewPassphrase();
  if (passphrase !== undefined) {
    const strength = await context.call('strength.check', {
      value: passphrase,
      names: [deployment],
    });
    if (strength.rating === 'weak' || strength.problems.length > 0) {
      context.notice(
        `Note: this passphrase is ${strength.rating} (about ${Math.round(strength.bits)} bits)` +
          `${strength.problems.length > 0 ? `: ${strength.problems.join('; ')}` : ''}. ` +
          'Whoever gets the file can guess offline; `rekey generate passphrase:6` makes a strong one.',
      );
    }
  }
  let canVerify = passphrase !== undefined;
  if (recipients.length > 0) {
    const keys = await context.call('keys.list', {});
    for (const fingerprint of recipients) {
      const key = keys.find((candidate) => candidate.fingerprint === fingerprint);
      if (!key) {
        throw new CliFailure(
          'NOT_FOUND',
          `No OpenPGP key ${fingerprint} in the vault (rekey key list; rekey key import FILE)`,
        );
      }
      if (key.hasPrivateKey) canVerify = true;
    }
  }

  context.notice(`Backing up ${deployment} to ${to}…`);
  const stop = followProgress(context, canVerify);
  let created: MethodOutput<'backups.create'>;
  try {
    created = await context.call('backups.create', {
      deployment,
      to,
      databases,
      files,
      secrets: flags.secrets,
      recipients,
      ...(passphrase === undefined ? {} : { passphrase }),
    });
  } finally {
    stop();
  }
  if (flags.json) context.printJson({ ...created, verifiable: canVerify });
  else {
    context.print(
      [
        `Backup of ${deployment} written:`,
        `  file:     ${created.file}`,
        `  size:     ${humanSize(created.size)} (${created.size} bytes)`,
        `  sha256:   ${created.sha256}`,
        `  parts:    ${created.entries.length}`,
        ...created.entries.map((entry) => `    ${entry.name} (${humanSize(entry.size)})`),
        `  verified: ${created.verified ? 'yes' : canVerify ? 'NO' : 'no (see below)'}`,
        ...(created.verified || !canVerify
          ? []
          : created.problems.map((problem) => `    - ${problem}`)),
        '',
        'To open it without Rekey (in an empty directory):',
        `  gpg --decrypt ${shellQuote(created.file)} | tar -x && sha256sum -c SHA256SUMS`,
      ].join('\n'),
    );
    if (!canVerify) {
      context.print(
        '\nNot verified: it is encrypted only to public keys whose private keys the vault does ' +
          'not keep. Check it where a private key is: gpg --decrypt FILE | tar -t, or ' +
          'rekey backup verify FILE --key FINGERPRINT after rekey key import.',
      );
    }
  }
  if (canVerify && !created.verified) {
    throw new ExitWith(
      EXIT_CODES.FORMAT_ERROR,
      `the new bundle did not verify: ${created.problems.join('; ')}`,
    );
  }
}

interface DecryptFlags extends PassphraseFlags {
  key?: string;
}

type Opener = { passphrase?: string; key?: string };

/**
 * How a bundle is opened: a kept key (a passphrase option then unlocks the key), else the
 * bundle passphrase; `ask` when it is to be typed on the terminal (after the vault opens).
 */
async function decryptInput(
  context: CliContext,
  flags: DecryptFlags,
): Promise<{ opener: Opener; ask: boolean }> {
  const key = flags.key === undefined ? undefined : parseFingerprint(flags.key, '--key');
  const passphrase = await givenPassphrase(flags, context.io);
  const opener: Opener = {
    ...(key === undefined ? {} : { key }),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
  if (key !== undefined || passphrase !== undefined) return { opener, ask: false };
  if (!context.io.stdin.isTTY) {
    throw new CliFailure(
      'INVALID_INPUT',
      'No passphrase for the bundle and no terminal to ask on: give --passphrase-file FILE, ' +
        '--passphrase-stdin or --key FINGERPRINT',
    );
  }
  return { opener, ask: true };
}

/** Unlocks the vault, then asks for the bundle passphrase when it is to be typed. */
async function unlockAndOpen(context: CliContext, flags: DecryptFlags): Promise<Opener> {
  const { opener, ask } = await decryptInput(context, flags);
  await context.unlock();
  if (!ask) return opener;
  const typed = await promptHidden('Bundle passphrase: ');
  if (typed.length === 0) throw new CliFailure('INVALID_INPUT', 'The passphrase is empty');
  return { passphrase: typed };
}

function addDecryptOptions(command: Command): Command {
  return command
    .option('--passphrase-file <file>', "read the bundle's passphrase from this file")
    .option('--passphrase-stdin', "read the bundle's passphrase from stdin")
    .option(
      '--key <fingerprint>',
      'open it with this private key kept in the vault (a passphrase option then unlocks the key)',
    );
}

async function verifyBackup(
  context: CliContext,
  file: string,
  flags: DecryptFlags & { json?: boolean },
): Promise<void> {
  const opener = await unlockAndOpen(context, flags);
  const report = await context.call('backups.verify', { file: resolve(file), ...opener });
  if (flags.json) context.printJson(report);
  else if (report.ok) {
    const made = report.deployment
      ? `  deployment ${report.deployment}, made ${report.createdAt ?? '?'}\n`
      : '';
    context.print(
      `OK: ${report.file}\n${made}  ${report.entries.length} entries, every checksum and the integrity check match:\n${table(
        ['ENTRY', 'SIZE', 'SHA256'],
        report.entries.map((entry) => [entry.name, humanSize(entry.size), entry.sha256]),
      )
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n')}\n${restoreOptions(report).join('\n')}`,
    );
  } else {
    context.print(
      `DAMAGED: ${report.file}\n${report.problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
  if (!report.ok) {
    throw new ExitWith(
      EXIT_CODES.FORMAT_ERROR,
      `the bundle did not verify (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}); do not rely on it`,
    );
  }
}

/** What `backup restore` could bring back from a verified bundle, in its own flags' terms. */
function restoreOptions(report: MethodOutput<'backups.verify'>): string[] {
  const lines = ['  Restorable:'];
  for (const part of report.parts) {
    if (part.kind === 'database') {
      const from = part.source ? ` (from ${part.source.database} on ${part.source.host})` : '';
      lines.push(`    --db ${part.name}=HOST:DATABASE${from}`);
    } else if (part.kind === 'config') {
      lines.push(`    --file ${part.host}:${part.path}`);
    }
  }
  if (report.secrets) {
    const conflicts = report.secrets.filter((item) => item.kind === 'conflict');
    const created = report.secrets.filter((item) => item.kind === 'create').length;
    lines.push(
      `    --secrets (${report.secrets.length} secrets: ${created} new to this vault, ${conflicts.length} with a different current value${conflicts.length > 0 ? `: ${conflicts.map((item) => item.ref).join(', ')}, choose with --keep-vault or --use-bundle` : ''})`,
    );
  }
  return lines.length > 1 ? lines : [];
}

interface RestoreFlags extends DecryptFlags {
  db?: string[];
  viaFor?: string[];
  file?: string[];
  secrets?: boolean;
  keepVault?: string[];
  useBundle?: string[];
  json?: boolean;
}

const CONFLICT_HINT =
  'Choose for each: --keep-vault REF keeps the value in the vault, --use-bundle REF takes the ' +
  "bundle's (the vault's value stays among its versions); nothing was restored";

async function restoreBackup(
  context: CliContext,
  file: string,
  flags: RestoreFlags,
): Promise<void> {
  const databases = databasesFrom(flags.db ?? [], flags.viaFor ?? []);
  const files = (flags.file ?? []).map(parseFileSpec);
  const choices: Record<string, 'keep-vault' | 'use-bundle'> = {};
  for (const ref of flags.keepVault ?? []) choices[ref] = 'keep-vault';
  for (const ref of flags.useBundle ?? []) {
    if (choices[ref]) {
      throw new CliFailure('INVALID_INPUT', `${ref}: --keep-vault and --use-bundle contradict`);
    }
    choices[ref] = 'use-bundle';
  }
  if (Object.keys(choices).length > 0 && !flags.secrets) {
    throw new CliFailure('INVALID_INPUT', '--keep-vault and --use-bundle go with --secrets');
  }
  if (databases.length === 0 && files.length === 0 && !flags.secrets) {
    throw new CliFailure(
      'INVALID_INPUT',
      'Nothing to restore: choose --db, --file or --secrets (rekey backup verify FILE checks a bundle)',
    );
  }
  const opener = await unlockAndOpen(context, flags);
  const path = resolve(file);
  const call = async (input: object) => {
    try {
      return await context.call('backups.restore', { file: path, ...opener, ...input });
    } catch (error) {
      if (error instanceof CliFailure && error.message.startsWith('Choose for each secret')) {
        throw new CliFailure(error.code, `${error.message}\n${CONFLICT_HINT}`);
      }
      throw error;
    }
  };
  // One call: the restore settles secret conflicts after verifying and before any write.
  const stopProgress = followProgress(context, false);
  const result = await call({ databases, files, secrets: flags.secrets === true, choices }).finally(
    stopProgress,
  );
  if (flags.json) return context.printJson(result);
  const lines = [`Restored from ${path}:`];
  for (const database of result.databases) lines.push(`  database ${database}`);
  for (const written of result.files) {
    lines.push(
      `  file ${written.path} on ${written.host}${written.backupPath ? ` (the replaced file is kept as ${written.backupPath})` : ' (new)'}`,
    );
  }
  if (flags.secrets) {
    lines.push(
      `  secrets applied: ${result.secretsApplied.length > 0 ? result.secretsApplied.join(', ') : 'none (the vault already had them)'}`,
    );
    const kept = result.secrets.filter(
      (item) => item.kind === 'conflict' && choices[item.ref] === 'keep-vault',
    );
    if (kept.length > 0)
      lines.push(`  kept the vault's value: ${kept.map((item) => item.ref).join(', ')}`);
  }
  context.print(lines.join('\n'));
}

function describeBackups(backups: MethodOutput<'backups.list'>): string {
  return table(
    ['CREATED', 'DEPLOYMENT', 'SIZE', 'ENCRYPTED TO', 'VERIFIED', 'FILE'],
    backups.map((backup) => [
      backup.createdAt,
      backup.deployment,
      humanSize(backup.size),
      [
        backup.passphrase ? 'passphrase' : '',
        backup.recipients.length > 0
          ? `${backup.recipients.length} key${backup.recipients.length === 1 ? '' : 's'}`
          : '',
      ]
        .filter(Boolean)
        .join(' + '),
      backup.verified ? `${backup.verified.ok ? 'ok' : 'FAILED'} ${backup.verified.at}` : 'never',
      backup.file,
    ]),
  );
}

export function registerBackupCommands(program: Command, io: CliIo): void {
  const backup = program
    .command('backup')
    .description('encrypted backup bundles: create, verify, restore, list')
    .addHelpText('after', BACKUP_HELP);

  backup
    .command('create <deployment>')
    .description(
      "bundle a deployment's databases, config files and secrets into one encrypted file, verified at once",
    )
    .requiredOption(
      '--to <dir>',
      'directory the bundle is written to (DEPLOYMENT-TIME.rekey.tar.gpg)',
    )
    .option('--passphrase-file <file>', 'read the bundle passphrase from this file')
    .option('--passphrase-stdin', 'read the bundle passphrase from stdin')
    .option(
      '--recipient <fingerprint>',
      'also (or only) encrypt to this OpenPGP key of the vault (repeatable)',
      collect,
    )
    .option(
      '--db <spec>',
      'a PostgreSQL database to dump: NAME=HOST:DATABASE[,...] (repeatable)',
      collect,
    )
    .option('--via-for <name=command>', 'reach database NAME through this command prefix', collect)
    .option('--file <host:path>', 'a config file to include (repeatable)', collect)
    .option('--no-secrets', "leave the deployment's secrets out")
    .option('--json', 'print the result as JSON (progress goes to stderr)')
    .addHelpText('after', BACKUP_HELP)
    .action(action(io, createBackup));

  addDecryptOptions(
    backup
      .command('verify <file>')
      .description('decrypt a bundle and check every checksum and its integrity; writes nothing'),
  )
    .option('--json', 'print the report as JSON')
    .addHelpText('after', BACKUP_HELP)
    .action(action(io, verifyBackup));

  addDecryptOptions(
    backup
      .command('restore <file>')
      .description('verify a bundle, then restore the databases, files and secrets chosen'),
  )
    .option('--db <spec>', 'restore dump NAME into HOST:DATABASE[,...] (repeatable)', collect)
    .option('--via-for <name=command>', 'reach database NAME through this command prefix', collect)
    .option(
      '--file <host:path>',
      'put this config file back where it came from (repeatable)',
      collect,
    )
    .option('--secrets', "merge the bundle's secrets into the vault")
    .option(
      '--keep-vault <ref>',
      "a secret whose value differs: keep the vault's (repeatable)",
      collect,
    )
    .option(
      '--use-bundle <ref>',
      "a secret whose value differs: take the bundle's (repeatable)",
      collect,
    )
    .option('--json', 'print the result as JSON')
    .addHelpText('after', BACKUP_HELP)
    .action(action(io, restoreBackup));

  backup
    .command('list')
    .description('bundles made with this vault, newest first, and their last verification')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { json?: boolean }) => {
        await context.unlock();
        const backups = await context.call('backups.list', {});
        if (flags.json) return context.printJson(backups);
        if (backups.length === 0)
          return context.print('No backups yet (rekey backup create DEPLOYMENT --to DIR).');
        context.print(describeBackups(backups));
      }),
    );
}
