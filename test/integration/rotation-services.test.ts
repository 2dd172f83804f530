import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { formatByName } from '../../src/main/formats/format';
import { ok } from '../helpers/app';
import { useFakeDocker } from '../helpers/fake-docker';
import { usePostgres } from '../helpers/postgres';
import { useRedis } from '../helpers/redis';
import { valueOf } from '../helpers/rotation-stack';
import { useTempDirs } from '../helpers/temp';
import { startTokenService } from '../helpers/token-service';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * Rotations that change a password where it is checked (a PostgreSQL role, a Redis ACL user)
 * and where it is used (the application's .env), and a run that rotates two secrets of one
 * deployment with one restart.
 */

const tempDir = useTempDirs();
const password = () => randomBytes(18).toString('base64url');

const SECRET_HEADER = `    description: The password the application logs in with.
    impact: The application cannot log in until both sides agree.
    difficulty: medium
    handling: Change it where it is checked, then where it is used.
    policy: { kind: interval, days: 180 }
    generator: { kind: alphanumeric, length: 32 }
    targets:
      - id: env
        format: dotenv
        path: \${dir}/.env
        key: DB_PASSWORD
`;

async function vaultWith(
  root: string,
  options: { ref: string; value: string; playbook: string; variables: Record<string, string> },
): Promise<{ app: RekeyApp; envFile: string }> {
  const dir = join(root, 'app');
  mkdirSync(dir, { recursive: true });
  const envFile = join(dir, '.env');
  writeFileSync(envFile, `DB_USER=app\nDB_PASSWORD=${options.value}\n`);
  const app = createApp({ vaultPath: join(root, 'vault.rekey'), source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  await ok(app, 'secrets.add', {
    ref: options.ref,
    value: { kind: 'enter', value: options.value },
  });
  await ok(app, 'playbooks.add', { text: options.playbook, fileName: 'test.yaml' });
  await ok(app, 'deployments.setPlaybook', {
    name: options.ref.split('/')[0] ?? '',
    playbook: 'test-service',
    variables: { dir, ...options.variables },
  });
  return { app, envFile };
}

const envPassword = (file: string) =>
  formatByName('dotenv').get(readFileSync(file, 'utf8'), 'DB_PASSWORD');

describe('PostgreSQL role password', () => {
  const postgres = usePostgres({ database: 'app' });

  function playbook(extra: string): string {
    const cluster = postgres();
    const tcp = `{ host: 127.0.0.1, port: '${cluster.port}', database: app }`;
    return `id: test-service
name: PostgreSQL role
service: postgresql
description: An application's role password.
variables:
  dir: { description: The application's directory. }
checklist: [backup]
secrets:
  - name: db.password
${SECRET_HEADER}    steps:
      - kind: generate
      - kind: sql
        role: app
        connection: { host: '${cluster.dir}', port: '${cluster.port}', user: ${cluster.superuser}, database: app }
      - kind: write
        targets: [env]
      - kind: verify
        check: { type: sql-login, role: app, connection: ${tcp} }
      - kind: verify
        check: { type: old-rejected, probe: { type: sql-login, role: app, connection: ${tcp} } }
${extra}`;
  }

  it('logs in with the new password only, and the .env has it', async () => {
    const cluster = postgres();
    const old = password();
    await cluster.query('DROP ROLE IF EXISTS app');
    await cluster.createRole('app', old);
    const { app, envFile } = await vaultWith(tempDir(), {
      ref: 'shop/db.password',
      value: old,
      playbook: playbook(''),
      variables: {},
    });

    const run = await ok(app, 'rotations.start', {
      refs: ['shop/db.password'],
      confirmed: ['backup'],
      wait: true,
    });

    expect(run.status).toBe('rotated');
    const current = await valueOf(app, 'shop/db.password');
    expect(envPassword(envFile)).toBe(current);
    expect(await cluster.canLogin('app', current)).toBe(true);
    expect(await cluster.canLogin('app', old)).toBe(false);
    expect(cluster.log()).not.toContain(current);
  });

  it('sets the old password back when a later step fails', async () => {
    const cluster = postgres();
    const old = password();
    await cluster.query('DROP ROLE IF EXISTS app');
    await cluster.createRole('app', old);
    const { app, envFile } = await vaultWith(tempDir(), {
      ref: 'shop/db.password',
      value: old,
      playbook: playbook(`      - kind: exec
        argv: ['false']
`),
      variables: {},
    });

    const run = await ok(app, 'rotations.start', {
      refs: ['shop/db.password'],
      confirmed: ['backup'],
      wait: true,
    });

    expect(run.status).toBe('rolled-back');
    expect(await valueOf(app, 'shop/db.password')).toBe(old);
    expect(envPassword(envFile)).toBe(old);
    expect(await cluster.canLogin('app', old)).toBe(true);
    // The value the run tried stays in the vault, unlabelled, and no longer logs in.
    const detail = await ok(app, 'secrets.get', { ref: 'shop/db.password' });
    const tried = detail.versions.find((version) => version.labels.length === 0);
    expect(tried).toBeDefined();
    const triedValue = await ok(app, 'secrets.reveal', {
      ref: 'shop/db.password',
      version: tried?.id ?? '',
    });
    expect(await cluster.canLogin('app', triedValue.value)).toBe(false);
  });
});

describe('Redis ACL password', () => {
  const redis = useRedis();

  it('accepts both passwords during the switch, then only the new one', async () => {
    const server = redis();
    const old = password();
    await server.aclSetUser('app', [old]);
    const connection = `{ host: 127.0.0.1, port: '${server.port}' }`;
    const ping = `[redis-cli, -h, 127.0.0.1, -p, '${server.port}', --user, app, --no-auth-warning, ping]`;
    const { app, envFile } = await vaultWith(tempDir(), {
      ref: 'shop/redis.password',
      value: old,
      playbook: `id: test-service
name: Redis ACL
service: redis
description: An application's Redis password.
variables:
  dir: { description: The application's directory. }
checklist: [backup]
secrets:
  - name: redis.password
${SECRET_HEADER}    steps:
      - kind: generate
      - kind: redis
        action: add-password
        user: app
        connection: ${connection}
      - kind: write
        targets: [env]
      - kind: verify
        check: { type: command, argv: ${ping}, env: { REDISCLI_AUTH: '\${secret.pending}' }, stdout_contains: PONG }
      - kind: redis
        action: remove-old-password
        user: app
        connection: ${connection}
      - kind: verify
        check:
          type: old-rejected
          probe: { type: command, argv: ${ping}, env: { REDISCLI_AUTH: '\${secret.pending}' }, stdout_contains: PONG }
`,
      variables: {},
    });

    const run = await ok(app, 'rotations.start', {
      refs: ['shop/redis.password'],
      confirmed: ['backup'],
      wait: true,
    });

    expect(run.status).toBe('rotated');
    const current = await valueOf(app, 'shop/redis.password');
    expect(envPassword(envFile)).toBe(current);
    expect(await server.canAuth('app', current)).toBe(true);
    expect(await server.canAuth('app', old)).toBe(false);
    expect(server.log()).not.toContain(current);
  });
});

describe('several secrets of one deployment in one run', () => {
  const docker = useFakeDocker();
  let savedPath: string | undefined;
  beforeAll(() => {
    savedPath = process.env['PATH'];
    process.env['PATH'] = docker().env['PATH'];
  });
  afterAll(() => {
    process.env['PATH'] = savedPath;
  });

  it('writes both, recreates the service once, and both become current', async () => {
    const root = tempDir();
    const dir = join(root, 'stack');
    mkdirSync(dir);
    const envFile = join(dir, '.env');
    const [jwt, cluster] = [password(), password()];
    writeFileSync(envFile, `JWT_SECRET=${jwt}\nCLUSTER_SECRET=${cluster}\n`);
    const service = await startTokenService({
      configFile: envFile,
      format: 'dotenv',
      key: 'JWT_SECRET',
      delivery: 'environment',
    });
    try {
      docker().register('app', service, { projectDir: dir });
      const secret = (name: string, key: string) => `  - name: ${name}
    description: ${name}
    impact: Tokens stop working.
    difficulty: medium
    handling: Recreate the service.
    policy: { kind: interval, days: 90 }
    generator: { kind: base64, length: 32 }
    targets:
      - id: env
        format: dotenv
        path: \${dir}/.env
        key: ${key}
    steps:
      - kind: generate
      - kind: write
        targets: [env]
      - kind: restart
        via: compose
        project_dir: \${dir}
        services: [app]
        recreate: true
      - kind: verify
        check: { type: fingerprint }
`;
      const app = createApp({ vaultPath: join(root, 'vault.rekey'), source: 'cli' });
      await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
      await ok(app, 'secrets.add', { ref: 'stack/jwt', value: { kind: 'enter', value: jwt } });
      await ok(app, 'secrets.add', {
        ref: 'stack/cluster',
        value: { kind: 'enter', value: cluster },
      });
      await ok(app, 'playbooks.add', {
        fileName: 'test.yaml',
        text: `id: test-service
name: Two secrets
service: app
description: Two secrets in one .env.
variables:
  dir: { description: The compose project directory. }
checklist: [backup]
secrets:
${secret('jwt', 'JWT_SECRET')}${secret('cluster', 'CLUSTER_SECRET')}`,
      });
      await ok(app, 'deployments.setPlaybook', {
        name: 'stack',
        playbook: 'test-service',
        variables: { dir },
      });
      const oldToken = await service.issueToken();
      const callsBefore = docker().calls().length;

      const plan = await ok(app, 'rotations.plan', { refs: ['stack/jwt', 'stack/cluster'] });
      expect(plan.steps.map((step) => step.kind)).toEqual([
        'generate',
        'generate',
        'write',
        'write',
        'restart',
        'verify',
        'verify',
      ]);
      const run = await ok(app, 'rotations.start', {
        refs: ['stack/jwt', 'stack/cluster'],
        confirmed: ['backup'],
        wait: true,
      });

      expect(run.status).toBe('rotated');
      expect(docker().calls().length - callsBefore).toBe(1);
      const text = readFileSync(envFile, 'utf8');
      const dotenv = formatByName('dotenv');
      expect(dotenv.get(text, 'JWT_SECRET')).toBe(await valueOf(app, 'stack/jwt'));
      expect(dotenv.get(text, 'CLUSTER_SECRET')).toBe(await valueOf(app, 'stack/cluster'));
      expect(await valueOf(app, 'stack/jwt', 'previous')).toBe(jwt);
      expect(await service.check(oldToken)).toBe(401);
    } finally {
      await service.stop();
    }
  });
});
