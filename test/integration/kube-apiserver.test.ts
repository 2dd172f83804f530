import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type KubeApiServer,
  type KubeObject,
  type WorkloadObject,
  startKubeApiServer,
  useKubeApiServer,
} from '../helpers/kube-apiserver';
import { run } from '../helpers/processes';
import { waitUntil } from '../helpers/wait';

/**
 * The stand-in Kubernetes API server against real clients: kubectl (whichever is on PATH, or
 * REKEY_TEST_KUBECTL) and @kubernetes/client-node, and against fixtures of what a real API
 * server sends (test/fixtures/kube/).
 */

const KUBECTL = process.env.REKEY_TEST_KUBECTL ?? 'kubectl';
const FIXTURES = join(import.meta.dirname, '../fixtures/kube');

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>;
}

/** Keys and value types, recursively; arrays by their first item; managedFields left out. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => key !== 'managedFields')
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  }
  return value === null ? 'null' : typeof value;
}

function secret(namespace: string, name: string, data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': 'web' } },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
  };
}

function workload(
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet',
  namespace: string,
  name: string,
  replicas = 3,
): WorkloadObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace },
    spec: {
      ...(kind !== 'DaemonSet' && { replicas }),
      ...(kind === 'StatefulSet' && { serviceName: name }),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name, image: 'nginx:1.27', envFrom: [{ secretRef: { name: 'app' } }] }],
        },
      },
    },
  };
}

const decode = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString('utf8');

describe('kube-apiserver stand-in', () => {
  const kube = useKubeApiServer({ rolloutStepMs: 20 });
  let home = '';
  let adminConfig = '';

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'rekey-kube-test-'));
    const server = kube();
    adminConfig = server.writeKubeconfig(home, { namespace: 'prod' });
    server.put(secret('prod', 'app', { password: 'hunter2' }));
    server.put(workload('Deployment', 'prod', 'web'));
    server.addToken('alice-token', {
      user: 'alice',
      rules: [{ verbs: ['get', 'list', 'watch'], resources: ['secrets'], namespaces: ['prod'] }],
    });
    server.addToken('old-token', { user: 'bob', rules: [], expired: true });
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  /** kubectl, asynchronously: the server runs in this process and must keep serving. */
  const kubectl = (args: string[], kubeconfig = adminConfig) =>
    run(KUBECTL, ['--kubeconfig', kubeconfig, ...args], {
      env: { PATH: process.env.PATH, HOME: home },
      timeoutMs: 30_000,
    });

  const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token, headers, ...rest } = init;
    const bearer = token === undefined ? kube().adminToken : token;
    return fetch(`${kube().url}${path}`, {
      ...rest,
      headers: {
        ...(bearer !== null && { Authorization: `Bearer ${bearer}` }),
        ...(headers as Record<string, string>),
      },
    });
  };

  const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

  describe('wire format, against fixtures of a real API server', () => {
    test('a Secret and a SecretList have the real shape; list items carry no kind', async () => {
      const one = await api('/api/v1/namespaces/prod/secrets/app');
      expect(one.status).toBe(200);
      expect(one.headers.get('content-type')).toBe('application/json');
      const body = await json(one);
      expect(shape(body)).toEqual(shape(fixture('secret.json')));
      expect(body).toMatchObject({ kind: 'Secret', apiVersion: 'v1', type: 'Opaque' });
      expect(Object.keys(body).slice(0, 3)).toEqual(['kind', 'apiVersion', 'metadata']);

      const list = await json(await api('/api/v1/namespaces/prod/secrets'));
      expect(shape(list)).toEqual(shape(fixture('secret-list.json')));
      expect(Number((list.metadata as { resourceVersion: string }).resourceVersion)).toBe(
        Number(kube().resourceVersion),
      );
    });

    test('a restarted Deployment has the real shape, generation 2 and revision 2', async () => {
      const server = kube();
      server.put(workload('Deployment', 'shapes', 'web'));
      const patch = {
        spec: {
          template: {
            metadata: {
              annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() },
            },
          },
        },
      };
      const patched = await api('/apis/apps/v1/namespaces/shapes/deployments/web', {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
        body: JSON.stringify(patch),
      });
      expect(patched.status).toBe(200);
      await server.rolloutsSettled();
      const body = await json(await api('/apis/apps/v1/namespaces/shapes/deployments/web'));
      expect(shape(body)).toEqual(shape(fixture('deployment.json')));
      expect(body).toMatchObject({
        metadata: { generation: 2, annotations: { 'deployment.kubernetes.io/revision': '2' } },
        status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
      });
    });

    test('401, 403, 404 and 409 Status bodies are the real ones', async () => {
      for (const token of [null, 'no-such-token', 'old-token']) {
        const response = await api('/api/v1/namespaces/prod/secrets/app', { token });
        expect(response.status).toBe(401);
        expect(await json(response)).toEqual(fixture('status-401-unauthorized.json'));
      }

      const current = await json(await api('/api/v1/namespaces/prod/secrets/app'));
      const update = await api('/api/v1/namespaces/prod/secrets/app', {
        token: 'alice-token',
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(current),
      });
      expect(update.status).toBe(403);
      expect(await json(update)).toEqual(fixture('status-403-forbidden-update.json'));

      const list = await api('/apis/apps/v1/namespaces/prod/deployments', { token: 'alice-token' });
      expect(list.status).toBe(403);
      expect(await json(list)).toEqual(fixture('status-403-forbidden-list.json'));

      const missing = await api('/api/v1/namespaces/prod/secrets/missing');
      expect(missing.status).toBe(404);
      expect(await json(missing)).toEqual(fixture('status-404-not-found.json'));

      const stale = structuredClone(current) as { metadata: { resourceVersion: string } };
      stale.metadata.resourceVersion = String(Number(stale.metadata.resourceVersion) - 1);
      const conflict = await api('/api/v1/namespaces/prod/secrets/app', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(stale),
      });
      expect(conflict.status).toBe(409);
      expect(await json(conflict)).toEqual(fixture('status-409-conflict.json'));

      const exists = await api('/api/v1/namespaces/prod/secrets', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app' } }),
      });
      expect(exists.status).toBe(409);
      expect(await json(exists)).toEqual(fixture('status-409-already-exists.json'));
    });

    test('discovery answers an aggregated-discovery Accept with the legacy documents', async () => {
      const aggregated =
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
        'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
      const core = await api('/api', { headers: { Accept: aggregated } });
      expect(core.headers.get('content-type')).toBe('application/json');
      expect(await json(core)).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
      const groups = await json(await api('/apis', { headers: { Accept: aggregated } }));
      expect(groups).toMatchObject({
        kind: 'APIGroupList',
        groups: expect.arrayContaining([
          expect.objectContaining({
            name: 'apps',
            preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
          }),
        ]),
      });
      const v1 = (await json(await api('/api/v1'))) as {
        resources: { name: string; kind: string }[];
      };
      expect(v1.resources.map((r) => r.name)).toEqual(
        expect.arrayContaining(['secrets', 'namespaces', 'pods']),
      );
      const apps = (await json(await api('/apis/apps/v1'))) as {
        groupVersion: string;
        resources: { name: string }[];
      };
      expect(apps.groupVersion).toBe('apps/v1');
      expect(apps.resources.map((r) => r.name)).toEqual([
        'daemonsets',
        'deployments',
        'statefulsets',
      ]);
      expect(await json(await api('/version'))).toMatchObject({
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.4',
      });
      const namespaces = (await json(await api('/api/v1/namespaces'))) as {
        items: { metadata: { name: string } }[];
      };
      expect(namespaces.items.map((n) => n.metadata.name)).toEqual(
        expect.arrayContaining(['default', 'kube-system', 'prod']),
      );
    });

    test('a watch streams newline-delimited events of the real shape', async () => {
      const server = kube();
      server.put(secret('streamed', 'app', { password: 'hunter2' }));
      const from = server.resourceVersion;
      const controller = new AbortController();
      const response = await api(
        `/api/v1/namespaces/streamed/secrets?watch=true&resourceVersion=${from}`,
        { signal: controller.signal },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      if (!response.body) throw new Error('a watch answers with a body');
      const reader = response.body.getReader();
      server.put(secret('streamed', 'app', { password: 'new-password' }));
      const decoder = new TextDecoder();
      let received = '';
      while (!received.includes('\n')) {
        const { value, done } = await reader.read();
        if (done) break;
        received += decoder.decode(value, { stream: true });
      }
      controller.abort();
      const lines = received.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      const event = JSON.parse(lines[0] as string) as { object: { data: { password: string } } };
      expect(shape(event)).toEqual(shape(fixture('watch-event-modified.json')));
      expect(decode(event.object.data.password)).toBe('new-password');
    });

    test('a watch from a compacted resourceVersion gets the 410 Expired ERROR event', async () => {
      const server = kube();
      const old = server.resourceVersion;
      server.put(secret('compacted', 'app', { password: 'a' }));
      server.compact();
      const response = await api(
        `/api/v1/namespaces/compacted/secrets?watch=1&resourceVersion=${old}`,
      );
      expect(response.status).toBe(200);
      const lines = (await response.text()).split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      const event = JSON.parse(lines[0] as string) as { type: string; object: { message: string } };
      expect(shape(event)).toEqual(shape(fixture('watch-event-expired.json')));
      expect(event.type).toBe('ERROR');
      expect(event.object.message).toBe(
        `too old resource version: ${old} (${server.resourceVersion})`,
      );
    });
  });

  describe('kubectl', () => {
    test('reads back a Secret written through the API, and lists secrets by name', async () => {
      const created = await api('/api/v1/namespaces/prod/secrets', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'db' },
          stringData: { DATABASE_URL: 'postgres://synapse@db/synapse' },
        }),
      });
      expect(created.status).toBe(201);

      kube().clearRequests();
      const get = await kubectl(['get', 'secret', 'db', '-n', 'prod', '-o', 'json']);
      expect(get.stderr).toBe('');
      expect(get.code).toBe(0);
      const read = JSON.parse(get.stdout) as { data: Record<string, string>; stringData?: unknown };
      expect(decode(read.data.DATABASE_URL)).toBe('postgres://synapse@db/synapse');
      expect(read.stringData).toBeUndefined();

      // Recent kubectl asks for aggregated discovery first; the legacy answer makes it fall back.
      const requests = kube().requests();
      const discovery = requests.filter((r) => r.path === '/api' || r.path === '/apis');
      expect(discovery.length).toBeGreaterThan(0);
      const paths = requests.map((r) => r.path);
      if (discovery.some((r) => r.accept?.includes('apidiscovery.k8s.io'))) {
        expect(paths).toContain('/api/v1');
        expect(paths).toContain('/apis/apps/v1');
      }
      expect(requests.every((r) => r.user === 'admin')).toBe(true);

      const names = await kubectl(['get', 'secrets', '-n', 'prod', '-o', 'name']);
      expect(names.code).toBe(0);
      expect(names.stdout.trim().split('\n')).toEqual(['secret/app', 'secret/db']);
    });

    test('rollout restart sets the annotation and bumps the generation; rollout status waits for it', async () => {
      const before = kube().get('Deployment', 'prod', 'web');
      const restart = await kubectl(['rollout', 'restart', 'deployment/web', '-n', 'prod']);
      expect(restart.stderr).toBe('');
      expect(restart.stdout.trim()).toBe('deployment.apps/web restarted');

      const after = kube().get('Deployment', 'prod', 'web');
      expect(after?.metadata?.generation).toBe((before?.metadata?.generation ?? 0) + 1);
      expect(after?.spec?.template?.metadata?.annotations).toHaveProperty([
        'kubectl.kubernetes.io/restartedAt',
      ]);
      const patch = kube()
        .requests()
        .find((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/web'));
      expect(patch?.contentType).toBe('application/strategic-merge-patch+json');

      const status = await kubectl([
        'rollout',
        'status',
        'deployment/web',
        '-n',
        'prod',
        '--timeout=20s',
      ]);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('deployment "web" successfully rolled out');
      expect(kube().get('Deployment', 'prod', 'web')?.status).toMatchObject({
        observedGeneration: after?.metadata?.generation,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
      });
    });

    test('rollout status follows StatefulSets and DaemonSets too', async () => {
      const server = kube();
      server.put(workload('StatefulSet', 'prod', 'db', 2));
      server.put(workload('DaemonSet', 'prod', 'agent'));
      for (const target of ['statefulset/db', 'daemonset/agent']) {
        const restart = await kubectl(['rollout', 'restart', target, '-n', 'prod']);
        expect(restart.code).toBe(0);
        const status = await kubectl(['rollout', 'status', target, '-n', 'prod', '--timeout=20s']);
        expect(status.stderr).toBe('');
        expect(status.code).toBe(0);
      }
      const db = server.get('StatefulSet', 'prod', 'db');
      expect(db?.status?.updatedReplicas).toBe(2);
      expect(db?.status?.currentRevision).toBe(db?.status?.updateRevision);
      expect(server.get('DaemonSet', 'prod', 'agent')?.status).toMatchObject({
        desiredNumberScheduled: 2,
        updatedNumberScheduled: 2,
        numberAvailable: 2,
      });
    });

    test('with a token the rules do not allow, kubectl fails with the Forbidden message', async () => {
      const config = kube().writeKubeconfig(home, { token: 'alice-token' }, 'alice');
      const read = await kubectl(['get', 'secret', 'app', '-n', 'prod', '-o', 'name'], config);
      expect(read.stdout.trim()).toBe('secret/app');

      const remove = await kubectl(['delete', 'secret', 'app', '-n', 'prod'], config);
      expect(remove.code).not.toBe(0);
      expect(remove.stderr).toContain(
        'Error from server (Forbidden): secrets "app" is forbidden: User "alice" cannot delete ' +
          'resource "secrets" in API group "" in the namespace "prod"',
      );
      const restart = await kubectl(['rollout', 'restart', 'deployment/web', '-n', 'prod'], config);
      expect(restart.code).not.toBe(0);
      expect(restart.stderr).toContain(
        'deployments.apps "web" is forbidden: User "alice" cannot get',
      );
      expect(kube().get('Secret', 'prod', 'app')).toBeDefined();
    });

    test('create secret and auth can-i, whose bodies kubectl sends as protobuf', async () => {
      const create = await kubectl([
        'create',
        'secret',
        'generic',
        'made',
        '-n',
        'prod',
        '--from-literal=token=s3cr3t',
        '--from-literal=empty=',
      ]);
      expect(create.stderr).toBe('');
      expect(create.stdout.trim()).toBe('secret/made created');
      const made = kube().get('Secret', 'prod', 'made');
      expect(made?.type).toBe('Opaque');
      expect(made?.metadata).not.toHaveProperty('generateName');
      expect(decode(made?.data?.token)).toBe('s3cr3t');
      expect(made?.data?.empty).toBe('');

      const alice = kube().writeKubeconfig(home, { token: 'alice-token' }, 'alice-can-i');
      const can = async (...args: string[]) =>
        (await kubectl(['auth', 'can-i', ...args], alice)).stdout.trim();
      expect(await can('get', 'secrets', '-n', 'prod')).toBe('yes');
      expect(await can('update', 'secrets', '-n', 'prod')).toBe('no');
      expect(await can('get', 'secrets', '-n', 'kube-system')).toBe('no');
      expect(await can('patch', 'deployments', '-n', 'prod')).toBe('no');
    });

    test('an expired token is refused with 401', async () => {
      const config = kube().writeKubeconfig(home, { token: 'old-token' }, 'expired');
      const result = await kubectl(['get', 'secrets', '-n', 'prod'], config);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/You must be logged in to the server|Unauthorized/);
    });

    test('get -w sees a change made through the API', async () => {
      const server = kube();
      server.put(secret('watched', 'app', { password: 'one' }));
      const child = spawn(
        KUBECTL,
        [
          '--kubeconfig',
          adminConfig,
          'get',
          'secrets',
          '-n',
          'watched',
          '-w',
          '--output-watch-events',
        ],
        { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        await waitUntil(() => output.includes('ADDED'), {
          timeoutMs: 10_000,
          what: 'the initial event',
          detail: () => output,
        });
        server.put(secret('watched', 'app', { password: 'two' }));
        await waitUntil(() => output.includes('MODIFIED'), {
          timeoutMs: 10_000,
          what: 'the change',
          detail: () => output,
        });
        const rows = output
          .trim()
          .split('\n')
          .map((line) => line.split(/\s+/).slice(0, 2));
        expect(rows).toEqual([
          ['EVENT', 'NAME'],
          ['ADDED', 'app'],
          ['MODIFIED', 'app'],
        ]);
      } finally {
        child.kill('SIGKILL');
      }
    });
  });

  describe('@kubernetes/client-node', () => {
    const client = () => {
      const config = new KubeConfig();
      config.loadFromString(kube().kubeconfig({ namespace: 'prod' }));
      return config;
    };

    test('reads a Secret, and a replace with a stale resourceVersion fails with 409', async () => {
      const core = client().makeApiClient(CoreV1Api);
      const read = await core.readNamespacedSecret({ name: 'app', namespace: 'prod' });
      expect(read.metadata?.name).toBe('app');
      expect(read.data?.password).toBeDefined();

      const fresh = { ...read, stringData: { password: 'rotated' } };
      const replaced = await core.replaceNamespacedSecret({
        name: 'app',
        namespace: 'prod',
        body: fresh,
      });
      expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(
        Number(read.metadata?.resourceVersion),
      );
      expect(decode(replaced.data?.password)).toBe('rotated');
      expect(replaced.stringData).toBeUndefined();

      const stale = core.replaceNamespacedSecret({ name: 'app', namespace: 'prod', body: read });
      await expect(stale).rejects.toMatchObject({ code: 409 });
      await stale.catch((error: { body: unknown }) => {
        const body =
          typeof error.body === 'string' ? (JSON.parse(error.body) as unknown) : error.body;
        expect(body).toMatchObject({ reason: 'Conflict', code: 409 });
      });
      expect(decode(kube().get('Secret', 'prod', 'app')?.data?.password)).toBe('rotated');
    });

    test('works over plain http too, and with one of several contexts', async () => {
      const config = new KubeConfig();
      config.loadFromString(
        kube().kubeconfig([
          { context: 'admin', namespace: 'prod', tls: false },
          { context: 'alice', token: 'alice-token', namespace: 'prod' },
        ]),
      );
      expect(config.getContexts().map((c) => c.name)).toEqual(['admin', 'alice']);
      const asAdmin = config.makeApiClient(CoreV1Api);
      expect(
        (await asAdmin.listNamespacedSecret({ namespace: 'prod' })).items.length,
      ).toBeGreaterThan(0);
      config.setCurrentContext('alice');
      const asAlice = config.makeApiClient(AppsV1Api);
      await expect(asAlice.listNamespacedDeployment({ namespace: 'prod' })).rejects.toMatchObject({
        code: 403,
      });
      expect(kube().requests().at(-1)).toMatchObject({ user: 'alice', verb: 'list', status: 403 });
    });

    test('Watch on secrets sees MODIFIED', async () => {
      const server = kube();
      server.put(secret('clientwatch', 'app', { password: 'one' }));
      const events: string[] = [];
      let done = false;
      const watcher = await new Watch(client()).watch(
        '/api/v1/namespaces/clientwatch/secrets',
        { resourceVersion: server.resourceVersion },
        (type: string) => events.push(type),
        () => (done = true),
      );
      try {
        const core = client().makeApiClient(CoreV1Api);
        await core.patchNamespacedSecret(
          { name: 'app', namespace: 'clientwatch', body: { stringData: { password: 'two' } } },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
        await waitUntil(() => events.includes('MODIFIED'), { timeoutMs: 5_000, what: 'MODIFIED' });
        expect(events).toEqual(['MODIFIED']);
        expect(done).toBe(false);
      } finally {
        watcher.abort();
      }
    });

    test('JSON patch (client-node default) with a test op as precondition', async () => {
      const server = kube();
      const seeded = server.put(secret('jsonpatch', 'app', { password: 'one' }));
      const core = client().makeApiClient(CoreV1Api);
      const patched = await core.patchNamespacedSecret({
        name: 'app',
        namespace: 'jsonpatch',
        body: [
          {
            op: 'test',
            path: '/metadata/resourceVersion',
            value: seeded.metadata?.resourceVersion,
          },
          { op: 'replace', path: '/data/password', value: Buffer.from('two').toString('base64') },
        ],
      });
      expect(decode(patched.data?.password)).toBe('two');
      const again = core.patchNamespacedSecret({
        name: 'app',
        namespace: 'jsonpatch',
        body: [
          {
            op: 'test',
            path: '/metadata/resourceVersion',
            value: seeded.metadata?.resourceVersion,
          },
        ],
      });
      await expect(again).rejects.toMatchObject({ code: 409 });
    });
  });

  describe('Secret semantics', () => {
    const put = (path: string, body: unknown) =>
      api(path, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const patch = (path: string, body: unknown, type = 'application/merge-patch+json') =>
      api(path, { method: 'PATCH', headers: { 'Content-Type': type }, body: JSON.stringify(body) });
    const path = '/api/v1/namespaces/semantics/secrets/app';

    test('stringData merges into data on create, update and patch, and is never returned', async () => {
      kube().put(secret('semantics', 'app', { keep: 'kept', password: 'old' }));
      const patched = await json(
        await patch(path, { stringData: { password: 'new', extra: 'x' } }),
      );
      expect(patched.stringData).toBeUndefined();
      const data = patched.data as Record<string, string>;
      expect(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, decode(v)]))).toEqual({
        keep: 'kept',
        password: 'new',
        extra: 'x',
      });
      // stringData wins over data for the same key.
      const replaced = await json(
        await put(path, {
          metadata: { name: 'app' },
          data: { password: Buffer.from('from-data').toString('base64') },
          stringData: { password: 'from-stringData' },
        }),
      );
      expect(decode((replaced.data as Record<string, string>).password)).toBe('from-stringData');
      expect(Object.keys(replaced.data as object)).toEqual(['password']);
    });

    test('PUT checks resourceVersion when given and is unconditional without', async () => {
      const stored = kube().put(secret('semantics', 'app', { password: 'a' }));
      const rv = stored.metadata?.resourceVersion;
      const body = (password: string, resourceVersion?: string) => ({
        metadata: { name: 'app', ...(resourceVersion && { resourceVersion }) },
        stringData: { password },
      });
      const first = await put(path, body('b', rv));
      expect(first.status).toBe(200);
      const newRv = ((await json(first)).metadata as { resourceVersion: string }).resourceVersion;
      expect(Number(newRv)).toBeGreaterThan(Number(rv));
      expect((await put(path, body('c', rv))).status).toBe(409);
      expect((await put(path, body('d'))).status).toBe(200);
      expect(decode(kube().get('Secret', 'semantics', 'app')?.data?.password)).toBe('d');
    });

    test('a resourceVersion inside a merge or strategic merge patch is a precondition', async () => {
      const stored = kube().put(secret('semantics', 'app', { password: 'a' }));
      const rv = stored.metadata?.resourceVersion;
      const stale = {
        metadata: { resourceVersion: String(Number(rv) - 1) },
        stringData: { password: 'x' },
      };
      for (const type of [
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ]) {
        const refused = await patch(path, stale, type);
        expect(refused.status).toBe(409);
        expect((await json(refused)).reason).toBe('Conflict');
      }
      const accepted = await patch(path, {
        metadata: { resourceVersion: rv },
        stringData: { password: 'b' },
      });
      expect(accepted.status).toBe(200);
      expect(decode(kube().get('Secret', 'semantics', 'app')?.data?.password)).toBe('b');
      expect((await patch(path, {}, 'application/apply-patch+yaml')).status).toBe(415);
    });

    test('every write advances the global resourceVersion; a no-op write does not', async () => {
      kube().put(secret('semantics', 'app', { password: 'a' }));
      const before = Number(kube().resourceVersion);
      const changed = await json(
        await patch(path, { metadata: { annotations: { rotated: 'yes' } } }),
      );
      const rv = Number((changed.metadata as { resourceVersion: string }).resourceVersion);
      expect(rv).toBe(before + 1);
      const same = await json(await patch(path, { metadata: { annotations: { rotated: 'yes' } } }));
      expect(Number((same.metadata as { resourceVersion: string }).resourceVersion)).toBe(rv);
      expect(Number(kube().resourceVersion)).toBe(rv);
    });

    test('immutable Secrets, bad base64, bad keys, missing namespaces and DELETE', async () => {
      kube().put({ ...secret('semantics', 'frozen', { password: 'a' }), immutable: true });
      const frozen = await patch('/api/v1/namespaces/semantics/secrets/frozen', {
        stringData: { password: 'b' },
      });
      expect(frozen.status).toBe(422);
      expect(await json(frozen)).toEqual(fixture('status-422-immutable.json'));

      const badBase64 = await patch(path, { data: { password: 'not base64!' } });
      expect(badBase64.status).toBe(400);
      expect((await json(badBase64)).message).toBe(
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
      );
      const badKey = await patch(path, { stringData: { 'bad key': 'x' } });
      expect(badKey.status).toBe(422);
      expect((await json(badKey)).message).toMatch(
        /^Secret "app" is invalid: data\[bad key\]: Invalid value/,
      );

      const nowhere = await api('/api/v1/namespaces/nowhere/secrets', {
        method: 'POST',
        body: JSON.stringify({ metadata: { name: 'x' } }),
      });
      expect(nowhere.status).toBe(404);
      expect((await json(nowhere)).message).toBe('namespaces "nowhere" not found');

      const removed = await api(path, { method: 'DELETE' });
      expect(removed.status).toBe(200);
      expect(await json(removed)).toMatchObject({
        kind: 'Status',
        status: 'Success',
        details: { name: 'app', kind: 'secrets' },
      });
      expect((await api(path)).status).toBe(404);
    });
  });

  describe('rollouts', () => {
    const restartedAt = () => ({
      spec: {
        template: {
          metadata: {
            annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() },
          },
        },
      },
    });

    test('replicas advance one per step, seen through a watch', async () => {
      const server = kube();
      server.put(workload('Deployment', 'progress', 'web', 3));
      const seen: WorkloadObject[] = [];
      const watcher = await new Watch(
        (() => {
          const config = new KubeConfig();
          config.loadFromString(server.kubeconfig());
          return config;
        })(),
      ).watch(
        '/apis/apps/v1/namespaces/progress/deployments',
        { resourceVersion: server.resourceVersion },
        (_type: string, object: WorkloadObject) => seen.push(object),
        () => undefined,
      );
      try {
        const response = await api('/apis/apps/v1/namespaces/progress/deployments/web', {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/merge-patch+json' },
          body: JSON.stringify(restartedAt()),
        });
        expect(response.status).toBe(200);
        expect(((await json(response)).metadata as { generation: number }).generation).toBe(2);
        await waitUntil(
          () => seen.at(-1)?.status?.conditions?.[1]?.reason === 'NewReplicaSetAvailable',
          {
            timeoutMs: 5_000,
            what: 'the rollout to finish',
          },
        );
        const updated = seen.map((object) => object.status?.updatedReplicas ?? 0);
        expect(updated).toEqual([3, 0, 1, 2, 3]);
        expect(seen.slice(1).every((object) => object.status?.observedGeneration === 2)).toBe(true);
      } finally {
        watcher.abort();
      }
    });

    test('a stalled rollout times kubectl out, and finishes once released', async () => {
      const server = kube();
      server.put(workload('Deployment', 'prod', 'stuck', 2));
      server.stallRollouts(true);
      try {
        expect((await kubectl(['rollout', 'restart', 'deployment/stuck', '-n', 'prod'])).code).toBe(
          0,
        );
        const status = await kubectl([
          'rollout',
          'status',
          'deployment/stuck',
          '-n',
          'prod',
          '--timeout=1s',
        ]);
        expect(status.code).not.toBe(0);
        expect(status.stdout).toContain('0 out of 2 new replicas have been updated');
        expect(status.stderr).toMatch(/timed out waiting for the condition/);
      } finally {
        server.stallRollouts(false);
      }
      await server.rolloutsSettled();
      expect(server.get('Deployment', 'prod', 'stuck')?.status?.updatedReplicas).toBe(2);
    });

    test('a failed rollout makes kubectl report the progress deadline', async () => {
      const server = kube();
      server.put(workload('Deployment', 'prod', 'doomed', 2));
      server.failRollouts(true);
      try {
        expect(
          (await kubectl(['rollout', 'restart', 'deployment/doomed', '-n', 'prod'])).code,
        ).toBe(0);
        const status = await kubectl([
          'rollout',
          'status',
          'deployment/doomed',
          '-n',
          'prod',
          '--timeout=10s',
        ]);
        expect(status.code).not.toBe(0);
        expect(status.stderr).toContain('deployment "doomed" exceeded its progress deadline');
        expect(server.get('Deployment', 'prod', 'doomed')?.status?.conditions).toContainEqual(
          expect.objectContaining({
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
          }),
        );
      } finally {
        server.failRollouts(false);
      }
      await server.rolloutsSettled();
    });
  });
});

test('startKubeApiServer: stop ends open watches and frees the port', async () => {
  const server: KubeApiServer = await startKubeApiServer();
  const response = await fetch(`${server.url}/api/v1/secrets?watch=true`, {
    headers: { Authorization: `Bearer ${server.adminToken}` },
  });
  const text = response.text();
  await server.stop();
  await expect(text).resolves.toBeTypeOf('string');
  await expect(fetch(`${server.url}/version`)).rejects.toThrow();
  await server.stop();
});
