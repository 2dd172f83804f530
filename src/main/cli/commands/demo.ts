import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { DemoReport } from '../../../shared/api';
import { DEMO_FILES } from '../../demo/definition';
import { checkDemoFolder } from '../../demo/files';
import { demoService } from '../../demo/service';
import { action } from '../command';
import { type CliContext, CliFailure, type CliIo } from '../context';
import { readNewPassword } from '../password';
import { kdfChoice } from './vault';

/**
 * `rekey demo`: the "try it without a server" path. Creates a demo folder (config files in
 * SyncTV's and LiveKit's shapes, and a small local service that reads them), a vault that
 * knows the secrets and rotates them by the demo playbook, and starts the service; then says
 * what to try. `rekey demo stop` stops the service again.
 */

interface DemoFlags {
  dir?: string;
  port?: string;
  json?: boolean;
  kdfMs?: string;
  kdfMemory?: string;
  kdfIterations?: string;
  kdfParallelism?: string;
}

const DEMO_HELP = `
Forms:
  rekey demo [--dir DIR] [--port N]   creates DIR (default ~/rekey-demo; it must be new or
      empty) with synctv/config.yaml, livekit/livekit.yaml, livekit/.env, the demo service
      (demo-service.mjs, started on 127.0.0.1:N, a free port by default) and the vault
      DIR/demo.rekey (or --vault PATH), whose password is asked twice (or comes from the
      usual sources). Nothing outside DIR (and the --vault file) is touched.
  rekey demo stop [--dir DIR]          stops the demo service (node DIR/demo-service.mjs stop)`;

function defaultDir(): string {
  return join(homedir(), 'rekey-demo');
}

/** A word as a POSIX shell reads it back: bare when that is safe, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .usage('[options] | stop [--dir DIR]')
    .description('try Rekey without a server: a demo vault, config files and a local service')
    .argument('[stop]', 'stop the demo service instead')
    .option('--dir <dir>', 'the demo folder, new or empty (default ~/rekey-demo)')
    .option('--port <port>', 'port of the demo service on 127.0.0.1 (default: a free one)')
    .option('--json', 'print what was made as JSON')
    .option('--kdf-ms <ms>', 'calibrate Argon2id to take about this long here (default 500)')
    .option('--kdf-memory <KiB>', 'fixed Argon2id memory in KiB (with --kdf-iterations)')
    .option('--kdf-iterations <n>', 'fixed Argon2id iterations')
    .option('--kdf-parallelism <n>', 'fixed Argon2id lanes (default 2)')
    .addHelpText('after', DEMO_HELP)
    .action(
      action(io, async (context, word: string | undefined, flags: DemoFlags) => {
        const dir = resolve(flags.dir ?? defaultDir());
        if (word === undefined) return create(context, dir, flags);
        if (word !== 'stop') {
          throw new CliFailure(
            'INVALID_INPUT',
            `Unknown word "${word}"; rekey demo stop stops the service`,
          );
        }
        const stray = (
          ['port', 'json', 'kdfMs', 'kdfMemory', 'kdfIterations', 'kdfParallelism'] as const
        ).filter((flag) => flags[flag] !== undefined);
        if (stray.length > 0)
          throw new CliFailure('INVALID_INPUT', 'rekey demo stop takes --dir only');
        return stop(context, dir);
      }),
    );
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CliFailure('INVALID_INPUT', `--port takes a port number (1-65535), got "${text}"`);
  }
  return port;
}

async function create(context: CliContext, dir: string, flags: DemoFlags): Promise<void> {
  const port = parsePort(flags.port);
  const kdf = kdfChoice(flags);
  const vaultPath = context.globals.vault ? resolve(context.globals.vault) : undefined;
  // A folder that cannot hold the demo is refused before anyone types a password.
  await checkDemoFolder(dir);
  const password = await readNewPassword({
    file: context.globals.passwordFile,
    env: context.io.env,
    envPrefix: 'REKEY_PASSWORD',
  });
  const report = await context.call('demo.create', {
    dir,
    password,
    ...(port !== undefined ? { port } : {}),
    ...(vaultPath ? { vaultPath } : {}),
    ...(kdf ? { kdf } : {}),
  });
  if (flags.json) return context.printJson(report);
  for (const line of describe(report)) context.print(line);
}

function describe(report: DemoReport): string[] {
  const rekey = `rekey --vault ${shellWord(report.vault.path)}`;
  const jwt = `${report.deployment}/jwt.secret`;
  const tries: [string, string][] = [
    [`${rekey} rotate ${jwt} --dry-run`, 'the plan, and the diff with placeholders'],
    [`${rekey} rotate ${jwt}`, 'write, restart the service, verify'],
    [`${rekey} rotate list`, 'the runs'],
    [`${rekey} history`, 'what was done, hash-chained'],
    [`${rekey} ui`, 'the same in your browser'],
  ];
  const width = Math.max(...tries.map(([command]) => command.length));
  return [
    `Demo created in ${report.dir}:`,
    `  vault     ${report.vault.path} (with the password you chose)`,
    `  files     ${report.files.join('\n            ')}`,
    `  service   ${report.service.url} (pid ${report.service.pid ?? '?'}), signs tokens with jwt.secret from synctv/config.yaml, read at start`,
    `  secrets   ${report.secrets.join(', ')}`,
    `  playbook  ${report.playbook} (kept in the vault), for deployment ${report.deployment} on host local`,
    '',
    'Try a rotation (nothing outside the demo folder changes):',
    ...tries.map(([command, what]) => `  ${command.padEnd(width)}   # ${what}`),
    '',
    `Stop the service: node ${shellWord(report.service.script)} stop   (or: rekey demo stop --dir ${shellWord(report.dir)})`,
  ];
}

async function stop(context: CliContext, dir: string): Promise<void> {
  if (!existsSync(join(dir, DEMO_FILES.script))) {
    throw new CliFailure(
      'NOT_FOUND',
      `No demo in ${dir} (${DEMO_FILES.script} is missing); give its folder with --dir`,
    );
  }
  const result = await demoService(dir, 'stop');
  if (result.code !== 0) {
    throw new CliFailure(
      'REMOTE_FAILED',
      result.stderr.trim() || `the demo service did not stop (exit ${result.code ?? '?'})`,
    );
  }
  context.print(result.stdout.trim());
}
