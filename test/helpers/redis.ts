import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { exited, hasExited, killWithTestProcess } from './processes';
import { freeLoopbackPort } from './sshd-server';
import { waitUntil } from './wait';

/**
 * A private redis-server on a random loopback port with its own configuration file: no
 * persistence, protected mode on, and the `default` user behind a password, as on a
 * self-hoster's server. The harness speaks RESP itself over a socket, so passwords (AUTH,
 * ACL SETUSER) never appear in any process's argv. `startRedis()` has no test-runner hooks
 * (benchmarks can use it); `useRedis()` wraps it for a test file.
 */

export interface RedisServer {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Temporary directory: configuration and working directory; removed by stop(). */
  readonly dir: string;
  /** The administrative user (`default`) and its password. */
  readonly adminUser: string;
  readonly adminPassword: string;
  /**
   * ACL SETUSER as the admin: the user is reset to exactly these passwords (any of them
   * logs in) and the given rules (all keys, channels and commands by default).
   */
  aclSetUser(user: string, passwords: readonly string[], rules?: readonly string[]): Promise<void>;
  /** A real AUTH on a fresh connection; false when the server answers WRONGPASS. */
  canAuth(user: string, password: string): Promise<boolean>;
  /** Any command as the admin; a Redis error reply is thrown. */
  command(args: readonly string[]): Promise<RespReply>;
  /** What the server logged so far. */
  log(): string;
  /** Ends the server (SIGTERM, no save) and removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

export type RespReply = string | number | null | RespError | RespReply[];

export class RespError {
  constructor(readonly message: string) {}
}

const HOST = '127.0.0.1';
const ADMIN_USER = 'default';
const READY_TIMEOUT_MS = 10_000;
const REPLY_TIMEOUT_MS = 5_000;

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rekey-redis-'));
  const adminPassword = randomBytes(18).toString('base64url');
  const configPath = join(dir, 'redis.conf');
  let logText = '';
  let child: ChildProcess | undefined;
  let port = 0;
  try {
    // The free port we picked may be taken before the server binds it; pick again then.
    for (let attempt = 1; !child; attempt++) {
      port = await freeLoopbackPort();
      writeFileSync(configPath, redisConfig(dir, port, adminPassword), { mode: 0o600 });
      logText = '';
      try {
        child = await launch(configPath, port, adminPassword, (text) => (logText += text));
      } catch (error) {
        if (attempt < 3 && /already in use/.test(String(error))) continue;
        throw error;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const server: ChildProcess = child;

  /** Runs one command as the admin; `secrets` are blanked from an error (Redis may quote them). */
  const asAdmin = async (args: readonly string[], secrets: readonly string[] = []) => {
    const [auth, reply] = await exchange(port, [['AUTH', ADMIN_USER, adminPassword], args]);
    if (auth instanceof RespError) throw new Error(`redis admin AUTH failed: ${auth.message}`);
    if (reply instanceof RespError) {
      const message = secrets.reduce(
        (text, secret) => text.replaceAll(secret, '***'),
        reply.message,
      );
      throw new Error(`redis ${args[0]} failed: ${message}`);
    }
    return reply ?? null;
  };
  let stopped: Promise<void> | undefined;

