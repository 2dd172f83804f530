import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRekeyError } from '../../src/shared/errors';
import {
  BUILTIN_PLAYBOOK_FILES,
  builtinPlaybook,
  builtinPlaybooks,
} from '../../src/main/rotation/builtin-playbooks';
import {
  type Playbook,
  type PlaybookSecret,
  PlaybookInvalid,
  checkPlaybook,
  loadPlaybook,
} from '../../src/main/rotation/playbook';
import { playbookDetail } from '../../src/main/rotation/playbook-view';
import type { Step } from '../../src/main/rotation/playbook-steps';

const PLAYBOOK_DIR = fileURLToPath(new URL('../../resources/playbooks/', import.meta.url));

function secretOf(playbookId: string, name: string): PlaybookSecret {
  const secret = builtinPlaybook(playbookId)?.secrets.find((candidate) => candidate.name === name);
  if (!secret) throw new Error(`no ${playbookId}/${name}`);
  return secret;
}

function kinds(secret: PlaybookSecret): string[] {
  return secret.steps.map((step) => step.kind);
}

function stepsOf<K extends Step['kind']>(secret: PlaybookSecret, kind: K) {
  return secret.steps.filter((step): step is Extract<Step, { kind: K }> => step.kind === kind);
}

/** Every string of a step's arguments, wherever it runs a command. */
function argvsOf(playbook: Playbook): string[][] {
  const found: string[][] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'argv' || key === 'via') && Array.isArray(value))
          found.push(value as string[]);
        else visit(value);
      }
    }
  };
  visit(playbook.secrets);
  return found;
}

