import { RekeyError } from '../../../shared/errors';
import type { Connector, ExecResult } from '../../connectors/connector';

/**
 * Adding, removing and checking a Redis ACL user's passwords through `redis-cli` on a
 * connector. The password redis-cli logs in with goes in REDISCLI_AUTH, the commands (which
 * carry the passwords being added or removed) on stdin: nothing secret is in argv.
 */

export interface RedisAccess {
  host?: string;
  port?: string;
  /**
   * A command that runs redis-cli somewhere else, e.g. `docker compose exec -T redis`. The
   * wrapper must forward REDISCLI_AUTH from its environment (docker: `exec -e REDISCLI_AUTH`).
   */
  via?: readonly string[];
  /** Removes known secret values from text before it goes into an error. */
  redact: (text: string) => string;
  timeoutMs?: number;
}

/**
 * How the change survives a restart: 'acl-save' writes the server's aclfile, 'config-rewrite'
 * its redis.conf (where users live when there is no aclfile), 'auto' asks the server which
 * one applies, 'none' changes the running server only.
 */
export type RedisPersist = 'auto' | 'config-rewrite' | 'acl-save' | 'none';

const DEFAULT_TIMEOUT_MS = 15_000;
/** Formatted replies even into a pipe, so an error reply reads `(error) ...`, unmistakably. */
const ERROR_PREFIX = '(error) ';

/** ACL SETUSER user on >password, logged in as `user` with `authPassword`. */
export async function addRedisPassword(
  connector: Connector,
  access: RedisAccess,
  user: string,
  password: string,
  authPassword: string,
  persist: RedisPersist,
): Promise<void> {
  checkPassword(password);
  await changePasswords(connector, access, user, authPassword, persist, {
    rules: ['on', `>${password}`],
    secrets: [password, authPassword],
    what: `add a password to Redis user ${user}`,
  });
}

/** ACL SETUSER user <password (the user no longer logs in with it), logged in as `user`. */
export async function removeRedisPassword(
  connector: Connector,
  access: RedisAccess,
  user: string,
  password: string,
  authPassword: string,
  persist: RedisPersist,
): Promise<void> {
  checkPassword(password);
  await changePasswords(connector, access, user, authPassword, persist, {
    rules: [`<${password}`],
    secrets: [password, authPassword],
    what: `remove a password from Redis user ${user}`,
  });
}

/**
 * True when `user` logs in with `password`, false when Redis refuses the login (WRONGPASS).
 * Decided on redis-cli's own AUTH: after a refused one it goes on as the default user, so
 * PING's answer alone would prove nothing on a server whose default user has no password.
 */
export async function canAuthRedis(
  connector: Connector,
  access: RedisAccess,
  user: string,
  password: string,
): Promise<boolean> {
  checkUser(user);
  checkPassword(password);
  const result = await runRedisCli(connector, access, user, password, [['PING']]);
  if (/^AUTH failed: WRONGPASS/m.test(result.stderr)) return false;
  if (loggedIn(result)) return true;
  throw redisFailure(connector, access, `check a login as Redis user ${user}`, result, [password]);
}

interface PasswordChange {
  rules: string[];
  /** Values blanked from any error, on top of access.redact (Redis quotes a failed rule). */
  secrets: string[];
  what: string;
}

/**
 * Logs in first, alone: redis-cli runs its commands even after a refused AUTH (as the
 * default user, which may be allowed anything), so the change is sent only once a login as
 * `user` is known to work. The same round trip asks how to persist, for 'auto'.
 */
async function changePasswords(
  connector: Connector,
  access: RedisAccess,
  user: string,
  authPassword: string,
  persist: RedisPersist,
  change: PasswordChange,
): Promise<void> {
  checkUser(user);
  checkPassword(authPassword);
  const persistCommand = await logInAndChoosePersist(
    connector,
    access,
    user,
    authPassword,
    persist,
  );
  const commands = [['ACL', 'SETUSER', user, ...change.rules]];
  if (persistCommand) commands.push(persistCommand);
  const result = await runRedisCli(connector, access, user, authPassword, commands);
  // Every command answers OK on its own line; anything else (an error reply, a refused login
  // or connection, which redis-cli reports with exit status 0) is a failure.
  const refused = /^AUTH failed/m.test(result.stderr);
  if (!refused && result.code === 0 && result.stdout === 'OK\n'.repeat(commands.length)) return;
  const failure = redisFailure(connector, access, change.what, result, change.secrets);
  if (refused) {
    throw new RekeyError(
      'REMOTE_FAILED',
      `${failure.message} The login was refused this time (it worked a moment before), and ` +
        `redis-cli went on as the default user: check the user's passwords.`,
    );
  }
  if (/without a config file/.test(result.stdout)) {
    throw new RekeyError(
      'REMOTE_FAILED',
      `${failure.message} The server was started without a configuration file, so CONFIG ` +
        `REWRITE cannot keep the change: the running server has it, a restart loses it.`,
    );
  }
  throw failure;
}

/**
 * Checks the login as `user` and returns the command that saves users under `persist`, or
 * null for none. For 'auto', where the server keeps its users: an aclfile when one is
 * configured, else its redis.conf; a server that could keep them in neither (no config file)
 * is refused here, while nothing has changed yet.
 */
