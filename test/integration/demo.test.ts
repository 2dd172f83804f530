import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { formatByName } from '../../src/main/formats/format';
import { EXIT_CODES } from '../../src/shared/errors';
import { ok } from '../helpers/app';
import {
  checkDemoToken,
  demoConfig,
  demoHealthPid,
  demoPid,
  demoPort,
  demoServices,
  issueDemoToken,
} from '../helpers/demo-service';
import { isAlive } from '../helpers/processes';
import { FAST_KDF_FLAGS, type CliRun, runRekey } from '../helpers/rekey-cli';
import { freeLoopbackPort } from '../helpers/sshd-server';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * "Try it without a server": `rekey demo` (the built CLI, as a user runs it) and `demo.create`
 * (in-process, as the windows call it) make a folder of config files, start the demo service
 * and a vault that rotates its secrets by the demo playbook. A rotation of demo/jwt.secret
 * writes config.yaml, restarts the service (old tokens refused) and ends rotated.
 */

const tempDir = useTempDirs();
// Registered after useTempDirs: after-hooks run in reverse, so services stop before the
// folders go.
const services = demoServices();
afterEach(async () => {
  await services.stopAll();
  for (const pid of services.pids()) expect(isAlive(pid)).toBe(false);
});

const yaml = formatByName('yaml');

interface CliDemo {
  dir: string;
  vaultPath: string;
  rekey(args: readonly string[], stdin?: string): Promise<CliRun>;
  created: CliRun;
  runs: CliRun[];
}