describe('built-in playbooks', () => {
  it('are every file of resources/playbooks, bundled as written, and all load', () => {
    const onDisk = readdirSync(PLAYBOOK_DIR).filter((name) => name.endsWith('.yaml'));
    expect(Object.keys(BUILTIN_PLAYBOOK_FILES).sort()).toEqual(onDisk.sort());
    for (const [fileName, text] of Object.entries(BUILTIN_PLAYBOOK_FILES)) {
      expect(text).toBe(readFileSync(`${PLAYBOOK_DIR}${fileName}`, 'utf8'));
      const checked = checkPlaybook(text, fileName);
      expect(checked.ok ? [] : checked.problems.map((p) => p.text)).toEqual([]);
    }
    expect(builtinPlaybooks().map((playbook) => playbook.id)).toEqual([
      'synctv',
      'synctv-kubernetes',
      'livekit',
      'livekit-kubernetes',
      'synapse',
      'synapse-kubernetes',
      'postgresql',
      'redis',
      'generic-file',
    ]);
  });

  it('describe the SyncTV secrets of services.md', () => {
    expect(builtinPlaybook('synctv')?.secrets.map((secret) => secret.name)).toEqual([
      'jwt.secret',
      'server.cluster_secret',
      'management.auth_token',
      'metrics.auth.bearer_token',
      'database.password',
      'security.credential_encryption_key',
      'security.opaque_server_setup_secret',
      'bootstrap.root_password',
    ]);
  });

  // Facts copied from services.md: generator, stability and difficulty of each secret.
  it.each([
    ['synctv', 'jwt.secret', { kind: 'base64', length: 32 }, 'medium', false],
    ['synctv', 'security.opaque_server_setup_secret', { kind: 'base64', length: 48 }, 'high', true],
    ['synctv', 'security.credential_encryption_key', { kind: 'hex', length: 32 }, 'high', true],
    ['synctv', 'server.cluster_secret', { kind: 'hex', length: 32 }, 'medium', false],
    ['synctv', 'management.auth_token', { kind: 'base64url', length: 32 }, 'low', false],
    ['synctv', 'metrics.auth.bearer_token', { kind: 'base64url', length: 32 }, 'low', false],
    ['synctv', 'database.password', { kind: 'alphanumeric', length: 32 }, 'medium', false],
    ['livekit', 'api.secret', { kind: 'hex', length: 32 }, 'medium', false],
    ['synapse', 'registration_shared_secret', { kind: 'base64url', length: 32 }, 'low', false],
    ['synapse', 'macaroon_secret_key', { kind: 'base64url', length: 32 }, 'medium', false],
    ['synapse', 'form_secret', { kind: 'base64url', length: 32 }, 'low', false],
    ['synapse', 'database.password', { kind: 'alphanumeric', length: 32 }, 'medium', false],
    ['synapse', 'signing_key', null, 'high', true],
  ] as const)('%s %s: generator %o, %s, guarded %s', (id, name, generator, difficulty, guarded) => {
    const secret = secretOf(id, name);
    expect(secret.generator).toEqual(generator);
    expect(secret.difficulty).toBe(difficulty);
    expect(secret.guarded).toBe(guarded);
    if (guarded) {
      expect(secret.guard_reason?.length).toBeGreaterThan(40);
      expect(secret.policy).toEqual({ kind: 'manual' });
    }
  });

  it('mark exactly the secrets that must stay stable as guarded', () => {
    const guarded = builtinPlaybooks().flatMap((playbook) =>
      playbook.secrets
        .filter((secret) => secret.guarded)
        .map((secret) => `${playbook.id}/${secret.name}`),
    );
    expect(guarded).toEqual([
      'synctv/security.credential_encryption_key',
      'synctv/security.opaque_server_setup_secret',
      'synctv/bootstrap.root_password',
      'synctv-kubernetes/security.credential_encryption_key',
      'synctv-kubernetes/security.opaque_server_setup_secret',
      'synctv-kubernetes/bootstrap.root_password',
      'synapse/signing_key',
      'synapse-kubernetes/signing_key',
    ]);
  });

  it('rotate SyncTV on Kubernetes by the same rules as on compose, with rollout restarts', () => {
    const compose = builtinPlaybook('synctv') as Playbook;
    const kube = builtinPlaybook('synctv-kubernetes') as Playbook;
    expect(kube.service).toBe(compose.service);
    expect(kube.checklist).toEqual(compose.checklist);
    // ALTER ROLE needs a host with psql: the database password stays with the compose playbook.
    expect(kube.secrets.map((secret) => secret.name)).toEqual(
      compose.secrets.map((secret) => secret.name).filter((name) => name !== 'database.password'),
    );
    for (const secret of kube.secrets) {
      const twin = compose.secrets.find((candidate) => candidate.name === secret.name);
      const facts = (s: typeof secret) => [s.generator, s.difficulty, s.guarded, s.policy, s.tags];
      expect(facts(secret), secret.name).toEqual(facts(twin as typeof secret));
      expect(secret.on_exposure, secret.name).toEqual(twin?.on_exposure);
      expect(secret.targets.every((target) => target.format === 'kubernetes')).toBe(true);
      const restarts = secret.steps.filter((step) => step.kind === 'restart');
      expect(restarts.every((step) => step.via === 'kubernetes')).toBe(true);
      // Without a migration inside the cluster, the encryption key cannot lose its guard.
      expect(secret.steps.some((step) => step.kind === 'migrate')).toBe(false);
    }
    expect(secretOf('synctv-kubernetes', 'jwt.secret').targets).toEqual([
      expect.objectContaining({ path: '${namespace}/${secret_name}', key: 'SYNCTV_JWT_SECRET' }),
    ]);
  });

  it.each([
    // The database password needs ALTER ROLE on a host with psql: it stays with compose.
    ['livekit', 'livekit-kubernetes', []],
    ['synapse', 'synapse-kubernetes', ['database.password']],
  ] as const)(
    'rotate %s on Kubernetes by the same rules, values inside config files kept in Secrets',
    (composeId, kubeId, hostOnly) => {
      const compose = builtinPlaybook(composeId) as Playbook;
      const kube = builtinPlaybook(kubeId) as Playbook;
      expect(kube.service).toBe(compose.service);
      expect(kube.secrets.map((secret) => secret.name)).toEqual(
        compose.secrets
          .map((secret) => secret.name)
          .filter((name) => !hostOnly.includes(name as never)),
      );
      for (const secret of kube.secrets) {
        const twin = compose.secrets.find((candidate) => candidate.name === secret.name);
        const facts = (s: typeof secret) => [
          s.generator,
          s.difficulty,
          s.guarded,
          s.policy,
          s.tags,
        ];
        expect(facts(secret), secret.name).toEqual(facts(twin as typeof secret));
        expect(secret.targets.every((target) => target.format === 'kubernetes')).toBe(true);
        const restarts = secret.steps.filter((step) => step.kind === 'restart');
        expect(restarts.length, secret.name).toBeGreaterThan(0);
        expect(restarts.every((step) => step.via === 'kubernetes')).toBe(true);
        // A YAML key of the compose file is the same key inside the file kept in the Secret.
        for (const target of twin?.targets ?? []) {
          if (target.format !== 'yaml') continue;
          const inner = secret.targets.map((candidate) => candidate.inner?.key);
          const key = (target.key ?? '').replace(/^keys\./, '');
          expect(inner, `${secret.name} ${target.key}`).toContain(key);
        }
      }
    },
  );

  it('rotate the SyncTV credential key only through the migration flow of the hardening guide', () => {
    const key = secretOf('synctv', 'security.credential_encryption_key');
    // Back up (checklist), stop writes, re-encrypt with old and new, switch config, start, verify.
    expect(kinds(key)).toEqual([
      'generate',
      'exec',
      'migrate',
      'write',
      'restart',
      'verify',
      'verify',
      'confirm',
    ]);
    const [stop] = stepsOf(key, 'exec');
    expect(stop?.argv).toContain('stop');
    expect(stop?.undo).toContain('start');
    const [migrate] = stepsOf(key, 'migrate');
    expect(migrate?.env).toEqual({ OLD_KEY: '${secret.current}', NEW_KEY: '${secret.pending}' });
    expect(migrate?.argv).toEqual(['${migrate_command}']);
    // No default: a deployment without a migration command cannot run it.
    expect(builtinPlaybook('synctv')?.variables['migrate_command']?.default).toBeUndefined();
    expect(key.checklist.map((item) => (typeof item === 'string' ? item : item.id))).toContain(
      'database-backup-with-key',
    );
  });

  it('change LiveKit in livekit.yaml and the .env together, LiveKit first, checked by fingerprint', () => {
    const secret = secretOf('livekit', 'api.secret');
    expect(secret.targets).toEqual([
      expect.objectContaining({
        id: 'livekit-config',
        format: 'yaml',
        path: '${livekit_dir}/livekit.yaml',
        key: 'keys.${api_key}',
      }),
      expect.objectContaining({
        id: 'compose-env',
        service: 'lk-jwt-service',
        format: 'dotenv',
        path: '${compose_dir}/.env',
        key: 'LIVEKIT_SECRET',
      }),
    ]);
    expect(kinds(secret)).toEqual(['generate', 'write', 'restart', 'verify', 'verify', 'confirm']);
    const [restart] = stepsOf(secret, 'restart');
    expect(restart).toMatchObject({
      via: 'compose',
      services: ['${livekit_service}', '${jwt_service}'],
      recreate: true,
    });
    expect(builtinPlaybook('livekit')?.variables).toMatchObject({
      livekit_service: { default: 'livekit' },
      jwt_service: { default: 'lk-jwt-service' },
    });
    expect(stepsOf(secret, 'verify')[0]?.check).toEqual({
      type: 'fingerprint',
      targets: ['livekit-config', 'compose-env'],
    });
  });

  it('never print a value to check it: no docker inspect, no cat, no echo of a secret', () => {
    for (const playbook of builtinPlaybooks()) {
      for (const argv of argvsOf(playbook)) {
        expect(argv).not.toContain('inspect');
        expect(argv).not.toContain('cat');
        expect(argv).not.toContain('echo');
      }
    }
  });

  it('change database passwords with ALTER ROLE and check the new login and the old refusal', () => {
    for (const secret of [
      secretOf('synctv', 'database.password'),
      secretOf('synapse', 'database.password'),
      secretOf('postgresql', 'db.password'),
    ]) {
      const order = kinds(secret);
      expect(order.indexOf('sql')).toBeLessThan(order.indexOf('write'));
      const checks = stepsOf(secret, 'verify').map((step) => step.check.type);
      expect(checks).toEqual(expect.arrayContaining(['sql-login', 'old-rejected']));
    }
  });

  it('keep both Redis passwords valid while the applications switch', () => {
    const secret = secretOf('redis', 'redis.password');
    const redisSteps = stepsOf(secret, 'redis').map((step) => step.action);
    expect(redisSteps).toEqual(['add-password', 'remove-old-password']);
    const order = kinds(secret);
    const add = order.indexOf('redis');
    const remove = order.lastIndexOf('redis');
    expect(add).toBeLessThan(order.indexOf('write'));
    expect(remove).toBeGreaterThan(order.indexOf('restart'));
    expect(remove).toBeGreaterThan(order.indexOf('verify'));
  });

  it('offer a generic file + restart + HTTP check playbook', () => {
    const [secret] = builtinPlaybook('generic-file')?.secrets ?? [];
    expect(secret && kinds(secret)).toEqual([
      'generate',
      'write',
      'restart',
      'verify',
      'verify',
      'watch',
    ]);
    expect(secret?.targets[0]).toMatchObject({ format: 'file', path: '${secret_file}' });
  });

  it('give every secret the standard checklist plus its own items', () => {
    const detail = playbookDetail(builtinPlaybook('synctv') as Playbook, 'builtin');
    const jwt = detail.secrets.find((secret) => secret.name === 'jwt.secret');
    expect(jwt?.checklist.map((item) => item.id)).toEqual([
      'backup',
      'blast-radius',
      'validated',
      'rollback',
      'notify-users',
      'quiet-window',
      'expect-relogin',
    ]);
    expect(jwt?.checklist[0]?.text).toMatch(/backup/i);
  });
});

