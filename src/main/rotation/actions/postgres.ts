import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { RekeyError } from '../../../shared/errors';
import type { Connector, ExecResult } from '../../connectors/connector';

/**
 * Changing and checking a PostgreSQL role's password through `psql` on a connector, so it
 * works the same on this machine and over SSH. Passwords travel only in stdin (as a SCRAM
 * verifier) or in PGPASSWORD, never in argv.
 */

/** Where psql connects; unset fields fall back to psql's own defaults (PG* variables, socket). */
export interface PgConnection {
  host?: string;
  port?: string;
  database?: string;
  user?: string;
}

export interface PgAccess {
  connection: PgConnection;
  /**
   * A command that runs psql somewhere else, e.g. `docker compose exec -T db`. Connection
   * settings then go as psql options, because environment variables do not cross into the
   * container. canLogin still passes the password only as PGPASSWORD in the environment: the
   * wrapper must forward it (for docker, `exec -e PGPASSWORD ...` forwards the caller's value).
   */
  via?: readonly string[];
  /** Removes known secret values from text (psql's stderr) before it goes into an error. */
  redact: (text: string) => string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const SCRAM_ITERATIONS = 4096;
const SALT_BYTES = 16;
/** psql's exit status when it could not connect (wrong password, server down, ...). */
const PSQL_CONNECTION_FAILED = 2;
/** What the server and libpq say when the password, not the connection, was the problem. */
const LOGIN_REFUSED = /password authentication failed|not permitted to log in|no password supplied/;

/**
 * ALTER ROLE <role> WITH PASSWORD <SCRAM-SHA-256 verifier>, the statement on psql's stdin.
 * Sending the verifier instead of the password keeps the clear password out of the server's
 * logs (a failing statement is logged with its text by default) and off the wire. psql
 * connects as `access.connection.user`, authenticated however the server lets it (socket peer
 * authentication, .pgpass, ...). Check afterwards with canLogin over TCP.
 */
export async function setRolePassword(
  connector: Connector,
  access: PgAccess,
  role: string,
  password: string,
): Promise<void> {
  checkRole(role);
  checkPassword(password);
  const verifier = scramSha256Verifier(password);
  const script = [
    // We write UTF-8 whatever the locale of the target says.
    '\\encoding UTF8',
    // Before version 10 the server would store the verifier text itself as the password.
    "DO $$ BEGIN IF current_setting('server_version_num')::int < 100000 THEN RAISE EXCEPTION " +
      "'PostgreSQL 10 or newer is needed to store a SCRAM-SHA-256 password'; END IF; END $$;",
    `ALTER ROLE ${quoteIdent(role)} WITH PASSWORD ${quoteLiteral(verifier)};`,
    '',
  ].join('\n');
  const result = await runPsql(connector, access, access.connection, { stdin: script });
  if (result.code === 0) return;
  const stderr = access.redact(result.stderr.replaceAll(verifier, '[verifier]'));
  throw psqlFailure(connector, result, `Could not set the password of role ${role}`, stderr);
}

/**
 * Logs in as `role` with `password` (PGPASSWORD) and runs SELECT 1. False when the server
 * refuses the login; a server that cannot be reached, a missing database or any other
 * failure throws REMOTE_FAILED. Point `access.connection` at a place where the server asks
 * for a password (TCP, not a socket with peer or trust authentication), or this proves nothing.
 */
export async function canLogin(
  connector: Connector,
  access: PgAccess,
  role: string,
  password: string,
): Promise<boolean> {
  checkRole(role);
  if (password.includes('\0')) throw new RekeyError('INVALID_INPUT', 'Password contains NUL.');
  const connection = { ...access.connection, user: role };
  const result = await runPsql(connector, access, connection, {
    stdin: 'SELECT 1;\n',
    env: { PGPASSWORD: password },
  });
  if (result.code === 0) return true;
  if (result.code === PSQL_CONNECTION_FAILED && LOGIN_REFUSED.test(result.stderr)) return false;
  const stderr = access.redact(result.stderr.replaceAll(password, '[password]'));
  throw psqlFailure(connector, result, `Could not try a login as role ${role}`, stderr);
}

/**
 * The server-side secret PostgreSQL stores for a SCRAM-SHA-256 password (RFC 5802, format of
 * RFC 5803): `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, all base64.
 */
export function scramSha256Verifier(password: string, salt = randomBytes(SALT_BYTES)): string {
  const salted = pbkdf2Sync(saslPrep(password), salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const b64 = (bytes: Buffer) => bytes.toString('base64');
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

type CodeRange = readonly [number, number];

/** C.1.2 of RFC 3454: non-ASCII spaces, which SASLprep maps to U+0020. */
const NON_ASCII_SPACE: readonly CodeRange[] = [
  [0x00a0, 0x00a0],
  [0x1680, 0x1680],
  [0x2000, 0x200b],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];
/** B.1 of RFC 3454: characters SASLprep removes (soft hyphen, joiners, selectors...). */
const MAPPED_TO_NOTHING: readonly CodeRange[] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x1806, 0x1806],
  [0x180b, 0x180d],
  [0x200b, 0x200d],
  [0x2060, 0x2060],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
];
/** Prohibited by SASLprep beyond the general categories PROHIBITED_CATEGORY covers. */
const PROHIBITED_EXTRA: readonly CodeRange[] = [
  [0x0340, 0x0341],
  [0x2ff0, 0x2ffb],
  [0xfff9, 0xfffd],
];
/** Close to SASLprep's prohibited tables: controls, format, private use, unassigned. */
const PROHIBITED_CATEGORY = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}]/u;