async function logInAndChoosePersist(
  connector: Connector,
  access: RedisAccess,
  user: string,
  authPassword: string,
  persist: RedisPersist,
): Promise<string[] | null> {
  const commands = [['PING']];
  if (persist === 'auto') commands.push(['CONFIG', 'GET', 'aclfile'], ['INFO', 'server']);
  const result = await runRedisCli(connector, access, user, authPassword, commands);
  if (!loggedIn(result)) {
    const failure = redisFailure(connector, access, `log in as Redis user ${user}`, result, [
      authPassword,
    ]);
    throw new RekeyError('REMOTE_FAILED', `${failure.message}; nothing was changed.`);
  }
  switch (persist) {
    case 'none':
      return null;
    case 'acl-save':
      return ['ACL', 'SAVE'];
    case 'config-rewrite':
      return ['CONFIG', 'REWRITE'];
    case 'auto':
      return persistCommandFromAnswers(connector, access, result, authPassword);
  }
}

function persistCommandFromAnswers(
  connector: Connector,
  access: RedisAccess,
  result: ExecResult,
  authPassword: string,
): string[] {
  const aclfile = /^1\) "aclfile"\n2\) "(.*)"$/m.exec(result.stdout);
  const configFile = /^config_file:(.*?)\r?$/m.exec(result.stdout);
  if (!aclfile || !configFile || result.stdout.includes(ERROR_PREFIX)) {
    const what = `ask Redis how it keeps its users (persist 'auto')`;
    const failure = redisFailure(connector, access, what, result, [authPassword]);
    throw new RekeyError(
      'REMOTE_FAILED',
      `${failure.message}; nothing was changed. Name the way instead: persist 'acl-save', ` +
        `'config-rewrite' or 'none'.`,
    );
  }
  if (aclfile[1] !== '') return ['ACL', 'SAVE'];
  if (configFile[1] !== '') return ['CONFIG', 'REWRITE'];
  throw new RekeyError(
    'REMOTE_FAILED',
    `Redis on ${connector.name} has no aclfile and was started without a configuration ` +
      `file, so a password change could not survive a restart; nothing was changed. ` +
      `Use persist 'none' to change the running server only.`,
  );
}

/**
 * Whether redis-cli's login worked: no refused AUTH, and the first command (PING) got an
 * answer, PONG or a refusal of PING itself (a user may lack the right to PING, yet be in).
 */
function loggedIn(result: ExecResult): boolean {
  const first = result.stdout.split('\n', 1)[0] ?? '';
  const answered = first === 'PONG' || first.startsWith(`${ERROR_PREFIX}NOPERM`);
  return result.code === 0 && !/^AUTH failed/m.test(result.stderr) && answered;
}

/** redis-cli logged in as `user`, one command per stdin line, formatted replies on stdout. */
async function runRedisCli(
  connector: Connector,
  access: RedisAccess,
  user: string,
  password: string,
  commands: readonly (readonly string[])[],
): Promise<ExecResult> {
  const argv = [...(access.via ?? []), 'redis-cli', '--no-raw', '--no-auth-warning'];
  if (access.host !== undefined) argv.push('-h', access.host);
  if (access.port !== undefined) argv.push('-p', access.port);
  argv.push('--user', user);
  const stdin = commands.map((command) => command.map(quoteRedisArg).join(' ') + '\n').join('');
  return connector.exec({
    argv,
    stdin,
    env: { REDISCLI_AUTH: password },
    timeoutMs: access.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
}

/**
 * One argument as redis-cli's line parser (sdssplitargs) reads it: in double quotes, with
 * backslash escapes for quotes, backslashes and control characters; anything else as is.
 */
function quoteRedisArg(value: string): string {
  let quoted = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') quoted += `\\${char}`;
    else if (char === '\n') quoted += '\\n';
    else if (char === '\r') quoted += '\\r';
    else if (char === '\t') quoted += '\\t';
    else if (code < 0x20 || code === 0x7f) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    else quoted += char;
  }
  return `${quoted}"`;
}

/** REMOTE_FAILED naming what failed, with redis-cli's output blanked of every secret. */
function redisFailure(
  connector: Connector,
  access: RedisAccess,
  what: string,
  result: ExecResult,
  secrets: readonly string[],
): RekeyError {
  if (result.code === 127) {
    return new RekeyError(
      'REMOTE_FAILED',
      `Could not ${what}: redis-cli was not found on ${connector.name}.`,
    );
  }
  const errorLines = result.stdout
    .split('\n')
    .filter((line) => line.startsWith(ERROR_PREFIX))
    .map((line) => line.slice(ERROR_PREFIX.length));
  const raw = [result.stderr.trim(), ...errorLines].filter((text) => text !== '').join('; ');
  // Redis turns line breaks inside an error reply into spaces: blank that form too.
  const forms = secrets.flatMap((secret) => [secret, secret.replace(/[\r\n]/g, ' ')]);
  const blanked = forms.reduce((text, secret) => text.replaceAll(secret, '[secret]'), raw);
  const detail = access.redact(blanked) || `unexpected output (exit ${result.code})`;
  return new RekeyError('REMOTE_FAILED', `Could not ${what} on ${connector.name}: ${detail}`);
}

function checkUser(user: string): void {
  // Redis itself refuses spaces and NUL in user names.
  if (user === '' || /[\s\0]/.test(user)) {
    throw new RekeyError('INVALID_INPUT', 'A Redis user name must be non-empty, without spaces.');
  }
}

function checkPassword(password: string): void {
  // REDISCLI_AUTH cannot hold NUL, and an empty one would not log in as anybody.
  if (password === '' || password.includes('\0')) {
    throw new RekeyError('INVALID_INPUT', 'A Redis password must be non-empty and free of NUL.');
  }
}
