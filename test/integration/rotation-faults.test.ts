import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { formatByName } from '../../src/main/formats/format';
import { ok } from '../helpers/app';
import { useFakeDocker } from '../helpers/fake-docker';
import { valueOf } from '../helpers/rotation-stack';
import { useTempDirs } from '../helpers/temp';
import { type TokenService, startTokenService } from '../helpers/token-service';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * A LiveKit-style secret kept in two files read by two services: the API secret in
 * `livekit.yaml` (`keys:` map, read by the server from the mounted file) and LIVEKIT_SECRET in
 * the compose `.env` (read by lk-jwt-service from its environment). The rotation writes both,
 * restarts LiveKit, then recreates lk-jwt-service, and checks both. Then a fault at each step:
 * afterwards every target holds the same value, and it is the vault's current one.
 */

const docker = useFakeDocker();
const tempDir = useTempDirs();
let savedPath: string | undefined;
beforeAll(() => {
  savedPath = process.env['PATH'];
  process.env['PATH'] = docker().env['PATH'];
});
afterAll(() => {
  process.env['PATH'] = savedPath;
});

const API_KEY = 'APIu7Rk2Lq9Zx';
const newValue = () => randomBytes(24).toString('base64url');

interface LiveKitStack {
  app: RekeyApp;
  dir: string;
  livekit: TokenService;
  jwt: TokenService;
  oldValue: string;
  /** The value each target holds now, read as the services read them. */
  held(): (string | undefined)[];
  files(): Buffer[];
  stop(): Promise<void>;
}

const TARGETS = `    targets:
      - id: livekit-yaml
        format: yaml
        path: \${dir}/livekit.yaml
        key: keys.${API_KEY}
      - id: compose-env
        service: lk-jwt-service
        format: dotenv
        path: \${dir}/.env
        key: LIVEKIT_SECRET
`;

function playbook(
  extraSteps: string,
  writeTargets = '[livekit-yaml, compose-env]',
  extraTargets = '',
): string {
  return `id: test-livekit
name: LiveKit-style
service: livekit
description: One API secret in two files, read by two services.
variables:
  dir: { description: The compose project directory. }
  livekit_url: { description: LiveKit's URL. }
  jwt_url: { description: lk-jwt-service's URL. }
checklist: [backup]
secrets:
  - name: livekit.api_secret
    description: Signs LiveKit access tokens.
    impact: Calls stop until both services have the new value.
    difficulty: high
    handling: Change both files, restart LiveKit, then lk-jwt-service.
    policy: { kind: interval, days: 180 }
    generator: { kind: base64url, length: 24 }
${TARGETS}${extraTargets}    steps:
      - kind: generate
      - kind: write
        targets: ${writeTargets}
      - kind: restart
        via: compose
        project_dir: \${dir}
        services: [livekit]
      - kind: restart
        via: compose
        project_dir: \${dir}
        services: [lk-jwt-service]
        recreate: true
      - kind: verify
        check: { type: fingerprint, targets: [livekit-yaml, compose-env] }
      - kind: verify
        within_seconds: 10
        check: { type: http, url: '\${livekit_url}/health', status: 200 }
      - kind: verify
        within_seconds: 10
        check: { type: http, url: '\${jwt_url}/health', status: 200 }
${extraSteps}`;
}

