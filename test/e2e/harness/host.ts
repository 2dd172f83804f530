import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Runs the browser host exactly as a user does (`rekey --vault V ui --no-open`), as a separate
 * process of the built CLI bundle, so the E2E tests cover the real static server, the CSP
 * headers and the token-for-cookie sign-in.
 */

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI_BUNDLE = fileURLToPath(new URL('../../../out/cli/rekey.js', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const KILL_AFTER_MS = 5_000;
// What src/main/cli/commands/ui.ts prints once the server listens. The token travels in the
// fragment; the page itself exchanges it (once) for an HttpOnly session cookie.
const READY_LINE = /Rekey is open at (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/;

export interface BrowserHost {
  /** http://127.0.0.1:PORT/#token=...; the token is single-use: open it in one page only. */
  url: string;
  /** http://127.0.0.1:PORT, for permissions and same-origin checks. */
  origin: string;
  /** What the host wrote to stderr so far (warnings, errors), for failure messages. */
  stderr(): string;
  /** SIGTERM (the host locks the vault and closes), SIGKILL if still alive after 5 s. */
  stop(): Promise<void>;
}

export interface BrowserHostOptions {
  vaultPath: string;
  preferencesPath: string;
  /** Added to the minimal environment, e.g. a private keyring's DBUS_SESSION_BUS_ADDRESS. */
  env?: NodeJS.ProcessEnv;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  const done = exited(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  await done;
  clearTimeout(timer);
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const child = spawn(
    process.execPath,
    [CLI_BUNDLE, '--vault', options.vaultPath, 'ui', '--no-open'],
    {
      cwd: REPO_ROOT,
      // A minimal environment: no REKEY_VAULT/REKEY_PASSWORD* of the developer leaks in.
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        REKEY_PREFERENCES: options.preferencesPath,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Keep reading stdout for the host's whole life so it never blocks on a full pipe.
  const lines = createInterface({ input: child.stdout });

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`rekey ui printed no address within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      lines.on('line', (line) => {
        const match = READY_LINE.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      // 'close', not 'exit': by then stderr has been read to the end for the message.
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`rekey ui exited (${signal ?? code}) before it was ready`));
      });
    });
    return {
      url,
      origin: new URL(url).origin,
      stderr: () => stderr,
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}; stderr: ${stderr.trim() || '(empty)'}`, {
      cause: error,
    });
  }
}
