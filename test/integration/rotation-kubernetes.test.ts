import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type RekeyApp, createApp } from '../../src/main/app';
import { ok } from '../helpers/app';
import {
  type KubeApiServer,
  type SecretObject,
  type WorkloadObject,
  useKubeApiServer,
} from '../helpers/kube-apiserver';
import { secretKeyPlaybook } from '../helpers/kube-rotation';
import { valueOf } from '../helpers/rotation-stack';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';
import { waitUntil } from '../helpers/wait';

/**
 * Rotation of a key of a Kubernetes Secret, with a rollout restart of the Deployment that
 * reads it, against the stand-in API server (no Kubernetes server can run here): the write
 * with optimistic concurrency, the restart and its wait, the fingerprint check, and every
 * way back: a failed check, a rollout that never finishes, an RBAC refusal, and a Secret
 * someone else changed meanwhile, which the rollback must leave alone.
 */

const server = useKubeApiServer({ rolloutStepMs: 20 });
const tempDir = useTempDirs();
const run = promisify(execFile);

const SECRET = 'app-secrets';
const KEY = 'API_TOKEN';
const REF = 'shop/api.token';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

interface Fixture {
  app: RekeyApp;
  api: KubeApiServer;
  namespace: string;
  kubeconfig: string;
  old: string;
  other: string;
}

let counter = 0;

/** A namespace with the Secret and its Deployment, a vault whose secret targets that key. */
async function setUp(
  options: { timeoutSeconds?: number; extraSteps?: string; token?: string } = {},
): Promise<Fixture> {
  const api = server();
  counter += 1;
  const namespace = `shop${counter}-${randomBytes(3).toString('hex')}`;
  const old = randomBytes(24).toString('hex');
  const other = `other-${randomBytes(8).toString('hex')}`;
  api.put<SecretObject>({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: SECRET, namespace },
    type: 'Opaque',
    data: { [KEY]: b64(old), DB_URL: b64(other) },
  });
  const labels = { app: 'web' };
  api.put<WorkloadObject>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'registry.example/shop:1.0',
              envFrom: [{ secretRef: { name: SECRET } }],
            },
          ],
        },
      },
    },
  });
  const dir = tempDir();
  const kubeconfig = api.writeKubeconfig(dir, {
    namespace,
    ...(options.token !== undefined && { token: options.token }),
  });
  const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  await ok(app, 'clusters.add', { name: 'k3s', kubeconfig: { kind: 'path', path: kubeconfig } });
  await ok(app, 'secrets.add', { ref: REF, value: { kind: 'enter', value: old } });
  await ok(app, 'deployments.setHosts', { name: 'shop', hosts: ['k3s'] });
  await ok(app, 'playbooks.add', { text: secretKeyPlaybook(options), fileName: 'test-kube.yaml' });
  await ok(app, 'deployments.setPlaybook', {
    name: 'shop',
    playbook: 'test-kube',
    variables: { namespace },
  });
  return { app, api, namespace, kubeconfig, old, other };
}

function keyIn(fixture: Fixture, key = KEY): string | undefined {
  const stored = fixture.api.get('Secret', fixture.namespace, SECRET)?.data?.[key];
  return stored === undefined ? undefined : Buffer.from(stored, 'base64').toString('utf8');
}

function restartedAt(fixture: Fixture): string | undefined {
  return fixture.api.get('Deployment', fixture.namespace, 'web')?.spec?.template?.metadata
    ?.annotations?.[RESTARTED_AT];
}

function restartPatches(fixture: Fixture): number {
  const path = `/apis/apps/v1/namespaces/${fixture.namespace}/deployments/web`;
  return fixture.api.requests().filter((r) => r.method === 'PATCH' && r.path === path).length;
}

/** Everything a user or a log could see of a run: it must hold no value, plain or base64. */
async function expectNoValues(app: RekeyApp, runId: string, values: readonly string[]) {
  const shown = JSON.stringify({
    run: await ok(app, 'rotations.get', { runId }),
    history: await ok(app, 'history.list', {}),
    list: await ok(app, 'rotations.list', {}),
  });
  for (const value of values) {
    expect(shown).not.toContain(value);
    expect(shown).not.toContain(b64(value));
  }
}

async function ended(app: RekeyApp, runId: string) {
  await waitUntil(async () => (await ok(app, 'rotations.get', { runId })).finishedAt !== null, {
    timeoutMs: 30_000,
    what: `run ${runId} to end`,
  });
  return ok(app, 'rotations.get', { runId });
}

