import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ExecRequest } from '../../src/main/connectors/connector';
import { LocalConnector } from '../../src/main/connectors/local';
import {
  type PgAccess,
  canLogin,
  scramSha256Verifier,
  setRolePassword,
} from '../../src/main/rotation/actions/postgres';
import {
  type RedisAccess,
  addRedisPassword,
  canAuthRedis,
  removeRedisPassword,
} from '../../src/main/rotation/actions/redis';
import { usePostgres } from '../helpers/postgres';
import { exited, hasExited, killWithTestProcess } from '../helpers/processes';
import { exchange, useRedis } from '../helpers/redis';
import { freeLoopbackPort } from '../helpers/sshd-server';
import { waitUntil } from '../helpers/wait';

/**
 * The rotation actions against a real PostgreSQL cluster and real redis-servers, run through
 * the local connector exactly as they would run over SSH: the passwords change for real, the
 * server accepts the new one and refuses the old, and no password reaches argv or a message.
 */

/** A connector that remembers every command it ran, to check what reached argv. */
class RecordingConnector extends LocalConnector {
  readonly requests: ExecRequest[] = [];

  override exec(request: ExecRequest) {
    this.requests.push(request);
    return super.exec(request);
  }
}

const local = new RecordingConnector();
const newSecret = () => randomBytes(18).toString('base64url');
/** Everything a quoting layer could trip on: both quotes, backslash, space, $, newline, UTF-8. */
const awkwardSecret = () => `a"b\\c d$e'f\`g\nh\tü-${newSecret()}`;
/** The modules' own scrubbing is what these tests check, so the caller's redactor does nothing. */
const noRedact = (text: string) => text;

function failureOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => ({ code: 'resolved', message: '' }),
    (error: unknown) => error as { code: string; message: string },
  );
}

function expectNoSecretInArgv(secrets: readonly string[]): void {
  for (const request of local.requests) {
    for (const secret of secrets) expect(request.argv.join('\n')).not.toContain(secret);
  }
}

