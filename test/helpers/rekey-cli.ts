import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAST_KDF, PASSWORD } from './vault';

export const CLI_BUNDLE = fileURLToPath(new URL('../../out/cli/rekey.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs the built `rekey` CLI as a separate process, the way users and cron do. */
export function runRekey(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], {
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rekey ${args.join(' ')} did not finish in time; stderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** A vault directory with a password file, and `rekey` bound to both. */
export interface CliVault {
  dir: string;
  vaultPath: string;
  passwordFile: string;
  rekey(args: readonly string[], options?: CliOptions): Promise<CliRun>;
}

export const FAST_KDF_FLAGS = [
  '--kdf-memory',
  String(FAST_KDF.memoryKiB),
  '--kdf-iterations',
  String(FAST_KDF.iterations),
  '--kdf-parallelism',
  String(FAST_KDF.parallelism),
];

export function cliVault(dir: string): CliVault {
  const vaultPath = join(dir, 'vault.rekey');
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  return {
    dir,
    vaultPath,
    passwordFile,
    rekey: (args, options) =>
      runRekey(['--vault', vaultPath, '--password-file', passwordFile, ...args], options),
  };
}

export async function initCliVault(dir: string): Promise<CliVault> {
  const vault = cliVault(dir);
  const run = await vault.rekey(['init', ...FAST_KDF_FLAGS]);
  if (run.code !== 0) throw new Error(`rekey init failed: ${run.stderr}`);
  return vault;
}
