import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { exited, hasExited, killWithTestProcess, run } from './processes';
import { freeLoopbackPort } from './sshd-server';
import { waitUntil } from './wait';

/**
 * A private PostgreSQL cluster (Debian's binaries, `initdb` in a temporary directory) on a
 * random loopback port, so rotation tests change real role passwords and log in for real.
 * TCP logins use scram-sha-256 passwords; the superuser also reaches the cluster over a unix
 * socket in the private directory, where no password is needed (only root and the cluster's
 * OS user can enter it). `startPostgres()` has no test-runner hooks (benchmarks can use it);
 * `usePostgres()` wraps it for a test file.
 */

export interface PostgresOptions {
  /** A database to create and use by default; `postgres` (which always exists) otherwise. */
  database?: string;
}

export interface PostgresCluster {
  readonly host: string;
  readonly port: number;
  /** The bootstrap superuser. */
  readonly superuser: string;
  /** Its password, for TCP logins; the harness's own queries go over the socket. */
  readonly superuserPassword: string;
  readonly database: string;
  /** Temporary directory: the data directory and the unix socket; removed by stop(). */
  readonly dir: string;
  /** The postmaster, parent of every backend. */
  readonly pid: number;
  /**
   * `postgresql://user[:password]@127.0.0.1:port/database`. Without a password by default:
   * give it through PGPASSWORD, not in a string that may end up in argv or a log.
   */
  connectionString(options?: { user?: string; password?: string; database?: string }): string;
  /** CREATE ROLE ... LOGIN PASSWORD ..., sent as the superuser over stdin. */
  createRole(name: string, password: string): Promise<void>;
  /** A real TCP login with `psql`, the password in its environment; false when refused. */
  canLogin(role: string, password: string, database?: string): Promise<boolean>;
  /**
   * Runs SQL (from stdin) as the superuser, in `database` (the cluster's default otherwise);
   * every row of every statement, as text fields.
   */
  query(sql: string, database?: string): Promise<string[][]>;
  createDatabase(name: string): Promise<void>;
  /** What the server logged so far. */
  log(): string;
  /** Immediate shutdown (`pg_ctl stop -m immediate`), then removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';
/** PostgreSQL refuses to run as root; Debian's package creates this user for its server. */
const OS_USER = 'postgres';
const READY_TIMEOUT_MS = 20_000;
const FIELD_SEPARATOR = '\x1f';
const RECORD_SEPARATOR = '\x1e';

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const asClusterUser = clusterUserPrefix();
  const dir = mkdtempSync(join(tmpdir(), 'rekey-pg-'));
  const dataDir = join(dir, 'data');
  const superuserPassword = randomBytes(18).toString('base64url');
  let child: ChildProcess | undefined;
  let logText = '';
  try {
    giveToClusterUser(dir);
    await initCluster(bin, asClusterUser, dir, dataDir, superuserPassword);
    let port = 0;
    // The free port we picked may be taken before the server binds it; pick again then.
    for (let attempt = 1; !child; attempt++) {
      port = await freeLoopbackPort();
      logText = '';
      try {
        child = await launch(bin, asClusterUser, dataDir, port, (text) => (logText += text));
      } catch (error) {
        if (attempt < 3 && /already in use/.test(String(error))) continue;
        throw error;
      }
    }
    const cluster = clusterHandle({
      bin,
      asClusterUser,
      dir,
      dataDir,
      port,
      superuserPassword,
      database: options.database ?? 'postgres',
      child,
      log: () => logText,
    });
    if (options.database && options.database !== 'postgres') {
      await cluster.createDatabase(options.database);
    }
    return cluster;
  } catch (error) {
    if (child && !hasExited(child)) {
      child.kill('SIGQUIT');
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** One private cluster for the test file, always stopped after its last test. */
export function usePostgres(options: PostgresOptions = {}): () => PostgresCluster {
  let cluster: PostgresCluster | undefined;
  beforeAll(async () => {
    cluster = await startPostgres(options);
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error('usePostgres: the cluster is not running (beforeAll failed?)');
    return cluster;
  };
}

/** `"name"` with embedded quotes doubled, for SQL identifiers. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'value'` with embedded quotes doubled (standard_conforming_strings is on). */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('SQL literals cannot hold NUL');
  return `'${value.replaceAll("'", "''")}'`;
}

interface ClusterParts {
  bin: string;
  asClusterUser: string[];
  dir: string;
  dataDir: string;
  port: number;
  superuserPassword: string;
  database: string;
  child: ChildProcess;
  log: () => string;
}

function clusterHandle(parts: ClusterParts): PostgresCluster {
  const { bin, asClusterUser, dir, dataDir, port, child } = parts;
  const psql = join(bin, 'psql');
  let stopped: Promise<void> | undefined;

  const query = async (sql: string, database = parts.database): Promise<string[][]> => {
    // -X: no ~/.psqlrc; -q -t -A: bare rows; the SQL (it may carry a password) on stdin.
    // Terse errors: the default ones quote the failing line of SQL, password and all.
    const args = ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=terse'];
    args.push('-F', FIELD_SEPARATOR, '-R', RECORD_SEPARATOR);
    args.push('-h', dir, '-p', String(port), '-U', SUPERUSER, '-d', database);
    const result = await run(psql, args, { input: sql, env: toolEnv() });
    if (result.code !== 0) throw new Error(`psql failed (${result.code}): ${result.stderr}`);
    // Records are separated by RECORD_SEPARATOR and each statement's rows end with a newline
    // (so values holding newlines are not supported).
    return result.stdout
      .split(new RegExp(`[${RECORD_SEPARATOR}\n]`))
      .filter((record) => record !== '')
      .map((record) => record.split(FIELD_SEPARATOR));
  };

  return {
    host: HOST,
    port,
    superuser: SUPERUSER,
    superuserPassword: parts.superuserPassword,
    database: parts.database,
    dir,
    pid: child.pid ?? -1,
    connectionString(options = {}) {
      const user = encodeURIComponent(options.user ?? SUPERUSER);
      const password = options.password ? `:${encodeURIComponent(options.password)}` : '';
      const database = encodeURIComponent(options.database ?? parts.database);
      return `postgresql://${user}${password}@${HOST}:${port}/${database}`;
    },
    async createRole(name, password) {
      await query(`CREATE ROLE ${quoteIdent(name)} LOGIN PASSWORD ${quoteLiteral(password)}`);
    },
    async canLogin(role, password, database = parts.database) {
      const args = ['-X', '-w', '-q', '-t', '-A', '-c', 'SELECT 1'];
      args.push('-h', HOST, '-p', String(port), '-U', role, '-d', database);
      const env = { ...toolEnv(), PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' };
      const result = await run(psql, args, { env });
      if (result.code === 0) return true;
      // A missing role fails the same way as a wrong password (the server does not tell).
      if (/password authentication failed|not permitted to log in/.test(result.stderr)) {
        return false;
      }
      throw new Error(`psql could not attempt the login (${result.code}): ${result.stderr}`);
    },
    query: (sql, database) => query(sql, database),
    async createDatabase(name) {
      await query(`CREATE DATABASE ${quoteIdent(name)}`, 'postgres');
    },
    log: parts.log,
    stop() {
      stopped ??= (async () => {
        if (!hasExited(child)) {
          const pgCtl = [...asClusterUser, join(bin, 'pg_ctl'), 'stop', '-D', dataDir];
          const [program = '', ...args] = [...pgCtl, '-m', 'immediate', '-w', '-t', '10'];
          const result = await run(program, args, { env: toolEnv(), cwd: dir });
          if (result.code !== 0 && !hasExited(child)) child.kill('SIGKILL');
          await exited(child);
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

async function initCluster(
  bin: string,
  asClusterUser: string[],
  dir: string,
  dataDir: string,
  superuserPassword: string,
): Promise<void> {
  const passwordFile = join(dir, 'superuser-password');
  writeFileSync(passwordFile, `${superuserPassword}\n`, { mode: 0o600 });
  giveToClusterUser(passwordFile);
  const [program = '', ...args] = [
    ...asClusterUser,
    join(bin, 'initdb'),
    ...['-D', dataDir, '-U', SUPERUSER, '--pwfile', passwordFile],
    ...['-E', 'UTF8', '--locale=C', '--auth-local=trust', '--auth-host=scram-sha-256'],
    // No fsync of the new files: a test cluster does not have to survive a power cut.
    '--no-sync',
  ];
  const result = await run(program, args, { env: toolEnv(), cwd: dir, timeoutMs: 60_000 });
  rmSync(passwordFile, { force: true });
  if (result.code !== 0) throw new Error(`initdb failed (${result.code}): ${result.stderr}`);

  writeFileSync(
    join(dataDir, 'pg_hba.conf'),
    [
      '# Written by Rekey test/helpers/postgres.ts.',
      '# The socket lives in a directory only root and the cluster user can enter.',
      'local all all trust',
      'host all all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  );
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    [
      '',
      '# Rekey test harness',
      `listen_addresses = '${HOST}'`,
      `unix_socket_directories = '${dir}'`,
      "password_encryption = 'scram-sha-256'",
      // Speed over durability: the cluster lives for one test file.
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      // A failing statement is logged with its text by default, and ALTER ROLE's text holds
      // the new password: keep statements out of the log.
      'log_min_error_statement = panic',
      "log_statement = 'none'",
      'max_connections = 40',
      'shared_buffers = 16MB',
      '',
    ].join('\n'),
  );
}

/** Starts the postmaster in the foreground (our child) and resolves once it accepts logins. */
async function launch(
  bin: string,
  asClusterUser: string[],
  dataDir: string,
  port: number,
  onLog: (text: string) => void,
): Promise<ChildProcess> {
  const [program = '', ...args] = [
    ...asClusterUser,
    join(bin, 'postgres'),
    ...['-D', dataDir, '-p', String(port)],
  ];
  const child = spawn(program, args, {
    env: toolEnv(),
    cwd: dataDir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onLog(chunk.toString());
  });
  // SIGQUIT is PostgreSQL's immediate shutdown: the postmaster ends its backends too.
  killWithTestProcess(child, 'SIGQUIT');
  const isReady = join(bin, 'pg_isready');
  try {
    await waitUntil(
      async () => {
        if (hasExited(child)) throw new Error(`postgres exited before it was ready: ${stderr}`);
        const probe = await run(isReady, ['-q', '-h', HOST, '-p', String(port)], {
          env: toolEnv(),
        });
        return probe.code === 0;
      },
      { timeoutMs: READY_TIMEOUT_MS, what: 'postgres ready', detail: () => stderr },
    );
  } catch (error) {
    if (!hasExited(child)) child.kill('SIGQUIT');
    await exited(child);
    throw error;
  }
  return child;
}

/** Debian keeps each major version's programs in /usr/lib/postgresql/<major>/bin. */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((entry) => /^\d+$/.test(entry))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const bin = majors.map((major) => join(root, major, 'bin')).find(hasInitdb);
  if (!bin) {
    throw new Error('PostgreSQL server programs not found: run scripts/install-test-deps.sh');
  }
  return bin;
}

function hasInitdb(bin: string): boolean {
  return existsSync(join(bin, 'initdb'));
}

/**
 * The command prefix that runs the server programs as the cluster's OS user: PostgreSQL
 * refuses root. setpriv execs in place, so the child we spawn is the server itself and
 * our signals reach it directly.
 */
function clusterUserPrefix(): string[] {
  if (process.getuid?.() !== 0) return [];
  idOf('-u'); // fails early, with a hint, when the user is missing
  return ['setpriv', `--reuid=${OS_USER}`, `--regid=${OS_USER}`, '--init-groups', '--'];
}

function giveToClusterUser(path: string): void {
  if (process.getuid?.() !== 0) return;
  chownSync(path, idOf('-u'), idOf('-g'));
}

function idOf(flag: '-u' | '-g'): number {
  try {
    return Number(execFileSync('id', [flag, OS_USER], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error(
      `no "${OS_USER}" OS user to run PostgreSQL as: run scripts/install-test-deps.sh`,
    );
  }
}

/**
 * A small, known environment for the server and its tools: nothing of the test process's
 * own (which may hold values a test put there) reaches them.
 */
function toolEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', PGSSLMODE: 'disable' };
}
