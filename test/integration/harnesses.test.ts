import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeDocker, useFakeDocker } from '../helpers/fake-docker';
import { quoteLiteral, startPostgres, usePostgres } from '../helpers/postgres';
import { descendantPids, isAlive, run } from '../helpers/processes';
import { startRedis, useRedis } from '../helpers/redis';
import { startTokenService, useTokenService } from '../helpers/token-service';

/**
 * The real parts the rotation tests stand on: each harness does what a rotation needs of it
 * and leaves nothing running when it stops.
 */

const newSecret = () => randomBytes(24).toString('base64');

function everyProcessGone(pids: readonly number[]): boolean {
  return pids.every((pid) => !isAlive(pid));
}

describe('PostgreSQL cluster', () => {
  const postgres = usePostgres({ database: 'synctv' });

  test('a role logs in with its password only, and ALTER ROLE changes it', async () => {
    const cluster = postgres();
    const [oldPassword, newPassword] = [newSecret(), newSecret()];
    await cluster.createRole('synctv', oldPassword);

    expect(await cluster.canLogin('synctv', oldPassword)).toBe(true);
    expect(await cluster.canLogin('synctv', newPassword)).toBe(false);

    await cluster.query(`ALTER ROLE synctv WITH PASSWORD ${quoteLiteral(newPassword)}`);
    expect(await cluster.canLogin('synctv', newPassword)).toBe(true);
    expect(await cluster.canLogin('synctv', oldPassword)).toBe(false);
    expect(await cluster.query("SELECT rolname FROM pg_roles WHERE rolname = 'synctv'")).toEqual([
      ['synctv'],
    ]);
  });

  test('the superuser logs in over TCP with its password, and failed statements stay out of the log', async () => {
    const cluster = postgres();
    expect(await cluster.canLogin(cluster.superuser, cluster.superuserPassword)).toBe(true);
    const password = newSecret();
    await expect(
      cluster.query(`ALTER ROLE nobody PASSWORD ${quoteLiteral(password)}`),
    ).rejects.toThrow(/does not exist/);
    expect(cluster.log()).not.toContain(password);
  });

  test('stop ends the server and all its processes and removes its directory', async () => {
    const cluster = await startPostgres();
    const pids = [cluster.pid, ...descendantPids(cluster.pid)];
    try {
      expect(pids.length).toBeGreaterThan(1);
      expect(pids.every(isAlive)).toBe(true);
    } finally {
      await cluster.stop();
    }
    expect(everyProcessGone(pids)).toBe(true);
    expect(existsSync(cluster.dir)).toBe(false);
  });
});