/** A valid playbook whose steps list ends at line 25, so each test knows its lines. */
const HEADER = `id: demo
name: Demo service
service: demo
description: A small playbook for the tests.
variables:
  compose_dir:
    description: The compose project.
    default: /srv/demo
  base_url:
    description: Where the service answers.
secrets:
  - name: api.token
    description: Signs the API tokens.
    impact: API clients must log in again.
    difficulty: medium
    handling: Restart after the change.
    policy: { kind: interval, days: 90 }
    generator: { kind: hex, length: 32 }
    targets:
      - id: env
        format: dotenv
        path: \${compose_dir}/.env
        key: API_TOKEN
    steps:
      - kind: generate
`;

function withSteps(...lines: string[]): string {
  return HEADER + lines.map((line) => `      ${line}\n`).join('');
}

function problems(text: string, fileName = 'demo.yaml'): string[] {
  const checked = checkPlaybook(text, fileName);
  return checked.ok ? [] : checked.problems.map((problem) => problem.text);
}

describe('playbook rules', () => {
  it('load a valid playbook with its defaults filled in', () => {
    const playbook = loadPlaybook(
      withSteps(
        '- kind: write',
        '  targets: [env]',
        '- kind: verify',
        '  check: { type: fingerprint }',
      ),
      'demo.yaml',
    );
    expect(playbook.checklist).toEqual([
      'backup',
      'blast-radius',
      'validated',
      'rollback',
      'notify-users',
      'quiet-window',
    ]);
    expect(playbook.secrets[0]?.guarded).toBe(false);
    expect(playbook.secrets[0]?.steps[2]).toEqual({
      kind: 'verify',
      check: { type: 'fingerprint' },
      within_seconds: 60,
    });
  });

  it('refuse a secret placeholder in argv, naming file, line and field', () => {
    const text = withSteps(
      '- kind: exec', // 26
      '  argv:',
      '    - sh',
      '    - -c',
      '    - app --token ${secret.pending}', // 30
      '  env: { TOKEN: "${secret.pending}" }',
    );
    expect(problems(text, 'synctv.yaml')).toEqual([
      'synctv.yaml:30: secrets[0].steps[1].argv[2]: secret values must not be in argv; use stdin or env',
    ]);
    expect(() => loadPlaybook(text, 'synctv.yaml')).toThrow(PlaybookInvalid);
  });

  it.each([
    [
      'a command check',
      ['- kind: verify', '  check: { type: command, argv: [app, "${secret.current}"] }'],
      'demo.yaml:27: secrets[0].steps[1].check.argv[1]',
    ],
    [
      'a restart command',
      ['- kind: restart', '  via: command', '  argv: [reload, "${secret.pending}"]'],
      'demo.yaml:28: secrets[0].steps[1].argv[1]',
    ],
    [
      'a migration',
      [
        '- kind: migrate',
        '  argv: [migrate, "${secret.pending}"]',
        '  env: { OLD: "${secret.current}", NEW: "${secret.pending}" }',
      ],
      'demo.yaml:27: secrets[0].steps[1].argv[1]',
    ],
    [
      'a psql prefix',
      ['- kind: sql', '  role: app', '  via: [docker, exec, "${secret.pending}"]'],
      'demo.yaml:28: secrets[0].steps[1].via[2]',
    ],
  ])('refuse a secret placeholder in the argv of %s', (_what, lines, where) => {
    expect(problems(withSteps(...lines))).toEqual([
      `${where}: secret values must not be in argv; use stdin or env`,
    ]);
  });

  it('refuse a secret placeholder in paths and URLs, and accept it in stdin, env and headers', () => {
    expect(
      problems(
        withSteps(
          '- kind: verify',
          '  check: { type: http, url: "${base_url}/?t=${secret.pending}" }',
        ),
      ),
    ).toEqual([
      'demo.yaml:27: secrets[0].steps[1].check.url: secret values may appear only in stdin, env, HTTP headers and HTTP bodies',
    ]);
    expect(
      problems(
        withSteps(
          '- kind: exec',
          '  argv: [app, rotate]',
          '  stdin: "${secret.pending}"',
          '  env: { OLD: "${secret.current}" }',
          '- kind: verify',
          '  check:',
          '    type: http',
          '    url: ${base_url}/api',
          '    headers: { Authorization: "Bearer ${secret.pending}" }',
        ),
      ),
    ).toEqual([]);
  });

  it('refuse an unknown step kind', () => {
    expect(problems(withSteps('- kind: teleport', '  to: mars'))).toEqual([
      'demo.yaml:26: secrets[0].steps[1].kind: unknown step kind; expected one of generate, write, exec, sql, redis, restart, verify, watch, confirm, migrate',
    ]);
    expect(problems(withSteps('- title: no kind here'))).toEqual([
      'demo.yaml:26: secrets[0].steps[1].kind: missing step kind; expected one of generate, write, exec, sql, redis, restart, verify, watch, confirm, migrate',
    ]);
  });

  it('refuse an undefined variable, even when the file has other mistakes', () => {
    expect(
      problems(withSteps('- kind: exec', '  argv: [docker, compose, -f, "${compose_file}", up]')),
    ).toEqual([
      'demo.yaml:27: secrets[0].steps[1].argv[3]: undefined variable ${compose_file}; declare it under variables',
    ]);
    expect(
      problems(
        withSteps(
          '- kind: exec',
          '  argv: [app, "${nowhere}"]',
          '- kind: restart',
          '  via: compose',
        ),
      ),
    ).toEqual([
      'demo.yaml:27: secrets[0].steps[1].argv[1]: undefined variable ${nowhere}; declare it under variables',
      'demo.yaml:28: secrets[0].steps[2].project_dir: required',
      'demo.yaml:28: secrets[0].steps[2].services: required',
    ]);
  });

  it('refuse a missing field at the line of its mapping', () => {
    const text = HEADER.replace('    impact: API clients must log in again.\n', '');
    expect(problems(text)).toEqual(['demo.yaml:12: secrets[0].impact: required']);
    expect(problems(withSteps('- kind: confirm', '  title: Nothing to confirm'))).toEqual([
      'demo.yaml:26: secrets[0].steps[1].text: required',
    ]);
  });

  it('refuse a wrong type, an unknown field and a bad value, each at its own line', () => {
    const text = withSteps(
      '- kind: watch', // 26
      '  seconds: ten minutes',
      '  check: { type: tcp, host: localhost, port: 70000 }',
      '  colour: blue',
    )
      .replace('    difficulty: medium\n', '    difficulty: extreme\n')
      .replace(
        '    generator: { kind: hex, length: 32 }',
        '    generator: { kind: hex, length: 0 }',
      );
    expect(problems(text)).toEqual([
      'demo.yaml:15: secrets[0].difficulty: expected one of low, medium, high',
      'demo.yaml:18: secrets[0].generator: Length for hex must be a whole number from 1 to 1024',
      'demo.yaml:27: secrets[0].steps[1].seconds: expected a number, not text',
      'demo.yaml:28: secrets[0].steps[1].check.port: must be at most 65535',
      'demo.yaml:29: secrets[0].steps[1].colour: unknown field',
    ]);
  });

  it('mark guarded secrets and insist on the reason the wizard shows', () => {
    const guarded = HEADER.replace(
      '    generator: { kind: hex, length: 32 }\n',
      '    generator: { kind: hex, length: 32 }\n    guarded: true\n',
    );
    expect(problems(guarded)).toEqual([
      'demo.yaml:12: secrets[0].guard_reason: a guarded secret needs a guard_reason: the wizard shows it',
    ]);
    const explained = guarded.replace(
      '    guarded: true\n',
      '    guarded: true\n    guard_reason: Old tokens would all fail at once.\n',
    );
    expect(loadPlaybook(explained, 'demo.yaml').secrets[0]).toMatchObject({
      guarded: true,
      guard_reason: 'Old tokens would all fail at once.',
    });
    const reasonOnly = HEADER.replace(
      '    generator: { kind: hex, length: 32 }\n',
      '    generator: { kind: hex, length: 32 }\n    guard_reason: Not guarded though.\n',
    );
    expect(problems(reasonOnly)).toEqual([
      'demo.yaml:19: secrets[0].guard_reason: guard_reason is only for guarded secrets (guarded: true)',
    ]);
  });

  it('insist on one generate step before anything uses the new value', () => {
    const early = HEADER.replace(
      '      - kind: generate\n',
      '      - kind: write\n        targets: [env]\n      - kind: generate\n',
    );
    expect(problems(early)).toEqual([
      'demo.yaml:25: secrets[0].steps[0].kind: this step uses the new value, so a generate step must come before it',
    ]);
    expect(problems(withSteps('- kind: generate'))).toEqual([
      'demo.yaml:26: secrets[0].steps[1].kind: a secret has one generate step',
    ]);
    const noGenerator = HEADER.replace(
      '    generator: { kind: hex, length: 32 }',
      '    generator: null',
    );
    expect(problems(noGenerator)).toEqual([
      'demo.yaml:25: secrets[0].steps[0].kind: generate needs the secret to have a generator, e.g. { kind: hex, length: 32 }',
    ]);
  });

  it('refuse steps that name targets the secret does not have', () => {
    expect(
      problems(
        withSteps(
          '- kind: write', // 26
          '  targets: [env, config]',
          '- kind: verify',
          '  check: { type: fingerprint, targets: [nope] }',
        ),
      ),
    ).toEqual([
      'demo.yaml:27: secrets[0].steps[1].targets[1]: no target of this secret has that id; expected one of env',
      'demo.yaml:29: secrets[0].steps[2].check.targets[0]: no target of this secret has that id; expected one of env',
    ]);
  });

  it('insist that a migration gets the old and the new value', () => {
    expect(
      problems(
        withSteps('- kind: migrate', '  argv: [reencrypt]', '  env: { NEW: "${secret.pending}" }'),
      ),
    ).toEqual([
      'demo.yaml:28: secrets[0].steps[1].env: a migration needs the old and the new value: put ${secret.current} and ${secret.pending} in env',
    ]);
  });

  it('refuse a watch whose interval is longer than the watch', () => {
    expect(
      problems(
        withSteps(
          '- kind: watch',
          '  seconds: 30',
          '  interval_seconds: 60',
          '  check: { type: http, url: "${base_url}/" }',
        ),
      ),
    ).toEqual([
      'demo.yaml:28: secrets[0].steps[1].interval_seconds: interval_seconds must not be longer than seconds',
    ]);
  });

  it('take Kubernetes Secret keys as targets and rollout restarts as steps', () => {
    const kube = (path: string, key: string) =>
      HEADER.replace('        format: dotenv', '        format: kubernetes')
        .replace('        path: ${compose_dir}/.env', `        path: ${path}`)
        .replace('        key: API_TOKEN', `        key: ${key}`);
    const restart = [
      '- kind: write',
      '  targets: [env]',
      '- kind: restart',
      '  via: kubernetes',
      '  workloads:',
      "    - { kind: Deployment, name: web, namespace: '${compose_dir}' }",
      '    - { kind: StatefulSet, name: worker }',
    ];
    const valid = loadPlaybook(
      kube('prod/app-secrets', 'API_TOKEN') + restart.map((l) => `      ${l}\n`).join(''),
      'demo.yaml',
    );
    expect(valid.secrets[0]?.steps[2]).toMatchObject({
      kind: 'restart',
      via: 'kubernetes',
      timeout_seconds: 300,
      workloads: [
        { kind: 'Deployment', name: 'web', namespace: '${compose_dir}' },
        { kind: 'StatefulSet', name: 'worker' },
      ],
    });
    expect(problems(kube('app-secrets', 'api.token'))).toEqual([]);
    expect(problems(kube('/srv/app', 'API_TOKEN'))).toEqual([
      'demo.yaml:22: secrets[0].targets[0].path: expected the Secret as namespace/name, or name alone',
    ]);
    expect(problems(kube('/app', 'API_TOKEN'))[0]).toContain('a namespace is empty');
    expect(problems(kube('Prod/app', 'API_TOKEN'))[0]).toContain('is not a valid namespace');
    expect(problems(kube('prod/app', 'API TOKEN'))[0]).toContain('is not a valid Secret key');
    const withMode = kube('prod/app', 'API_TOKEN').replace(
      '        key: API_TOKEN',
      "        key: API_TOKEN\n        mode: '0600'",
    );
    expect(problems(withMode)).toEqual([
      'demo.yaml:24: secrets[0].targets[0].mode: a Kubernetes Secret key has no file mode: leave mode out',
    ]);
    // A config file kept whole in a Secret key: the value's key path is checked by its format.
    const withInner = (inner: string, target = kube('prod/app', 'homeserver.yaml')) =>
      target.replace(
        '        key: homeserver.yaml',
        `        key: homeserver.yaml\n        inner: ${inner}`,
      );
    expect(problems(withInner('{ format: yaml, key: database.args.password }'))).toEqual([]);
    expect(problems(withInner('{ format: yaml, key: "a..b" }'))[0]).toMatch(
      /^demo\.yaml:24: secrets\[0\]\.targets\[0\]\.inner: /,
    );
    expect(problems(withInner('{ format: dotenv, key: "NOT VALID" }'))[0]).toContain(
      'a dotenv key is a variable name',
    );
    expect(problems(withInner('{ format: file, key: x }'))[0]).toMatch(/inner\.format/);
    // A whole Secret from one value: more keys made from it, only on a kubernetes target.
    const withDerived = (lines: string) =>
      kube('prod/app', 'password').replace(
        '        key: password',
        `        key: password\n        derived_keys:\n${lines}`,
      );
    expect(
      problems(withDerived("          URL: 'postgres://app:${secret.pending}@db/app'\n")),
    ).toEqual([]);
    expect(problems(withDerived("          URL: '${secret.current}'\n"))[0]).toContain(
      'a derived key is made from the value it goes with',
    );
    expect(problems(withDerived('          password: x\n'))[0]).toContain(
      'a derived key is another key',
    );
    expect(problems(withDerived('          "bad key": x\n'))[0]).toContain(
      'is not a valid Secret key',
    );
    expect(
      problems(HEADER.replace('        key: ', '        derived_keys: { B: x }\n        key: ')),
    ).toContainEqual(expect.stringContaining('only a kubernetes target has derived keys'));
    const onHost = HEADER.replace(
      '        key: ',
      '        inner: { format: yaml, key: a }\n        key: ',
    );
    expect(problems(onHost)).toContainEqual(
      expect.stringContaining(
        'inner: only a kubernetes target holds a config file in a Secret key: leave inner out',
      ),
    );
    expect(
      problems(
        withSteps(
          '- kind: restart',
          '  via: kubernetes',
          '  workloads: [{ kind: Pod, name: web }]',
        ),
      )[0],
    ).toMatch(/workloads\[0\]\.kind/);
  });

  it('check target keys against their format', () => {
    const fileWithKey = HEADER.replace('        format: dotenv', '        format: file');
    expect(problems(fileWithKey)).toEqual([
      'demo.yaml:23: secrets[0].targets[0].key: a secret file holds one value: leave key out',
    ]);
    const badDotenv = HEADER.replace('        key: API_TOKEN', '        key: API-TOKEN');
    expect(problems(badDotenv)).toEqual([
      'demo.yaml:23: secrets[0].targets[0].key: a dotenv key is a variable name: letters, digits and "_"',
    ]);
    const badPath = HEADER.replace('        format: dotenv', '        format: yaml').replace(
      '        key: API_TOKEN',
      '        key: api..token',
    );
    expect(problems(badPath)[0]).toMatch(/^demo\.yaml:23: secrets\[0\]\.targets\[0\]\.key: /);
    const noKey = HEADER.replace('        key: API_TOKEN\n', '');
    expect(problems(noKey)).toEqual([
      'demo.yaml:20: secrets[0].targets[0].key: required for a dotenv target',
    ]);
  });

  it('report YAML syntax errors, duplicate keys, empty files and several documents by line', () => {
    expect(problems(`${HEADER}      - kind: confirm\n        text: [unclosed\n`)).toEqual([
      expect.stringMatching(/^demo\.yaml:28: YAML: /),
    ]);
    expect(
      problems(HEADER.replace('name: Demo service\n', 'name: Demo service\nname: Again\n')),
    ).toEqual(['demo.yaml:3: a key appears twice in the same mapping']);
    expect(problems('')).toEqual([
      'demo.yaml:1: the file is empty; a playbook starts with id, name, service and secrets',
    ]);
    expect(problems(`${HEADER}---\nid: second\n`)).toEqual([
      'demo.yaml:26: a playbook file holds one YAML document (one ---)',
    ]);
    expect(problems('- just\n- a list\n')).toEqual(['demo.yaml:1: expected a mapping, not a list']);
  });

  it('never quote a value from the file in a message', () => {
    const value = 'hunter2-Tr0ub4dor-value';
    const texts = [
      HEADER.replace('    generator: { kind: hex, length: 32 }', `    generator: ${value}`),
      HEADER.replace('    difficulty: medium', `    difficulty: ${value}`),
      withSteps('- kind: exec', `  argv: [app, "${value}\${secret.pending}"]`),
      withSteps(`- kind: ${value}`),
      withSteps('- kind: confirm', `  text: "${value}`),
      HEADER.replace('id: demo', `id: ${value}: nested`),
    ];
    for (const text of texts) {
      const found = problems(text);
      expect(found.length).toBeGreaterThan(0);
      expect(found.join('\n')).not.toContain(value);
    }
  });

  it('throw one INVALID_INPUT error listing every problem', () => {
    const text = withSteps(
      '- kind: teleport',
      '- kind: exec',
      '  argv: [app, "${secret.pending}"]',
    );
    try {
      loadPlaybook(text, 'demo.yaml');
      expect.unreachable();
    } catch (error) {
      expect(isRekeyError(error) && error.code).toBe('INVALID_INPUT');
      expect((error as PlaybookInvalid).problems).toHaveLength(2);
      expect((error as Error).message.split('\n')).toEqual([
        expect.stringMatching(/^demo\.yaml:26: secrets\[0\]\.steps\[1\]\.kind: unknown step kind/),
        'demo.yaml:28: secrets[0].steps[2].argv[1]: secret values must not be in argv; use stdin or env',
      ]);
    }
  });
});