async function cliDemo(root = tempDir()): Promise<CliDemo> {
  const dir = join(root, 'demo');
  const passwordFile = join(root, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  const runs: CliRun[] = [];
  const created = await runRekey([
    '--password-file',
    passwordFile,
    'demo',
    '--dir',
    dir,
    ...FAST_KDF_FLAGS,
  ]);
  services.note(dir);
  runs.push(created);
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const vaultPath = join(dir, 'demo.rekey');
  return {
    dir,
    vaultPath,
    created,
    runs,
    rekey: async (args, stdin) => {
      const run = await runRekey(['--vault', vaultPath, '--password-file', passwordFile, ...args], {
        stdin,
      });
      services.note(dir);
      runs.push(run);
      return run;
    },
  };
}

/** Opens the vault in-process for `body`, and locks it again. */
async function inVault<T>(vaultPath: string, body: (app: RekeyApp) => Promise<T>): Promise<T> {
  const app = createApp({ vaultPath, source: 'cli' });
  await ok(app, 'vault.unlock', { password: PASSWORD });
  try {
    return await body(app);
  } finally {
    app.session.lock(null);
  }
}

/** The current value of a secret, read from the vault in-process. */
async function vaultValue(vaultPath: string, ref: string): Promise<string> {
  return inVault(vaultPath, async (app) => (await ok(app, 'secrets.reveal', { ref })).value);
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('rekey demo (the built CLI)', () => {
  it('makes the folder, the vault and a running service, and says what to try', async () => {
    const demo = await cliDemo();
    const out = demo.created.stdout;
    expect(out).toContain(`Demo created in ${demo.dir}`);
    expect(out).toContain(`rekey --vault ${demo.vaultPath} rotate demo/jwt.secret --dry-run`);
    expect(out).toContain(`rekey --vault ${demo.vaultPath} rotate list`);
    expect(out).toContain(`node ${join(demo.dir, 'demo-service.mjs')} stop`);

    // Owner-only, like everything holding secrets.
    expect(modeOf(demo.dir)).toBe(0o700);
    for (const file of ['synctv/config.yaml', 'livekit/livekit.yaml', 'livekit/.env']) {
      expect(modeOf(join(demo.dir, file))).toBe(0o600);
    }
    expect(modeOf(join(demo.dir, 'synctv'))).toBe(0o700);

    // The service runs, under the pid it wrote.
    const pid = demoPid(demo.dir);
    expect(pid).toBeDefined();
    expect(await demoHealthPid(demo.dir)).toBe(pid);

    // The vault holds what the files hold.
    const config = demoConfig(demo.dir);
    const env = formatByName('dotenv');
    const livekitEnv = readFileSync(join(demo.dir, 'livekit/.env'), 'utf8');
    const livekitYaml = readFileSync(join(demo.dir, 'livekit/livekit.yaml'), 'utf8');
    expect(await vaultValue(demo.vaultPath, 'demo/jwt.secret')).toBe(
      yaml.get(config, 'jwt.secret'),
    );
    expect(await vaultValue(demo.vaultPath, 'demo/server.cluster_secret')).toBe(
      yaml.get(config, 'server.cluster_secret'),
    );
    expect(await vaultValue(demo.vaultPath, 'demo/database.password')).toBe(
      yaml.get(config, 'database.password'),
    );
    const livekit = await vaultValue(demo.vaultPath, 'demo/livekit.api_secret');
    expect(env.get(livekitEnv, 'LIVEKIT_SECRET')).toBe(livekit);
    expect(yaml.get(livekitYaml, 'keys.APIRekeyDemo')).toBe(livekit);

    const list = await demo.rekey(['secret', 'list', '--json']);
    expect(list.code).toBe(0);
    const secrets = JSON.parse(list.stdout) as { ref: string; service: string }[];
    expect(secrets.map((secret) => secret.ref)).toEqual([
      'demo/database.password',
      'demo/jwt.secret',
      'demo/livekit.api_secret',
      'demo/server.cluster_secret',
    ]);
    const deployments = await inVault(demo.vaultPath, (app) => ok(app, 'deployments.list', {}));
    expect(deployments).toMatchObject([
      {
        name: 'demo',
        hosts: ['local'],
        secrets: 4,
        playbook: {
          id: 'demo',
          variables: { dir: demo.dir, port: String(demoPort(demo.dir)), node: process.execPath },
        },
      },
    ]);

    // Nothing the CLI printed carries a value.
    for (const value of [yaml.get(config, 'jwt.secret'), livekit]) {
      for (const run of demo.runs) expect(run.stdout + run.stderr).not.toContain(value);
    }
  });

  it('rotates demo/jwt.secret: config.yaml gets the new value and old tokens are refused', async () => {
    const demo = await cliDemo();
    const oldValue = yaml.get(demoConfig(demo.dir), 'jwt.secret') ?? '';
    const before = await issueDemoToken(demo.dir);
    expect(await checkDemoToken(demo.dir, before)).toBe(200);
    const pidBefore = demoPid(demo.dir);

    const dryRun = await demo.rekey(['rotate', 'demo/jwt.secret', '--dry-run']);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('[new value]');
    expect(dryRun.stdout).toContain('[current value]');
    expect(dryRun.stdout).toContain('Dry run: nothing was changed.');
    expect(yaml.get(demoConfig(demo.dir), 'jwt.secret')).toBe(oldValue);
    expect(demoPid(demo.dir)).toBe(pidBefore);

    const rotated = await demo.rekey(['rotate', 'demo/jwt.secret', '--yes']);
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/Run r_[\w-]+ rotated demo\/jwt\.secret/);

    const newValue = await vaultValue(demo.vaultPath, 'demo/jwt.secret');
    expect(newValue).not.toBe(oldValue);
    expect(yaml.get(demoConfig(demo.dir), 'jwt.secret')).toBe(newValue);

    // The service restarted with the new secret: the token from before is refused.
    const pidAfter = demoPid(demo.dir);
    expect(pidAfter).not.toBe(pidBefore);
    expect(await demoHealthPid(demo.dir)).toBe(pidAfter);
    expect(await checkDemoToken(demo.dir, before)).toBe(401);
    expect(await checkDemoToken(demo.dir, await issueDemoToken(demo.dir))).toBe(200);

    const list = await demo.rekey(['rotate', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject([
      { status: 'rotated', refs: ['demo/jwt.secret'] },
    ]);

    for (const run of demo.runs) {
      expect(run.stdout + run.stderr).not.toContain(oldValue);
      expect(run.stdout + run.stderr).not.toContain(newValue);
    }
  });

  it('refuses a folder that is not empty, before asking anything, and writes nothing', async () => {
    const root = tempDir();
    const dir = join(root, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    // No password source at all: the refusal comes first.
    const run = await runRekey(['demo', '--dir', dir, ...FAST_KDF_FLAGS]);
    expect(run.code).toBe(EXIT_CODES.ALREADY_EXISTS);
    expect(run.stderr).toContain(`${dir} is not empty`);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('rekey demo stop stops the service', async () => {
    const demo = await cliDemo();
    const pid = demoPid(demo.dir) ?? -1;
    const stopped = await runRekey(['demo', 'stop', '--dir', demo.dir]);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`demo service stopped (pid ${pid})`);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(join(demo.dir, 'demo-service.pid'))).toBe(false);
    const again = await runRekey(['demo', 'stop', '--dir', demo.dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('not running');
  });
});

describe('demo.create (in-process, as the windows call it)', () => {
  it('opens the demo vault in the session; a rotation with wait ends rotated', async () => {
    const root = tempDir();
    const dir = join(root, 'demo');
    const app = createApp({ vaultPath: join(root, 'default.rekey'), source: 'desktop' });
    const events: string[] = [];
    app.onEvent((event) => events.push(event.type));
    try {
      const report = await ok(app, 'demo.create', { dir, password: PASSWORD, kdf: FAST_KDF });
      services.note(dir);
      // Windows hear of the vault once, when it is complete.
      expect(events.filter((type) => type !== 'kdf.progress')).toEqual([
        'vault.unlocked',
        'vault.changed',
      ]);
      expect(report.vault).toMatchObject({ path: join(dir, 'demo.rekey'), state: 'unlocked' });
      expect(report.secrets).toHaveLength(4);
      expect(report.service.pid).toBe(demoPid(dir));
      expect(await demoHealthPid(dir)).toBe(report.service.pid);
      expect(app.session.vaultPath).toBe(join(dir, 'demo.rekey'));

      const before = await issueDemoToken(dir);
      const refs = ['demo/jwt.secret', 'demo/livekit.api_secret'];
      for (const ref of refs) {
        const plan = await ok(app, 'rotations.plan', { refs: [ref] });
        const run = await ok(app, 'rotations.start', {
          refs: [ref],
          confirmed: plan.checklist.map((item) => item.id),
          wait: true,
        });
        services.note(dir);
        expect(run.status, run.detail).toBe('rotated');
      }
      const jwt = await ok(app, 'secrets.reveal', { ref: 'demo/jwt.secret' });
      expect(yaml.get(demoConfig(dir), 'jwt.secret')).toBe(jwt.value);
      expect(await checkDemoToken(dir, before)).toBe(401);
      const livekit = await ok(app, 'secrets.reveal', { ref: 'demo/livekit.api_secret' });
      const envText = readFileSync(join(dir, 'livekit/.env'), 'utf8');
      expect(formatByName('dotenv').get(envText, 'LIVEKIT_SECRET')).toBe(livekit.value);
    } finally {
      app.session.lock(null);
    }
  });

  it('takes everything away again when the service cannot start (its port is taken)', async () => {
    const root = tempDir();
    const dir = join(root, 'demo');
    const port = await freeLoopbackPort();
    // Something else answers there (as a service of the user's might).
    const blocker = createServer((_request, response) => response.end('{}'));
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const app = createApp({ vaultPath: join(root, 'default.rekey'), source: 'desktop' });
    const events: string[] = [];
    app.onEvent((event) => events.push(event.type));
    try {
      const result = await app.call('demo.create', {
        dir,
        password: PASSWORD,
        port,
        kdf: FAST_KDF,
      });
      services.note(dir);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('REMOTE_FAILED');
      expect(existsSync(dir)).toBe(false);
      expect(app.session.vault).toBeNull();
      expect(app.session.vaultPath).toBe(join(root, 'default.rekey'));
      expect(events).not.toContain('vault.unlocked');
    } finally {
      blocker.closeAllConnections();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('refuses a relative folder', async () => {
    const app = createApp({ vaultPath: join(tempDir(), 'v.rekey'), source: 'desktop' });
    const result = await app.call('demo.create', { dir: 'rekey-demo', password: PASSWORD });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT');
  });
});