describe('PostgreSQL role passwords', () => {
  const postgres = usePostgres({ database: 'synctv' });
  /** As the superuser over the cluster's private socket, where no password is asked. */
  const adminAccess = (): PgAccess => {
    const cluster = postgres();
    const connection = { host: cluster.dir, port: String(cluster.port), user: cluster.superuser };
    return { connection: { ...connection, database: cluster.database }, redact: noRedact };
  };
  /** Over TCP, where the server asks for a SCRAM password. */
  const tcpAccess = (): PgAccess => {
    const cluster = postgres();
    const connection = { host: cluster.host, port: String(cluster.port), database: 'synctv' };
    return { connection, redact: noRedact, timeoutMs: 10_000 };
  };

  test('setRolePassword stores a SCRAM verifier: the new password logs in, the old does not', async () => {
    const cluster = postgres();
    const [oldPassword, newPassword] = [newSecret(), newSecret()];
    await cluster.createRole('app', oldPassword);
    local.requests.length = 0;

    await setRolePassword(local, adminAccess(), 'app', newPassword);

    expect(await cluster.canLogin('app', newPassword)).toBe(true);
    expect(await cluster.canLogin('app', oldPassword)).toBe(false);
    expect(await canLogin(local, tcpAccess(), 'app', newPassword)).toBe(true);
    expect(await canLogin(local, tcpAccess(), 'app', oldPassword)).toBe(false);
    const [[stored = ''] = []] = await cluster.query(
      "SELECT rolpassword FROM pg_authid WHERE rolname = 'app'",
    );
    expect(stored).toMatch(
      /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/,
    );
    expect(stored).not.toContain(newPassword);
    expect(cluster.log()).not.toContain(newPassword);
    expectNoSecretInArgv([oldPassword, newPassword]);
  });

  test('awkward role names and passwords, and non-ASCII passwords in either normal form', async () => {
    const cluster = postgres();
    const role = `we"ird rôle`;
    await cluster.query(`CREATE ROLE "we""ird rôle" LOGIN`);
    const awkward = awkwardSecret();
    await setRolePassword(local, adminAccess(), role, awkward);
    expect(await canLogin(local, tcpAccess(), role, awkward)).toBe(true);

    // "é" as e + combining accent: libpq's SASLprep and ours must agree on the same form.
    const decomposed = `cafe\u0301-${newSecret()}`;
    await setRolePassword(local, adminAccess(), role, decomposed);
    expect(await cluster.canLogin(role, decomposed)).toBe(true);
    expect(await cluster.canLogin(role, decomposed.normalize('NFC'))).toBe(true);
    expect(await canLogin(local, tcpAccess(), role, awkward)).toBe(false);
  });

  test('a verifier checks out against the SCRAM-SHA-256 exchange of RFC 7677', () => {
    // RFC 7677 section 3: user "user", password "pencil", this salt, 4096 iterations.
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const verifier = scramSha256Verifier('pencil', salt);
    const [, iterationsAndSalt = '', keys = ''] = verifier.split('$');
    expect(iterationsAndSalt).toBe('4096:W22ZaJ0SNY7soEsUEjb6gQ==');
    const [storedKey, serverKey] = keys.split(':').map((key) => Buffer.from(key, 'base64'));
    if (!storedKey || !serverKey) throw new Error(`not a SCRAM verifier: ${verifier}`);
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage =
      `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,` +
      `c=biws,r=${nonce}`;
    const hmac = (key: Buffer) => createHmac('sha256', key).update(authMessage).digest();
    // The server's signature the RFC shows, from our ServerKey.
    expect(hmac(serverKey).toString('base64')).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    // The client's proof the RFC shows verifies against our StoredKey, as a server checks it.
    const proof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
    const signature = hmac(storedKey);
    const clientKey = Buffer.from(proof.map((byte, index) => byte ^ (signature[index] ?? 0)));
    expect(createHash('sha256').update(clientKey).digest().equals(storedKey)).toBe(true);
    // A fresh random salt each time.
    expect(scramSha256Verifier('pencil')).not.toBe(scramSha256Verifier('pencil'));
  });

  test('canLogin is false for a missing role or one that may not log in', async () => {
    const cluster = postgres();
    const password = newSecret();
    await cluster.query(`CREATE ROLE nologin_role PASSWORD '${password}'`);
    expect(await canLogin(local, tcpAccess(), 'nologin_role', password)).toBe(false);
    expect(await canLogin(local, tcpAccess(), 'no_such_role', password)).toBe(false);
  });

  test('failures are REMOTE_FAILED and quote neither the password nor the verifier', async () => {
    const cluster = postgres();
    const password = newSecret();
    const missing = await failureOf(setRolePassword(local, adminAccess(), 'ghost', password));
    expect(missing.code).toBe('REMOTE_FAILED');
    expect(missing.message).toMatch(/ghost.*does not exist/);
    expect(missing.message).not.toContain(password);
    expect(missing.message).not.toContain('SCRAM-SHA-256$');
    expect(cluster.log()).not.toContain(password);

    const nowhere = { ...tcpAccess(), connection: { host: '127.0.0.1', port: '1' } };
    const unreachable = await failureOf(canLogin(local, nowhere, 'app', password));
    expect(unreachable.code).toBe('REMOTE_FAILED');
    expect(unreachable.message).toMatch(/Connection refused|could not connect/i);
    expect(unreachable.message).not.toContain(password);

    const noDatabase = {
      ...tcpAccess(),
      connection: { ...tcpAccess().connection, database: 'nope' },
    };
    await cluster.createRole('lonely', password);
    const wrongDb = await failureOf(canLogin(local, noDatabase, 'lonely', password));
    expect(wrongDb).toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringMatching(/nope/),
    });
  });

  test('the caller redactor sees psql error output before it goes into the message', async () => {
    const redact = (text: string) => text.replaceAll('does not exist', '[redacted]');
    const access = { ...adminAccess(), redact };
    const failure = await failureOf(setRolePassword(local, access, 'ghost2', newSecret()));
    expect(failure.message).toContain('[redacted]');
    expect(failure.message).not.toContain('does not exist');
  });

  test('through a `via` wrapper, connection settings go as options; PGPASSWORD must be forwarded', async () => {
    const cluster = postgres();
    const password = newSecret();
    await cluster.createRole('viaapp', newSecret());
    // `env -i` drops the environment like a container boundary does.
    const isolated = ['env', '-i', `PATH=${process.env['PATH'] ?? '/usr/bin:/bin'}`];
    await setRolePassword(local, { ...adminAccess(), via: isolated }, 'viaapp', password);
    expect(await cluster.canLogin('viaapp', password)).toBe(true);

    // A wrapper that forwards only PGPASSWORD, as `docker compose exec -e PGPASSWORD` does.
    const forwarding = [
      'sh',
      '-c',
      'exec env -i PATH="$PATH" PGPASSWORD="$PGPASSWORD" "$@"',
      'fwd',
    ];
    expect(await canLogin(local, { ...tcpAccess(), via: forwarding }, 'viaapp', password)).toBe(
      true,
    );
    // One that does not forward it: no password reaches psql, so no login.
    expect(await canLogin(local, { ...tcpAccess(), via: isolated }, 'viaapp', password)).toBe(
      false,
    );
  });

  test('bad input is INVALID_INPUT before anything runs', async () => {
    local.requests.length = 0;
    const access = adminAccess();
    await expect(setRolePassword(local, access, '', 'x')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(setRolePassword(local, access, 'a\0b', 'x')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(setRolePassword(local, access, 'app', '')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(canLogin(local, access, 'app', 'a\0')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(local.requests).toEqual([]);
  });
});

describe('Redis ACL passwords', () => {
  const redis = useRedis();
  const access = (): RedisAccess => ({
    host: redis().host,
    port: String(redis().port),
    redact: noRedact,
  });

  test('add a password: both work; remove the old one: only the new one works', async () => {
    const server = redis();
    const [oldPassword, newPassword] = [newSecret(), newSecret()];
    await server.aclSetUser('synctv', [oldPassword]);
    local.requests.length = 0;

    await addRedisPassword(local, access(), 'synctv', newPassword, oldPassword, 'none');
    expect(await canAuthRedis(local, access(), 'synctv', oldPassword)).toBe(true);
    expect(await canAuthRedis(local, access(), 'synctv', newPassword)).toBe(true);
    expect(await server.canAuth('synctv', newPassword)).toBe(true);

    await removeRedisPassword(local, access(), 'synctv', oldPassword, newPassword, 'none');
    expect(await canAuthRedis(local, access(), 'synctv', newPassword)).toBe(true);
    expect(await canAuthRedis(local, access(), 'synctv', oldPassword)).toBe(false);
    expect(await server.canAuth('synctv', oldPassword)).toBe(false);
    expectNoSecretInArgv([oldPassword, newPassword]);
  });

  test('a password with quotes, backslash, space, $ and a newline is set exactly', async () => {
    const server = redis();
    const oldPassword = newSecret();
    await server.aclSetUser('odd', [oldPassword]);
    const awkward = awkwardSecret();
    await addRedisPassword(local, access(), 'odd', awkward, oldPassword, 'none');
    expect(await server.canAuth('odd', awkward)).toBe(true);
    expect(await canAuthRedis(local, access(), 'odd', awkward)).toBe(true);
    await removeRedisPassword(local, access(), 'odd', oldPassword, awkward, 'none');
    expect(await server.canAuth('odd', oldPassword)).toBe(false);

    // Removing it twice fails; Redis quotes it (line breaks turned to spaces): we do not.
    const third = newSecret();
    await addRedisPassword(local, access(), 'odd', third, awkward, 'none');
    await removeRedisPassword(local, access(), 'odd', awkward, third, 'none');
    const again = await failureOf(
      removeRedisPassword(local, access(), 'odd', awkward, third, 'none'),
    );
    expect(again.code).toBe('REMOTE_FAILED');
    expect(again.message).toMatch(/does not exist/);
    expect(again.message).not.toContain(awkward.slice(-12));
    expect(again.message).not.toContain(awkward.slice(0, 8));
  });

  test('a wrong login password or a password the user lacks fails without quoting any', async () => {
    const server = redis();
    const [password, wrong, newPassword] = [newSecret(), newSecret(), newSecret()];
    await server.aclSetUser('guarded', [password]);

    const refused = await failureOf(
      addRedisPassword(local, access(), 'guarded', newPassword, wrong, 'none'),
    );
    expect(refused.code).toBe('REMOTE_FAILED');
    expect(refused.message).toMatch(/WRONGPASS/);
    for (const secret of [password, wrong, newPassword])
      expect(refused.message).not.toContain(secret);
    expect(await server.canAuth('guarded', newPassword)).toBe(false);

    // Redis quotes the failing rule, `<password` included, in its error reply.
    const absent = await failureOf(
      removeRedisPassword(local, access(), 'guarded', newPassword, password, 'none'),
    );
    expect(absent.code).toBe('REMOTE_FAILED');
    expect(absent.message).toMatch(/does not exist/);
    for (const secret of [password, newPassword]) expect(absent.message).not.toContain(secret);
  });

  test('canAuthRedis: false on a wrong password, REMOTE_FAILED when the server is unreachable', async () => {
    expect(await canAuthRedis(local, access(), 'nobody', newSecret())).toBe(false);
    const secret = newSecret();
    const nowhere = { ...access(), port: '1' };
    const failure = await failureOf(canAuthRedis(local, nowhere, 'synctv', secret));
    expect(failure.code).toBe('REMOTE_FAILED');
    expect(failure.message).toMatch(/Could not connect/);
    expect(failure.message).not.toContain(secret);
  });

  test("persist 'auto' on a server with a config file and no aclfile rewrites redis.conf", async () => {
    const server = redis();
    const [oldPassword, newPassword] = [newSecret(), newSecret()];
    await server.aclSetUser('kept', [oldPassword]);
    await addRedisPassword(local, access(), 'kept', newPassword, oldPassword, 'auto');
    const config = readFileSync(join(server.dir, 'redis.conf'), 'utf8');
    const hash = createHash('sha256').update(newPassword).digest('hex');
    expect(config).toMatch(new RegExp(`^user kept on .*#${hash}`, 'm'));
    expect(config).not.toContain(newPassword);
    expect(config).not.toContain(oldPassword);
  });

  test("persist 'acl-save' without an aclfile fails clearly", async () => {
    const server = redis();
    const [oldPassword, newPassword] = [newSecret(), newSecret()];
    await server.aclSetUser('nofile', [oldPassword]);
    const failure = await failureOf(
      addRedisPassword(local, access(), 'nofile', newPassword, oldPassword, 'acl-save'),
    );
    expect(failure).toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringMatching(/ACL file/),
    });
  });

  test('bad input is INVALID_INPUT before anything runs', async () => {
    local.requests.length = 0;
    const run = (user: string, password: string) =>
      addRedisPassword(local, access(), user, password, 'auth', 'none');
    await expect(run('two words', 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(run('', 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(run('u', '')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(run('u', 'a\0b')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(local.requests).toEqual([]);
  });
});

/**
 * A redis-server started with arguments only (no configuration file), optionally with an
 * aclfile; the default user has no password, which is fine on a throwaway loopback port.
 */
async function startBareRedis(withAclFile: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'rekey-bare-redis-'));
  const port = await freeLoopbackPort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', dir);
  const aclFile = join(dir, 'users.acl');
  if (withAclFile) {
    writeFileSync(aclFile, 'user default on nopass ~* &* +@all\n');
    args.push('--aclfile', aclFile);
  }
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  killWithTestProcess(child);
  const stop = async () => {
    if (!hasExited(child)) child.kill('SIGKILL');
    await exited(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => (await exchange(port, [['PING']]).catch(() => []))[0] === 'PONG', {
      timeoutMs: 10_000,
      what: 'bare redis-server ready',
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const access: RedisAccess = { host: '127.0.0.1', port: String(port), redact: noRedact };
  const createUser = (user: string, password: string) =>
    exchange(port, [['ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '+@all']]);
  return { access, aclFile, createUser, stop };
}

describe('Redis persistence where the server has no configuration file', () => {
  const started: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(started.map((stop) => stop()));
  });

  test("persist 'auto' saves to the aclfile when there is one", async () => {
    const bare = await startBareRedis(true);
    started.push(bare.stop);
    const [oldPassword, newPassword] = [newSecret(), newSecret()];
    await bare.createUser('acl_user', oldPassword);
    await addRedisPassword(local, bare.access, 'acl_user', newPassword, oldPassword, 'auto');
    const saved = readFileSync(bare.aclFile, 'utf8');
    const hash = createHash('sha256').update(newPassword).digest('hex');
    expect(saved).toMatch(new RegExp(`^user acl_user on .*#${hash}`, 'm'));
    expect(saved).not.toContain(newPassword);
  });

  test('on a server whose default user has no password, a refused login changes nothing', async () => {
    // redis-cli goes on as the default user after a refused AUTH, and that one may do anything.
    const bare = await startBareRedis(false);
    started.push(bare.stop);
    const [password, wrong, newPassword] = [newSecret(), newSecret(), newSecret()];
    await bare.createUser('open', password);
    expect(await canAuthRedis(local, bare.access, 'open', wrong)).toBe(false);
    const refused = await failureOf(
      addRedisPassword(local, bare.access, 'open', newPassword, wrong, 'none'),
    );
    expect(refused).toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringMatching(/WRONGPASS.*nothing was changed/),
    });
    expect(await canAuthRedis(local, bare.access, 'open', newPassword)).toBe(false);
    expect(await canAuthRedis(local, bare.access, 'open', password)).toBe(true);
  });

  test("persist 'auto' refuses, changing nothing, when neither an aclfile nor a config file exists", async () => {
    const bare = await startBareRedis(false);
    started.push(bare.stop);
    const [oldPassword, newPassword] = [newSecret(), newSecret()];
    await bare.createUser('lost', oldPassword);

    const refused = await failureOf(
      addRedisPassword(local, bare.access, 'lost', newPassword, oldPassword, 'auto'),
    );
    expect(refused).toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringMatching(/nothing was changed/),
    });
    expect(await canAuthRedis(local, bare.access, 'lost', newPassword)).toBe(false);

    // Asked for by name, CONFIG REWRITE fails after the change and says why.
    const rewrite = await failureOf(
      addRedisPassword(local, bare.access, 'lost', newPassword, oldPassword, 'config-rewrite'),
    );
    expect(rewrite).toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringMatching(/without a configuration file/),
    });
    expect(rewrite.message).not.toContain(newPassword);
    expect(await canAuthRedis(local, bare.access, 'lost', newPassword)).toBe(true);

    await addRedisPassword(local, bare.access, 'lost', newSecret(), newPassword, 'none');
  });
});
