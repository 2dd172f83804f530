import { randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { ok } from './app';
import { type SecretObject, type WorkloadObject, useKubeApiServer } from './kube-apiserver';
import { useTempDirs } from './temp';
import { FAST_KDF, PASSWORD } from './vault';
import { waitUntil } from './wait';

/**
 * What the Kubernetes rotation tests share: the stand-in API server, a vault with cluster
 * `k3s` on a fresh namespace, Secrets and Deployments put in place, a local HTTP server for a
 * service's address, the run's confirm step answered, and the check that no value (plain or
 * base64) shows in a run or the history. Call at the top level of a test file (it registers
 * hooks).
 */
export function useKubeRotation(options: { rolloutStepMs?: number } = {}) {
  const server = useKubeApiServer({ rolloutStepMs: options.rolloutStepMs ?? 10 });
  const tempDir = useTempDirs();
  const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
  const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
  const unb64 = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString('utf8');

  const sites: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      sites.splice(0).map((site) => new Promise<void>((resolve) => site.close(() => resolve()))),
    );
  });

  /** A local HTTP server standing for the service's public address. */
  async function site(answer: () => number): Promise<string> {
    const http = createServer((_request, response) => {
      response.statusCode = answer();
      response.end('ok');
    });
    sites.push(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  let counter = 0;

  async function clusterApp(): Promise<{ app: RekeyApp; namespace: string }> {
    const api = server();
    counter += 1;
    const namespace = `conf${counter}-${randomBytes(3).toString('hex')}`;
    const dir = tempDir();
    const kubeconfig = api.writeKubeconfig(dir, { namespace });
    const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'cli' });
    await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    await ok(app, 'clusters.add', { name: 'k3s', kubeconfig: { kind: 'path', path: kubeconfig } });
    return { app, namespace };
  }

  function putSecret(namespace: string, name: string, data: Record<string, string>): void {
    const encoded = Object.fromEntries(Object.entries(data).map(([key, text]) => [key, b64(text)]));
    server().put<SecretObject>({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      type: 'Opaque',
      data: encoded,
    });
  }

  function keyOf(namespace: string, name: string, key: string): string {
    return unb64(server().get('Secret', namespace, name)?.data?.[key]);
  }

  function putDeployment(namespace: string, name: string): void {
    const labels = { app: name };
    server().put<WorkloadObject>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name, image: `registry.example/${name}:1` }] },
        },
      },
    });
  }

  function restartedAt(namespace: string, name: string): string | undefined {
    return server().get('Deployment', namespace, name)?.spec?.template?.metadata?.annotations?.[
      RESTARTED_AT
    ];
  }

  /** Everything a user or a log could see of a run: no value, plain or base64. */
  async function expectNoValues(app: RekeyApp, runId: string, values: readonly string[]) {
    const shown = JSON.stringify({
      run: await ok(app, 'rotations.get', { runId }),
      history: await ok(app, 'history.list', {}),
    });
    for (const value of values) {
      expect(shown).not.toContain(value);
      expect(shown).not.toContain(b64(value));
    }
  }

  /** Answers the run's confirm step when it asks, then waits for the run to end. */
  async function answer(app: RekeyApp, runId: string, confirmed: boolean) {
    let index = -1;
    await waitUntil(
      async () => {
        index = (await ok(app, 'rotations.get', { runId })).awaiting?.index ?? -1;
        return index >= 0;
      },
      { timeoutMs: 30_000, what: 'the confirm step' },
    );
    await ok(app, 'rotations.confirm', { runId, index, confirmed });
    await waitUntil(async () => (await ok(app, 'rotations.get', { runId })).finishedAt !== null, {
      timeoutMs: 30_000,
      what: `run ${runId} to end`,
    });
    return ok(app, 'rotations.get', { runId });
  }

  return {
    server,
    b64,
    site,
    clusterApp,
    putSecret,
    keyOf,
    putDeployment,
    restartedAt,
    expectNoValues,
    answer,
  };
}

/**
 * A playbook whose one secret (`api.token`) is key API_TOKEN of Secret app-secrets, read by
 * Deployment web, which each rotation restarts; `extraSteps` go after the fingerprint check.
 */
export function secretKeyPlaybook(
  options: { timeoutSeconds?: number; extraSteps?: string } = {},
): string {
  return `id: test-kube
name: Token in a Secret
service: shop
description: An API token in a Kubernetes Secret, read by a Deployment.
variables:
  namespace: { description: Namespace of the Secret. }
  secret_name: { description: The Secret., default: app-secrets }
  workload: { description: The Deployment that reads it., default: web }
checklist: [backup]
secrets:
  - name: api.token
    description: The shop's API token.
    impact: Clients with the old token are refused.
    difficulty: low
    handling: Write it, restart the Deployment, check it.
    policy: { kind: interval, days: 90 }
    generator: { kind: hex, length: 24 }
    targets:
      - id: secret
        format: kubernetes
        path: \${namespace}/\${secret_name}
        key: API_TOKEN
    steps:
      - kind: generate
      - kind: write
        targets: [secret]
      - kind: restart
        via: kubernetes
        on: secret
        workloads:
          - { kind: Deployment, name: '\${workload}' }
        timeout_seconds: ${options.timeoutSeconds ?? 60}
      - kind: verify
        check: { type: fingerprint }
${options.extraSteps ?? ''}`;
}