/**
 * PostgreSQL's SASLprep (src/common/saslprep.c), closely enough: an ASCII password is used
 * as it is, exactly as the server does. Otherwise map spaces, drop the "mapped to nothing"
 * characters and NFKC-normalize; where SASLprep would refuse the result (prohibited
 * characters), the server uses the raw password, and so do we. The bidirectional-text rule
 * is not checked: a divergence there only makes the following canLogin fail, which the
 * rotation treats as a failed step, never as a silent lockout.
 */
function saslPrep(password: string): string {
  const codes = [...password].map((char) => char.codePointAt(0) ?? 0);
  if (codes.every((code) => code < 0x80)) return password;
  const mapped = String.fromCodePoint(
    ...codes
      .map((code) => (inRanges(code, NON_ASCII_SPACE) ? 0x20 : code))
      .filter((code) => !inRanges(code, MAPPED_TO_NOTHING)),
  ).normalize('NFKC');
  const prohibited =
    PROHIBITED_CATEGORY.test(mapped) ||
    [...mapped].some((char) => inRanges(char.codePointAt(0) ?? 0, PROHIBITED_EXTRA));
  return mapped === '' || prohibited ? password : mapped;
}

function inRanges(code: number, ranges: readonly CodeRange[]): boolean {
  return ranges.some(([first, last]) => code >= first && code <= last);
}

interface PsqlInput {
  stdin: string;
  env?: Record<string, string>;
}

/** psql without ~/.psqlrc, quiet, never prompting, stopping at the first error. */
async function runPsql(
  connector: Connector,
  access: PgAccess,
  connection: PgConnection,
  input: PsqlInput,
): Promise<ExecResult> {
  const timeoutMs = access.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Terse errors: the default ones quote the failing line of the script.
  const argv = [...(access.via ?? []), 'psql', '-X', '-q', '-w', '-t', '-A'];
  argv.push('-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=terse');
  const env: Record<string, string> = { ...input.env };
  const settings: [keyof PgConnection, string, string][] = [
    ['host', '-h', 'PGHOST'],
    ['port', '-p', 'PGPORT'],
    ['database', '-d', 'PGDATABASE'],
    ['user', '-U', 'PGUSER'],
  ];
  for (const [field, option, variable] of settings) {
    const value = connection[field];
    if (value === undefined) continue;
    if (access.via) argv.push(option, value);
    else env[variable] = value;
  }
  if (!access.via) env['PGCONNECT_TIMEOUT'] = String(Math.max(2, Math.ceil(timeoutMs / 1000)));
  return connector.exec({ argv, stdin: input.stdin, env, timeoutMs });
}

function psqlFailure(
  connector: Connector,
  result: ExecResult,
  what: string,
  redactedStderr: string,
): RekeyError {
  if (result.code === 127) {
    return new RekeyError('REMOTE_FAILED', `${what}: psql was not found on ${connector.name}.`);
  }
  const status = result.code === null ? `signal ${result.signal}` : `exit ${result.code}`;
  const detail = redactedStderr.trim() || 'no error output';
  return new RekeyError(
    'REMOTE_FAILED',
    `${what} on ${connector.name} (psql ${status}): ${detail}`,
  );
}

function checkRole(role: string): void {
  if (role === '' || role.includes('\0')) {
    throw new RekeyError('INVALID_INPUT', 'A role name must be non-empty and free of NUL.');
  }
}

function checkPassword(password: string): void {
  if (password === '' || password.includes('\0')) {
    throw new RekeyError('INVALID_INPUT', 'A password must be non-empty and free of NUL.');
  }
}

/** `"name"` with embedded double quotes doubled: a SQL identifier, case kept. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'value'` with embedded quotes doubled (standard_conforming_strings, on since 9.1). */
function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
