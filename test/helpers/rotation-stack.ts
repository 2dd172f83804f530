import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RekeyApp, createApp } from '../../src/main/app';
import { formatByName } from '../../src/main/formats/format';
import { ok } from './app';
import type { FakeDocker } from './fake-docker';
import { type TokenService, startTokenService } from './token-service';
import { FAST_KDF, PASSWORD } from './vault';

/**
 * A small compose-style stack on this machine for rotation tests: a project directory with a
 * `.env`, a token service that takes its signing secret from it (as a container's
 * environment: only a recreate picks up a change), registered with the fake docker, and a
 * Rekey vault that knows the secret and rotates it by a playbook kept in the vault.
 */

export const newValue = () => randomBytes(32).toString('base64');

export interface Stack {
  app: RekeyApp;
  dir: string;
  envFile: string;
  service: TokenService;
  ref: string;
  oldValue: string;
  stop(): Promise<void>;
}

/** A playbook for the stack; `steps` are YAML lines (indented 6) after generate and write. */
export function stackPlaybook(steps: string, extraTargets = ''): string {
  return `id: test-stack
name: Test stack
service: token-service
description: A token service that reads JWT_SECRET from the compose .env.
variables:
  dir: { description: The compose project directory. }
  url: { description: The service's base URL. }
checklist: [backup, rollback]
secrets:
  - name: jwt
    description: Signs the service's tokens.
    impact: Every token stops working; users log in again.
    difficulty: medium
    handling: Recreate the service; old tokens are refused afterwards.
    policy: { kind: interval, days: 90 }
    generator: { kind: base64, length: 32 }
    targets:
      - id: env
        format: dotenv
        path: \${dir}/.env
        key: JWT_SECRET
${extraTargets}    steps:
      - kind: generate
      - kind: write
        targets: [env]
${steps}`;
}

export const RECREATE_AND_CHECK = `      - kind: restart
        via: compose
        project_dir: \${dir}
        services: [app]
        recreate: true
      - kind: verify
        check: { type: fingerprint }
      - kind: verify
        within_seconds: 10
        check: { type: http, url: '\${url}/health', status: 200 }
`;

export async function startStack(options: {
  root: string;
  docker: FakeDocker;
  playbook: string;
  variables?: Record<string, string>;
}): Promise<Stack> {
  const dir = join(options.root, 'stack');
  mkdirSync(dir, { recursive: true });
  const envFile = join(dir, '.env');
  const oldValue = newValue();
  writeFileSync(
    envFile,
    `# compose settings\nCOMPOSE_PROJECT_NAME=stack\nJWT_SECRET="${oldValue}"\nLOG_LEVEL=info\n`,
    { mode: 0o600 },
  );
  const service = await startTokenService({
    configFile: envFile,
    format: 'dotenv',
    key: 'JWT_SECRET',
    delivery: 'environment',
  });
  options.docker.register('app', service, { projectDir: dir });
  const app = createApp({ vaultPath: join(options.root, 'vault.rekey'), source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  const ref = 'stack/jwt';
  await ok(app, 'secrets.add', { ref, value: { kind: 'enter', value: oldValue } });
  await ok(app, 'playbooks.add', { text: options.playbook, fileName: 'test-stack.yaml' });
  await ok(app, 'deployments.setPlaybook', {
    name: 'stack',
    playbook: 'test-stack',
    variables: { dir, url: service.url, ...options.variables },
  });
  return {
    app,
    dir,
    envFile,
    service,
    ref,
    oldValue,
    stop: () => service.stop(),
  };
}

/** The value the stack's .env holds now, read by Rekey's compose-compatible dotenv reader. */
export function envValue(stack: Stack): string | undefined {
  return formatByName('dotenv').get(readFileSync(stack.envFile, 'utf8'), 'JWT_SECRET');
}

export async function valueOf(app: RekeyApp, ref: string, version = 'current'): Promise<string> {
  return (await ok(app, 'secrets.reveal', { ref, version })).value;
}