describe('rotating a key of a Kubernetes Secret', () => {
  it('previews, writes the key, restarts the Deployment, waits for its rollout and checks it', async () => {
    const fixture = await setUp();
    const { app, namespace } = fixture;

    const preview = await ok(app, 'rotations.preview', { refs: [REF] });
    expect(preview.targets).toEqual([
      {
        host: 'k3s',
        path: `${namespace}/${SECRET}`,
        key: KEY,
        diff: [
          `@@ Secret ${namespace}/${SECRET} @@`,
          `-${KEY}: [current value]`,
          `+${KEY}: [new value]`,
        ],
        note: null,
      },
    ]);
    expect(preview.plan.steps.map((step) => step.title)).toEqual([
      `Generate a new value for ${REF} and keep it as pending`,
      `Write ${REF} into key ${KEY} of Secret ${namespace}/${SECRET} on k3s`,
      'Restart Deployment web on k3s and wait for its rollout',
      `Check: The new value is in place: key ${KEY} of Secret ${namespace}/${SECRET} on k3s`,
    ]);
    expect(restartedAt(fixture)).toBeUndefined();
    fixture.api.clearRequests();

    const done = await ok(app, 'rotations.start', {
      refs: [REF],
      confirmed: ['backup'],
      wait: true,
    });

    expect(done.status).toBe('rotated');
    expect(done.steps.map((step) => step.state)).toEqual(['done', 'done', 'done', 'done']);
    const current = await valueOf(app, REF);
    expect(current).not.toBe(fixture.old);
    expect(await valueOf(app, REF, 'previous')).toBe(fixture.old);
    expect(keyIn(fixture)).toBe(current);
    expect(keyIn(fixture, 'DB_URL')).toBe(fixture.other);
    // The write was a PUT carrying the resourceVersion Rekey had read.
    const put = fixture.api
      .requests()
      .find((r) => r.method === 'PUT' && r.path.endsWith(`/secrets/${SECRET}`));
    expect(put).toBeDefined();
    expect(done.steps[1]?.detail).toMatch(
      new RegExp(
        `^written to key ${KEY} of Secret ${namespace}/${SECRET} on k3s \\(resourceVersion \\d+\\)$`,
      ),
    );

    // Restarted as kubectl does, and the run waited for the rollout to finish.
    expect(restartedAt(fixture)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const deployment = fixture.api.get('Deployment', namespace, 'web');
    expect(deployment?.status?.updatedReplicas).toBe(2);
    expect(deployment?.status?.observedGeneration).toBe(deployment?.metadata?.generation);
    expect(done.steps[2]?.detail).toBe(
      `Deployment ${namespace}/web rolled out (2 of 2 updated) on k3s`,
    );
    // Progress while it waited, as the step's detail (how many states show depends on timing).
    const progress = done.log
      .filter((entry) => entry.index === 2 && entry.state === 'running')
      .map((entry) => entry.detail);
    expect(progress).toContain(`restarting Deployment ${namespace}/web`);
    expect(progress).toContainEqual(
      expect.stringMatching(new RegExp(`^Deployment ${namespace}/web: \\d of 2 updated`)),
    );
    expect(done.steps[3]?.detail).toBe('1 target(s) hold the expected value');

    // kubectl, reading the Secret as an operator would, sees the new value.
    const { stdout } = await run(
      '/usr/bin/kubectl',
      [
        '--kubeconfig',
        fixture.kubeconfig,
        'get',
        'secret',
        SECRET,
        '-n',
        namespace,
        '-o',
        `jsonpath={.data.${KEY}}`,
      ],
      { timeout: 30_000 },
    );
    expect(Buffer.from(stdout.trim(), 'base64').toString('utf8')).toBe(current);

    await expectNoValues(app, done.id, [current, fixture.old, fixture.other]);
  }, 60_000);

  it('rolls back when a check fails: the old value is back and the Deployment restarted again', async () => {
    const fixture = await setUp({
      extraSteps: `      - kind: verify
        within_seconds: 1
        check: { type: tcp, host: 127.0.0.1, port: 1 }
`,
    });
    const { app } = fixture;
    fixture.api.clearRequests();

    const done = await ok(app, 'rotations.start', {
      refs: [REF],
      confirmed: ['backup'],
      wait: true,
    });

    expect(done.status).toBe('rolled-back');
    expect(done.detail).toMatch(/^step 5 failed/);
    expect(done.steps.map((step) => step.state)).toEqual([
      'done',
      'undone',
      'undone',
      'done',
      'failed',
    ]);
    expect(keyIn(fixture)).toBe(fixture.old);
    expect(keyIn(fixture, 'DB_URL')).toBe(fixture.other);
    expect(await valueOf(app, REF)).toBe(fixture.old);
    expect(done.steps[1]?.detail).toMatch(/^the old value is back in key API_TOKEN of Secret/);
    // Restarted twice: with the new value, then with the old one, each rollout waited for.
    expect(restartPatches(fixture)).toBe(2);
    expect(done.steps[2]?.detail).toMatch(/rolled out \(2 of 2 updated\)/);
    const pending = fixture.api.get('Deployment', fixture.namespace, 'web');
    expect(pending?.status?.updatedReplicas).toBe(2);
    const detail = await ok(app, 'secrets.get', { ref: REF });
    expect(detail.versions.flatMap((version) => version.labels)).not.toContain('pending');
    await expectNoValues(app, done.id, [fixture.old, fixture.other]);
  }, 60_000);

  it('leaves a Secret someone else changed meanwhile alone, and says what to check', async () => {
    const fixture = await setUp({
      extraSteps: `      - kind: confirm
        text: The shop works with the new token.
`,
    });
    const { app, api, namespace } = fixture;
    const started = await ok(app, 'rotations.start', { refs: [REF], confirmed: ['backup'] });
    await waitUntil(
      async () => (await ok(app, 'rotations.get', { runId: started.id })).awaiting !== null,
      { timeoutMs: 30_000, what: 'the confirm step' },
    );
    const written = keyIn(fixture);
    expect(written).not.toBe(fixture.old);
    // Another writer (a deploy pipeline) puts its own value in meanwhile.
    const theirs = `theirs-${randomBytes(12).toString('hex')}`;
    const stored = api.get('Secret', namespace, SECRET);
    api.put<SecretObject>({
      ...stored,
      metadata: { name: SECRET, namespace },
      data: { ...stored?.data, [KEY]: b64(theirs) },
    });
    await ok(app, 'rotations.confirm', { runId: started.id, index: 4, confirmed: false });

    const done = await ended(app, started.id);
    expect(done.status).toBe('needs-attention');
    expect(done.steps[1]?.state).toBe('undo-failed');
    expect(done.steps[1]?.detail).toMatch(
      new RegExp(
        `^key ${KEY} of Secret ${namespace}/${SECRET} on k3s was changed by someone else after ` +
          'Rekey wrote it \\(Rekey wrote resourceVersion \\d+; it is now at \\d+\\): the old ' +
          'value was NOT put back',
      ),
    );
    expect(done.detail).toContain('Rolling back left work to do by hand');
    expect(done.detail).toContain(`look at key ${KEY} of Secret ${namespace}/${SECRET} on k3s`);
    expect(keyIn(fixture)).toBe(theirs);
    expect(keyIn(fixture, 'DB_URL')).toBe(fixture.other);
    // The vault still holds every value a target may hold: the new one stays pending.
    expect(await valueOf(app, REF)).toBe(fixture.old);
    expect(await valueOf(app, REF, 'pending')).toBe(written);
    await expectNoValues(app, done.id, [fixture.old, written ?? '', fixture.other]);
  }, 60_000);

  it('undoes only its own key when another key of the Secret changed meanwhile', async () => {
    const fixture = await setUp({
      extraSteps: `      - kind: confirm
        text: The shop works with the new token.
`,
    });
    const { app, api, namespace } = fixture;
    const started = await ok(app, 'rotations.start', { refs: [REF], confirmed: ['backup'] });
    await waitUntil(
      async () => (await ok(app, 'rotations.get', { runId: started.id })).awaiting !== null,
      { timeoutMs: 30_000, what: 'the confirm step' },
    );
    const stored = api.get('Secret', namespace, SECRET);
    const theirs = `db-${randomBytes(8).toString('hex')}`;
    api.put<SecretObject>({
      ...stored,
      metadata: { name: SECRET, namespace },
      data: { ...stored?.data, DB_URL: b64(theirs) },
    });
    await ok(app, 'rotations.confirm', { runId: started.id, index: 4, confirmed: false });

    const done = await ended(app, started.id);
    expect(done.status).toBe('rolled-back');
    expect(done.steps[1]?.detail).toMatch(/\(other keys changed since are kept\)$/);
    expect(keyIn(fixture)).toBe(fixture.old);
    expect(keyIn(fixture, 'DB_URL')).toBe(theirs);
  }, 60_000);

  it('creates a missing Secret, and deletes it again on rollback', async () => {
    const fixture = await setUp({
      extraSteps: `      - kind: verify
        within_seconds: 1
        check: { type: tcp, host: 127.0.0.1, port: 1 }
`,
    });
    const { app, api, namespace } = fixture;
    api.delete('Secret', namespace, SECRET);
    const preview = await ok(app, 'rotations.preview', { refs: [REF] });
    expect(preview.targets[0]?.note).toBe(
      `Secret ${namespace}/${SECRET} does not exist yet: it will be created`,
    );

    const done = await ok(app, 'rotations.start', {
      refs: [REF],
      confirmed: ['backup'],
      wait: true,
    });

    expect(done.status).toBe('rolled-back');
    expect(done.log).toContainEqual(
      expect.objectContaining({
        index: 1,
        state: 'done',
        detail: expect.stringMatching(/; the Secret was created\)$/),
      }),
    );
    expect(done.steps[1]?.detail).toBe(
      `deleted Secret ${namespace}/${SECRET} on k3s, which the rotation created`,
    );
    expect(api.get('Secret', namespace, SECRET)).toBeUndefined();
  }, 60_000);

  it('times out a rollout that never finishes and rolls back', async () => {
    const fixture = await setUp({ timeoutSeconds: 2 });
    const { app, api } = fixture;
    api.stallRollouts(true);
    let started: { id: string } | undefined;
    try {
      started = await ok(app, 'rotations.start', { refs: [REF], confirmed: ['backup'] });
      const runId = started.id;
      await waitUntil(
        async () => (await ok(app, 'rotations.get', { runId })).steps[2]?.state === 'failed',
        { timeoutMs: 30_000, what: 'the restart to time out' },
      );
    } finally {
      // The rollback restarts again: that rollout may finish.
      api.stallRollouts(false);
    }
    if (!started) throw new Error('the run did not start');
    const done = await ended(app, started.id);
    expect(done.status).toBe('rolled-back');
    expect(done.detail).toMatch(
      new RegExp(
        `^step 3 failed: The rollout of Deployment ${fixture.namespace}/web did not finish within 2 s`,
      ),
    );
    expect(done.steps[2]?.state).toBe('undone');
    expect(keyIn(fixture)).toBe(fixture.old);
    expect(await valueOf(app, REF)).toBe(fixture.old);
    await expectNoValues(app, done.id, [fixture.old, fixture.other]);
  }, 60_000);

  it('fails the write with the RBAC refusal when the context may not update Secrets', async () => {
    const token = `reader-${randomBytes(8).toString('hex')}`;
    server().addToken(token, {
      user: 'reader',
      rules: [{ verbs: ['get', 'list', 'watch'], resources: ['secrets'], apiGroups: [''] }],
    });
    const fixture = await setUp({ token });
    const { app, namespace } = fixture;

    const done = await ok(app, 'rotations.start', {
      refs: [REF],
      confirmed: ['backup'],
      wait: true,
    });

    expect(done.status).toBe('rolled-back');
    const refusal =
      `RBAC: user reader may not update secrets in namespace ${namespace} (403); ` +
      `Rekey needed that for writing Secret ${namespace}/${SECRET}.`;
    expect(done.log).toContainEqual(
      expect.objectContaining({ index: 1, state: 'failed', detail: refusal }),
    );
    expect(done.detail).toBe(`step 2 failed: ${refusal} The old values are back in place.`);
    // Nothing of Rekey's is there to undo: the undo only looks.
    expect(done.steps[1]?.detail).toMatch(/does not hold the new value$/);
    expect(keyIn(fixture)).toBe(fixture.old);
    expect(restartedAt(fixture)).toBeUndefined();
    expect(await valueOf(app, REF)).toBe(fixture.old);
    await expectNoValues(app, done.id, [fixture.old, fixture.other]);
  }, 60_000);

  it('rotates SyncTV on Kubernetes with the built-in playbook', async () => {
    const fixture = await setUp();
    const { app, api, namespace } = fixture;
    const old = randomBytes(32).toString('hex');
    api.put<SecretObject>({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'synctv-secrets', namespace },
      type: 'Opaque',
      data: { SYNCTV_SERVER_CLUSTER_SECRET: b64(old), SYNCTV_JWT_SECRET: b64(fixture.other) },
    });
    // SyncTV's public address, answering 200.
    const site = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const ref = 'tv/server.cluster_secret';
      await ok(app, 'secrets.add', { ref, value: { kind: 'enter', value: old } });
      await ok(app, 'deployments.setHosts', { name: 'tv', hosts: ['k3s'] });
      await ok(app, 'deployments.setPlaybook', {
        name: 'tv',
        playbook: 'synctv-kubernetes',
        variables: {
          namespace,
          workload: 'web',
          base_url: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
        },
      });
      const plan = await ok(app, 'rotations.plan', { refs: [ref] });
      const done = await ok(app, 'rotations.start', {
        refs: [ref],
        confirmed: plan.checklist.map((item) => item.id),
        wait: true,
      });

      expect(done.status).toBe('rotated');
      expect(done.steps[2]?.title).toBe(
        `Restart Deployment ${namespace}/web on k3s and wait for its rollout`,
      );
      const current = await valueOf(app, ref);
      const stored = api.get('Secret', namespace, 'synctv-secrets')?.data ?? {};
      expect(Buffer.from(stored['SYNCTV_SERVER_CLUSTER_SECRET'] ?? '', 'base64').toString()).toBe(
        current,
      );
      expect(stored['SYNCTV_JWT_SECRET']).toBe(b64(fixture.other));
      expect(restartedAt(fixture)).toBeDefined();
      await expectNoValues(app, done.id, [current, old, fixture.other]);
    } finally {
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  }, 60_000);
});