describe('Redis server', () => {
  const redis = useRedis();

  test('an ACL user with two passwords accepts both, then only the one kept', async () => {
    const server = redis();
    const [oldPassword, newPassword] = [newSecret(), newSecret()];
    await server.aclSetUser('synctv', [oldPassword, newPassword]);
    expect(await server.canAuth('synctv', oldPassword)).toBe(true);
    expect(await server.canAuth('synctv', newPassword)).toBe(true);

    await server.aclSetUser('synctv', [newPassword]);
    expect(await server.canAuth('synctv', newPassword)).toBe(true);
    expect(await server.canAuth('synctv', oldPassword)).toBe(false);
    expect(await server.canAuth('nobody', newPassword)).toBe(false);
  });

  test('runs without persistence, in protected mode, with the default user behind a password', async () => {
    const server = redis();
    expect(await server.command(['CONFIG', 'GET', 'save'])).toEqual(['save', '']);
    expect(await server.command(['CONFIG', 'GET', 'protected-mode'])).toEqual([
      'protected-mode',
      'yes',
    ]);
    expect(await server.canAuth(server.adminUser, 'not the password')).toBe(false);
  });

  test('stop ends the server and removes its directory', async () => {
    const server = await startRedis();
    try {
      expect(isAlive(server.pid)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
  });
});

/** A SyncTV-style compose project: `config.yaml` with `jwt.secret`, and an lk-jwt `.env`. */
function useComposeProject(): () => { dir: string; yaml: string; dotenv: string } {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rekey-compose-'));
    writeYamlSecret(join(dir, 'config.yaml'), newSecret());
    writeDotenvSecret(join(dir, '.env'), newSecret());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => ({ dir, yaml: join(dir, 'config.yaml'), dotenv: join(dir, '.env') });
}

function writeYamlSecret(path: string, secret: string): void {
  writeFileSync(path, `server:\n  port: 8080\njwt:\n  secret: "${secret}" # rotate me\n`);
}

function writeDotenvSecret(path: string, secret: string): void {
  writeFileSync(path, `LIVEKIT_URL=wss://livekit.example.org\nLIVEKIT_SECRET=${secret}\n`);
}

describe('token service', () => {
  const project = useComposeProject();
  const service = useTokenService(() => ({
    configFile: project().yaml,
    format: 'yaml',
    key: 'jwt.secret',
  }));

  test('keeps the secret it started with until restarted, then accepts only new tokens', async () => {
    const tokens = service();
    const oldToken = await tokens.issueToken('alice');
    expect(await tokens.check(oldToken)).toBe(200);
    expect(await tokens.check(`${oldToken}x`)).toBe(401);

    writeYamlSecret(project().yaml, newSecret());
    expect(await tokens.check(oldToken)).toBe(200);

    const oldPid = tokens.pid;
    await tokens.restart();
    expect(tokens.pid).not.toBe(oldPid);
    expect(isAlive(oldPid)).toBe(false);
    expect(await tokens.check(oldToken)).toBe(401);
    expect(await tokens.check(await tokens.issueToken('alice'))).toBe(200);
  });

  test('stop ends the process; a secret from .env and the environment delivery work too', async () => {
    const lkJwt = await startTokenService({
      configFile: project().dotenv,
      format: 'dotenv',
      key: 'LIVEKIT_SECRET',
      delivery: 'environment',
    });
    try {
      expect(await lkJwt.check(await lkJwt.issueToken())).toBe(200);
      expect(lkJwt.definitionChanged()).toBe(false);
    } finally {
      await lkJwt.stop();
    }
    expect(isAlive(lkJwt.pid)).toBe(false);
    expect(lkJwt.running).toBe(false);
  });
});

describe('fake docker', () => {
  const project = useComposeProject();
  const docker = useFakeDocker();
  const synctv = useTokenService(() => ({
    configFile: project().yaml,
    format: 'yaml',
    key: 'jwt.secret',
  }));
  const lkJwt = useTokenService(() => ({
    configFile: project().dotenv,
    format: 'dotenv',
    key: 'LIVEKIT_SECRET',
    delivery: 'environment',
  }));
  beforeAll(() => {
    docker().register('synctv', synctv(), { projectDir: project().dir });
    docker().register('lk-jwt-service', lkJwt(), { projectDir: project().dir });
  });

  const dockerIn = (cwd: string, ...args: string[]) =>
    run('docker', args, { cwd, env: docker().env });

  test('records `compose restart synctv` with its directory and restarts the service', async () => {
    const oldToken = await synctv().issueToken();
    const oldPid = synctv().pid;
    writeYamlSecret(project().yaml, newSecret());

    const result = await dockerIn(project().dir, 'compose', 'restart', 'synctv');

    expect(result.stderr).toContain('Container synctv  Restarted');
    expect(result.code).toBe(0);
    expect(docker().calls().at(-1)).toEqual({
      args: ['compose', 'restart', 'synctv'],
      cwd: project().dir,
    });
    expect(synctv().pid).not.toBe(oldPid);
    expect(isAlive(oldPid)).toBe(false);
    expect(await synctv().check(oldToken)).toBe(401);
  });

  test('like compose, restart keeps an environment secret and only up -d takes the new one', async () => {
    const oldToken = await lkJwt().issueToken();
    writeDotenvSecret(project().dotenv, newSecret());

    expect((await dockerIn(project().dir, 'compose', 'restart', 'lk-jwt-service')).code).toBe(0);
    expect(await lkJwt().check(oldToken)).toBe(200);

    const up = await dockerIn(project().dir, 'compose', 'up', '-d', 'lk-jwt-service');
    expect(up.stderr).toContain('Container lk-jwt-service  Recreated');
    expect(await lkJwt().check(oldToken)).toBe(401);
    expect(await lkJwt().check(await lkJwt().issueToken())).toBe(200);
  });

  test('refuses docker inspect, unknown services and other projects, and records them', async () => {
    const inspect = await dockerIn(project().dir, 'inspect', 'synctv');
    expect(inspect.code).toBe(1);
    expect(inspect.stderr).toMatch(/docker inspect.*not available/);

    const unknown = await dockerIn(project().dir, 'compose', 'restart', 'synapse');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no such service: synapse');

    const elsewhere = await dockerIn(tmpdir(), 'compose', 'restart', 'synctv');
    expect(elsewhere.code).toBe(1);

    const fromFile = ['compose', '-f', join(project().dir, 'compose.yaml'), 'stop', 'synctv'];
    expect((await dockerIn(tmpdir(), ...fromFile)).code).toBe(0);
    expect(synctv().running).toBe(false);
    expect((await dockerIn(project().dir, 'compose', 'up', '-d')).code).toBe(0);
    expect(synctv().running).toBe(true);

    expect(docker().calls().slice(-5)).toEqual([
      { args: ['inspect', 'synctv'], cwd: project().dir },
      { args: ['compose', 'restart', 'synapse'], cwd: project().dir },
      { args: ['compose', 'restart', 'synctv'], cwd: tmpdir() },
      { args: fromFile, cwd: tmpdir() },
      { args: ['compose', 'up', '-d'], cwd: project().dir },
    ]);
  });

  test('stop closes the control endpoint and removes the wrapper', async () => {
    const own = await startFakeDocker();
    await own.stop();
    expect(existsSync(own.binDir)).toBe(false);
  });
});
