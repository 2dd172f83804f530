import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { RekeyError } from '../../../shared/errors';
import { createApp } from '../../app';
import { startWebHost } from '../../host/web';
import { defaultPreferencesPath, defaultVaultPath } from '../../vault/paths';
import type { CliIo, GlobalOptions } from '../context';
import { CliFailure } from '../context';

declare const REKEY_VERSION: string;

/** The built renderer sits beside the CLI bundle: out/cli/rekey.js -> out/renderer. */
function rendererDir(): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
  if (!existsSync(join(dir, 'index.html'))) {
    throw new RekeyError(
      'INVALID_INPUT',
      `The UI is not built (${dir}); run \`npm run build\` first`,
    );
  }
  return dir;
}

/** Opens the default browser where there is one; the printed URL works either way. */
function openBrowser(url: string): void {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'])
    return;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

export function registerUiCommand(program: Command, io: CliIo): void {
  program
    .command('ui')
    .description('serve the Rekey window in your browser, on 127.0.0.1 only')
    .option('--port <port>', 'port to listen on (default: a free one)')
    .option('--no-open', 'do not open a browser; just print the address')
    .action(async (flags: { port?: string; open: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      try {
        const app = createApp(
          {
            vaultPath: globals.vault ?? io.env['REKEY_VAULT'] ?? defaultVaultPath(io.env),
            source: 'browser',
            version: typeof REKEY_VERSION === 'string' ? REKEY_VERSION : 'dev',
            command: 'rekey ui',
            preferencesPath: io.env['REKEY_PREFERENCES'] ?? defaultPreferencesPath(io.env),
            idleLock: true,
            onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
          },
          Boolean(globals.vault ?? io.env['REKEY_VAULT']),
        );
        await app.start();
        const host = await startWebHost({
          app,
          rendererDir: rendererDir(),
          port: flags.port ? Number(flags.port) : 0,
        });
        io.stdout.write(
          `Rekey is open at ${host.url}\n(only this machine can reach it; Ctrl+C stops it)\n`,
        );
        if (flags.open) openBrowser(host.url);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        app.session.lock(null);
        await host.close();
      } catch (error) {
        if (error instanceof RekeyError) throw new CliFailure(error.code, error.message);
        throw error;
      }
    });
}
