import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { exited, hasExited, killWithTestProcess } from './processes';
import { freeLoopbackPort } from './sshd-server';
import { waitUntil } from './wait';

/**
 * A stand-in for SyncTV or lk-jwt-service (`children/token-service.mjs`, its own process):
 * it reads a signing secret from a config file when it starts, issues tokens signed with it
 * and accepts only those. A rotation test changes the file, restarts the service and sees
 * old tokens rejected and new ones accepted, as with the real services.
 *
 * `delivery` says how the secret reaches the service in the compose deployment it models:
 * - 'mounted-file' (default): the service reads a bind-mounted file at every start, so a
 *   restart picks up a changed file; `docker compose up -d` does not (compose does not look
 *   into mounted files, the container stays).
 * - 'environment': compose puts the value (from `.env`) into the container's environment
 *   when it creates the container, so a restart keeps the old value and only a recreate
 *   (`up -d` after the change) picks up the new one. The harness keeps the file's text as of
 *   the last create and hands it to the service on stdin at every start.
 */

export interface TokenServiceOptions {
  configFile: string;
  format: 'yaml' | 'dotenv' | 'raw';
  /** Dotted path for yaml (`jwt.secret`), variable name for dotenv (`LIVEKIT_SECRET`). */
  key?: string;
  /** A fixed port; a free one otherwise. Restarts keep it. */
  port?: number;
  delivery?: 'mounted-file' | 'environment';
}

export interface TokenService {
  readonly url: string;
  readonly port: number;
  /** The current process (a restart makes a new one). */
  readonly pid: number;
  readonly running: boolean;
  /** A token signed with the secret the running process loaded at its start. */
  issueToken(subject?: string): Promise<string>;
  /** HTTP status of `GET /check` with the token: 200 accepted, 401 rejected. */
  check(token: string): Promise<number>;
  /** Stops and starts the process on the same port; it reads its secret again. */
  restart(): Promise<void>;
  /** Like restart, and an environment-delivered secret is taken afresh from the file. */
  recreate(): Promise<void>;
  /** Whether the file differs from what compose put into the container's environment. */
  definitionChanged(): boolean;
  /** Starts a stopped service (same environment as before). */
  start(): Promise<void>;
  /** Stops the process (SIGTERM, SIGKILL after a grace time). Idempotent; start() may follow. */
  stop(): Promise<void>;
  /** What the processes wrote to stderr so far (never the secret). */
  log(): string;
}

const SCRIPT = fileURLToPath(new URL('./children/token-service.mjs', import.meta.url));
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;

export async function startTokenService(options: TokenServiceOptions): Promise<TokenService> {
  const port = options.port ?? (await freeLoopbackPort());
  const url = `http://127.0.0.1:${port}`;
  const delivery = options.delivery ?? 'mounted-file';
  let environmentSnapshot = readFileSync(options.configFile);
  let child: ChildProcess | undefined;
  let logText = '';

  const start = async () => {
    if (child && !hasExited(child)) return;
    const args = [SCRIPT, '--port', String(port), '--format', options.format];
    if (options.key) args.push('--key', options.key);
    args.push('--config', delivery === 'environment' ? '-' : options.configFile);
    const started = spawn(process.execPath, args, {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    child = started;
    started.stdin?.end(delivery === 'environment' ? environmentSnapshot : '');
    started.stderr?.on('data', (chunk: Buffer) => (logText += chunk.toString()));
    killWithTestProcess(started);
    try {
      await waitUntil(
        async () => {
          if (hasExited(started)) throw new Error(`token service exited: ${logText}`);
          return (await health(url)) === started.pid;
        },
        { timeoutMs: READY_TIMEOUT_MS, what: 'token service ready', detail: () => logText },
      );
    } catch (error) {
      await stopProcess(started);
      throw error;
    }
  };
  const stop = async () => {
    if (child) await stopProcess(child);
  };

  await start();
  return {
    url,
    port,
    get pid() {
      return child?.pid ?? -1;
    },
    get running() {
      return child !== undefined && !hasExited(child);
    },
    async issueToken(subject = 'rekey-user') {
      const response = await httpRequest(`${url}/token`, 'POST', {}, JSON.stringify({ subject }));
      if (response.status !== 200) throw new Error(`POST /token answered ${response.status}`);
      const token: unknown = JSON.parse(response.body).token;
      if (typeof token !== 'string') throw new Error('POST /token returned no token');
      return token;
    },
    async check(token) {
      const headers = { authorization: `Bearer ${token}` };
      return (await httpRequest(`${url}/check`, 'GET', headers)).status;
    },
    async restart() {
      await stop();
      await start();
    },
    async recreate() {
      environmentSnapshot = readFileSync(options.configFile);
      await stop();
      await start();
    },
    definitionChanged() {
      return (
        delivery === 'environment' && !readFileSync(options.configFile).equals(environmentSnapshot)
      );
    },
    start,
    stop,
    log: () => logText,
  };
}

/**
 * One token service for the test file, always stopped after its last test. Options may be
 * a function, for a config file that an earlier beforeAll writes.
 */
export function useTokenService(
  options: TokenServiceOptions | (() => TokenServiceOptions),
): () => TokenService {
  let service: TokenService | undefined;
  beforeAll(async () => {
    service = await startTokenService(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await service?.stop();
  });
  return () => {
    if (!service) throw new Error('useTokenService: not running (beforeAll failed?)');
    return service;
  };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  child.kill('SIGTERM');
  await exited(child);
  clearTimeout(killer);
}

/** The pid that answers /health, or undefined while nothing (healthy) listens. */
async function health(url: string): Promise<number | undefined> {
  try {
    const response = await httpRequest(`${url}/health`, 'GET');
    const pid: unknown = response.status === 200 ? JSON.parse(response.body).pid : undefined;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One request on its own connection (no keep-alive pool), so a request after a restart
 * never goes out on a socket of the process that was stopped.
 */
export function httpRequest(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string> = {},
  body = '',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers, agent: false, timeout: 5_000 }, (incoming) => {
      let text = '';
      incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }));
      incoming.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${url} timed out`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