  return {
    host: HOST,
    port,
    pid: server.pid ?? -1,
    dir,
    adminUser: ADMIN_USER,
    adminPassword,
    async aclSetUser(user, passwords, rules = ['~*', '&*', '+@all']) {
      const secrets = passwords.map((password) => `>${password}`);
      await asAdmin(['ACL', 'SETUSER', user, 'reset', 'on', ...secrets, ...rules], passwords);
    },
    async canAuth(user, password) {
      const [reply] = await exchange(port, [['AUTH', user, password]]);
      if (reply === 'OK') return true;
      if (reply instanceof RespError && reply.message.startsWith('WRONGPASS')) return false;
      throw new Error(`unexpected reply to AUTH: ${JSON.stringify(reply)}`);
    },
    command: (args) => asAdmin(args),
    log: () => logText,
    stop() {
      stopped ??= (async () => {
        if (!hasExited(server)) server.kill('SIGTERM');
        await exited(server);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** One private redis-server for the test file, always stopped after its last test. */
export function useRedis(): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('useRedis: the server is not running (beforeAll failed?)');
    return server;
  };
}

function redisConfig(dir: string, port: number, adminPassword: string): string {
  const adminHash = createHash('sha256').update(adminPassword).digest('hex');
  return [
    '# Written by Rekey test/helpers/redis.ts.',
    `bind ${HOST}`,
    `port ${port}`,
    'protected-mode yes',
    'daemonize no',
    // Nothing survives the test file: no RDB snapshots, no append-only file.
    'save ""',
    'appendonly no',
    `dir ${dir}`,
    // The log goes to stdout, which the harness keeps.
    'logfile ""',
    // The admin password only as its SHA-256, as Redis's ACL files allow.
    `user ${ADMIN_USER} on #${adminHash} ~* &* +@all`,
    '',
  ].join('\n');
}

/** Starts redis-server in the foreground (our child) and resolves once the admin gets PONG. */
async function launch(
  configPath: string,
  port: number,
  adminPassword: string,
  onLog: (text: string) => void,
): Promise<ChildProcess> {
  const child = spawn('redis-server', [configPath], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    onLog(chunk.toString());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  killWithTestProcess(child);
  const answersPong = async () => {
    if (hasExited(child)) throw new Error(`redis-server exited before it was ready: ${output}`);
    try {
      const replies = await exchange(port, [['AUTH', ADMIN_USER, adminPassword], ['PING']]);
      return replies[1] === 'PONG';
    } catch {
      return false;
    }
  };
  try {
    await waitUntil(answersPong, {
      timeoutMs: READY_TIMEOUT_MS,
      what: 'redis-server ready',
      detail: () => output,
    });
  } catch (error) {
    if (!hasExited(child)) child.kill('SIGKILL');
    await exited(child);
    throw error;
  }
  return child;
}

/**
 * Sends the commands on one fresh connection (pipelined) and resolves with one reply each.
 * A connection that fails or closes early rejects; error replies come back as RespError.
 */
export function exchange(port: number, commands: readonly (readonly string[])[]) {
  return new Promise<RespReply[]>((resolve, reject) => {
    const socket = createConnection({ host: HOST, port });
    let buffer = Buffer.alloc(0);
    const replies: RespReply[] = [];
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(replies);
    };
    const timer = setTimeout(
      () => finish(new Error('redis did not reply in time')),
      REPLY_TIMEOUT_MS,
    );
    socket.on('connect', () => socket.write(Buffer.concat(commands.map(encodeCommand))));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        for (let parsed = parseReply(buffer, 0); parsed; parsed = parseReply(buffer, 0)) {
          replies.push(parsed.reply);
          buffer = buffer.subarray(parsed.end);
          if (replies.length === commands.length) return finish();
        }
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error('redis closed the connection before replying')));
  });
}

function encodeCommand(args: readonly string[]): Buffer {
  const parts = args.map((arg) => {
    const bytes = Buffer.from(arg);
    return Buffer.concat([Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n')]);
  });
  return Buffer.concat([Buffer.from(`*${args.length}\r\n`), ...parts]);
}

/** Parses one RESP2 reply at `start`; undefined while the buffer holds only part of it. */
function parseReply(buffer: Buffer, start: number): { reply: RespReply; end: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[start] ?? 0);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { reply: line, end: next };
    case '-':
      return { reply: new RespError(line), end: next };
    case ':':
      return { reply: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { reply: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { reply: buffer.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { reply: null, end: next };
      const items: RespReply[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, end);
        if (!item) return undefined;
        items.push(item.reply);
        end = item.end;
      }
      return { reply: items, end };
    }
    default:
      throw new Error(`not a RESP reply: ${JSON.stringify(line)}`);
  }
}
