import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import type { RunSummary } from '../../src/shared/rotation-api';
import { ok } from '../helpers/app';
import {
  type SecretObject,
  type WorkloadObject,
  useKubeApiServer,
} from '../helpers/kube-apiserver';
import { secretKeyPlaybook } from '../helpers/kube-rotation';
import { CLI_BUNDLE, type CliVault, initCliVault } from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';
import { PASSWORD } from '../helpers/vault';
import { waitUntil } from '../helpers/wait';

/**
 * A Kubernetes rotation whose `rekey` process is killed (SIGKILL) while it waits for a
 * rollout: the vault has the run as interrupted, with its write on record; `rekey rotate
 * resume` carries it on to the end once the rollout can finish, and `rekey rotate rollback`
 * puts the old value back in the Secret (by the resourceVersion the write left) and restarts
 * the workload again. The stand-in API server runs in this process, the CLI in its own.
 */

const server = useKubeApiServer({ rolloutStepMs: 10 });
const tempDir = useTempDirs();
const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
const REF = 'shop/api.token';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

interface Stack {
  cli: CliVault;
  namespace: string;
  old: string;
}

async function stack(): Promise<Stack> {
  const api = server();
  const namespace = `crash-${randomBytes(3).toString('hex')}`;
  const old = randomBytes(24).toString('hex');
  api.put<SecretObject>({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'app-secrets', namespace },
    type: 'Opaque',
    data: { API_TOKEN: b64(old), OTHER: b64('kept') },
  });
  const labels = { app: 'web' };
  api.put<WorkloadObject>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
    },
  });
  const dir = tempDir();
  const cli = await initCliVault(dir);
  const app = createApp({ vaultPath: cli.vaultPath, source: 'cli' });
  await ok(app, 'vault.unlock', { password: PASSWORD });
  const kubeconfig = api.writeKubeconfig(dir, { namespace });
  await ok(app, 'clusters.add', { name: 'k3s', kubeconfig: { kind: 'path', path: kubeconfig } });
  await ok(app, 'secrets.add', { ref: REF, value: { kind: 'enter', value: old } });
  await ok(app, 'deployments.setHosts', { name: 'shop', hosts: ['k3s'] });
  await ok(app, 'playbooks.add', {
    text: secretKeyPlaybook({ timeoutSeconds: 120 }),
    fileName: 'test-kube.yaml',
  });
  await ok(app, 'deployments.setPlaybook', {
    name: 'shop',
    playbook: 'test-kube',
    variables: { namespace },
  });
  await ok(app, 'vault.lock', {});
  return { cli, namespace, old };
}

function keyIn(s: Stack, key = 'API_TOKEN'): string {
  const stored = server().get('Secret', s.namespace, 'app-secrets')?.data?.[key] ?? '';
  return Buffer.from(stored, 'base64').toString('utf8');
}

function restartedAt(s: Stack): string | undefined {
  return server().get('Deployment', s.namespace, 'web')?.spec?.template?.metadata?.annotations?.[
    RESTARTED_AT
  ];
}

async function runs(s: Stack): Promise<RunSummary[]> {
  const listed = await s.cli.rekey(['rotate', 'list', '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout) as RunSummary[];
}

/** Starts `rekey rotate` and SIGKILLs it once it waits for the (stalled) rollout. */
async function killWhileRollingOut(s: Stack): Promise<RunSummary> {
  server().stallRollouts(true);
  const child = spawn(
    process.execPath,
    [CLI_BUNDLE, '--vault', s.cli.vaultPath, '--password-file', s.cli.passwordFile].concat([
      'rotate',
      REF,
      '--yes',
    ]),
    { env: { PATH: process.env['PATH'], HOME: process.env['HOME'] }, stdio: 'pipe' },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitUntil(() => restartedAt(s) !== undefined, {
      timeoutMs: 20_000,
      what: 'the rollout restart',
      detail: () => output,
    });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  expect(keyIn(s)).not.toBe(s.old);
  expect(output).not.toContain(s.old);
  const [run] = await runs(s);
  expect(run?.status).toBe('interrupted');
  return run as RunSummary;
}

describe('a Kubernetes rotation whose process was killed', () => {
  it('resume carries it on: the Secret holds the value the vault has as current', async () => {
    const s = await stack();
    const run = await killWhileRollingOut(s);
    server().stallRollouts(false);

    const resumed = await s.cli.rekey(['rotate', 'resume', run.id, '--yes'], {
      timeoutMs: 60_000,
    });

    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Resuming run ${run.id}`);
    const current = await s.cli.rekey(['secret', 'reveal', REF]);
    expect(current.stdout.trim()).toMatch(/^[0-9a-f]{48}$/);
    expect(keyIn(s)).toBe(current.stdout.trim());
    expect(keyIn(s, 'OTHER')).toBe('kept');
    expect((await runs(s))[0]?.status).toBe('rotated');
    expect(resumed.stdout + resumed.stderr).not.toContain(current.stdout.trim());
  }, 90_000);

  it('rollback puts the old value back in the Secret and restarts the workload again', async () => {
    const s = await stack();
    const run = await killWhileRollingOut(s);
    const firstRestart = restartedAt(s);
    server().stallRollouts(false);

    const rollback = await s.cli.rekey(['rotate', 'rollback', run.id], { timeoutMs: 60_000 });

    expect(rollback.stdout).toContain(`Rolling back run ${run.id}`);
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(19);
    expect(keyIn(s)).toBe(s.old);
    expect(keyIn(s, 'OTHER')).toBe('kept');
    const revealed = await s.cli.rekey(['secret', 'reveal', REF]);
    expect(revealed.stdout.trim()).toBe(s.old);
    expect((await runs(s))[0]?.status).toBe('rolled-back');
    // The pods that may have started with the new value are replaced again.
    await waitUntil(() => restartedAt(s) !== firstRestart, {
      timeoutMs: 10_000,
      what: 'a second rollout restart',
    });
  }, 90_000);
});