async function startLiveKit(root: string, playbookText: string): Promise<LiveKitStack> {
  const dir = join(root, 'livekit');
  mkdirSync(dir, { recursive: true });
  const oldValue = newValue();
  const yamlFile = join(dir, 'livekit.yaml');
  const envFile = join(dir, '.env');
  writeFileSync(
    yamlFile,
    `port: 7880\nkeys:\n  ${API_KEY}: ${oldValue}\nlogging:\n  level: info\n`,
  );
  writeFileSync(
    envFile,
    `LIVEKIT_URL=wss://rtc.example.org\nLIVEKIT_KEY=${API_KEY}\nLIVEKIT_SECRET=${oldValue}\n`,
  );
  const livekit = await startTokenService({
    configFile: yamlFile,
    format: 'yaml',
    key: `keys.${API_KEY}`,
  });
  const jwt = await startTokenService({
    configFile: envFile,
    format: 'dotenv',
    key: 'LIVEKIT_SECRET',
    delivery: 'environment',
  });
  docker().register('livekit', livekit, { projectDir: dir });
  docker().register('lk-jwt-service', jwt, { projectDir: dir });
  const app = createApp({ vaultPath: join(root, 'vault.rekey'), source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  await ok(app, 'secrets.add', {
    ref: 'rtc/livekit.api_secret',
    value: { kind: 'enter', value: oldValue },
  });
  await ok(app, 'playbooks.add', { text: playbookText, fileName: 'test-livekit.yaml' });
  await ok(app, 'deployments.setPlaybook', {
    name: 'rtc',
    playbook: 'test-livekit',
    variables: { dir, livekit_url: livekit.url, jwt_url: jwt.url },
  });
  return {
    app,
    dir,
    livekit,
    jwt,
    oldValue,
    held: () => [
      formatByName('yaml').get(readFileSync(yamlFile, 'utf8'), `keys.${API_KEY}`),
      formatByName('dotenv').get(readFileSync(envFile, 'utf8'), 'LIVEKIT_SECRET'),
    ],
    files: () => [readFileSync(yamlFile), readFileSync(envFile)],
    stop: async () => {
      await livekit.stop();
      await jwt.stop();
    },
  };
}

const REF = 'rtc/livekit.api_secret';

async function rotate(stack: LiveKitStack) {
  return ok(stack.app, 'rotations.start', { refs: [REF], confirmed: ['backup'], wait: true });
}

/** The rule a rotation must keep whatever happens: one value everywhere, the vault's current. */
async function expectConsistent(stack: LiveKitStack): Promise<string> {
  const current = await valueOf(stack.app, REF);
  expect(stack.held()).toEqual([current, current]);
  return current;
}

async function withLiveKit(text: string, test: (stack: LiveKitStack) => Promise<void>) {
  const stack = await startLiveKit(tempDir(), text);
  try {
    await test(stack);
  } finally {
    await stack.stop();
  }
}

describe('a secret in two files, two services restarted in order', () => {
  it('rotates both files, restarts LiveKit before lk-jwt-service, and both take the new value', async () => {
    await withLiveKit(playbook(''), async (stack) => {
      const oldTokens = [await stack.livekit.issueToken(), await stack.jwt.issueToken()];
      const callsBefore = docker().calls().length;

      const run = await rotate(stack);

      expect(run.status).toBe('rotated');
      const current = await expectConsistent(stack);
      expect(current).not.toBe(stack.oldValue);
      const order = docker()
        .calls()
        .slice(callsBefore)
        .map((call) => call.args.at(-1));
      expect(order).toEqual(['livekit', 'lk-jwt-service']);
      expect(await stack.livekit.check(oldTokens[0] ?? '')).toBe(401);
      expect(await stack.jwt.check(oldTokens[1] ?? '')).toBe(401);
      expect(await stack.jwt.check(await stack.livekit.issueToken())).toBe(200);
    });
  });
});

describe('a fault at each step leaves the old value everywhere, and the vault agrees', () => {
  const faults: [string, string, string, string][] = [
    [
      'the second write fails',
      '',
      '[livekit-yaml, compose-env, missing]',
      `      - id: missing
        format: dotenv
        path: \${dir}/no-such-dir/.env
        key: LIVEKIT_SECRET
`,
    ],
    [
      'a restart fails',
      // Fails while the new value is in place (once), works again for the rollback.
      `      - kind: restart
        via: command
        argv: [sh, -c, 'test ! -e "$0/fail-once" || { rm "$0/fail-once"; exit 1; }', '\${dir}']
`,
      '[livekit-yaml, compose-env]',
      '',
    ],
    [
      'a check fails',
      `      - kind: verify
        within_seconds: 1
        check: { type: http, url: '\${jwt_url}/no-such-page', status: 200 }
`,
      '[livekit-yaml, compose-env]',
      '',
    ],
    [
      'a command fails',
      `      - kind: exec
        argv: [sh, -c, 'exit 3']
`,
      '[livekit-yaml, compose-env]',
      '',
    ],
  ];

  it.each(faults)('%s', async (_name, extraSteps, writeTargets, extraTargets) => {
    await withLiveKit(playbook(extraSteps, writeTargets, extraTargets), async (stack) => {
      writeFileSync(join(stack.dir, 'fail-once'), '');
      const before = stack.files();
      const oldToken = await stack.jwt.issueToken();

      const run = await rotate(stack);

      expect(run.status).toBe('rolled-back');
      expect(await expectConsistent(stack)).toBe(stack.oldValue);
      // Byte for byte: the backups went back in place.
      expect(stack.files()).toEqual(before);
      // Both services run with the old value again.
      expect(await stack.jwt.check(oldToken)).toBe(200);
      expect(await stack.livekit.check(await stack.jwt.issueToken())).toBe(200);
      const detail = await ok(stack.app, 'secrets.get', { ref: REF });
      expect(detail.versions.flatMap((version) => version.labels).sort()).toEqual(['current']);
      expect(JSON.stringify(run)).not.toContain(stack.oldValue);
    });
  });

  it('a rollback step that fails ends needs-attention with what to do by hand', async () => {
    // The undo of this command fails: Rekey cannot undo it, and says so.
    const steps = `      - kind: exec
        argv: ['true']
        undo: [sh, -c, 'exit 4']
      - kind: verify
        within_seconds: 1
        check: { type: http, url: '\${jwt_url}/no-such-page', status: 200 }
`;
    await withLiveKit(playbook(steps), async (stack) => {
      const run = await rotate(stack);

      expect(run.status).toBe('needs-attention');
      expect(run.detail).toMatch(/by hand/);
      expect(run.detail).toMatch(/run `sh -c exit 4`/);
      // Everything else was undone: the files hold the old value, which is still current.
      expect(await expectConsistent(stack)).toBe(stack.oldValue);
      const detail = await ok(stack.app, 'secrets.get', { ref: REF });
      expect(detail.versions.flatMap((version) => version.labels).sort()).toEqual([
        'current',
        'pending',
      ]);
      // A secret whose run needs attention does not start another.
      const again = await stack.app.call('rotations.start', { refs: [REF], confirmed: ['backup'] });
      expect(again.ok ? '' : again.error.code).toBe('CONFLICT');
    });
  });
});
