import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeCluster } from '../../src/main/kube/kube-client';
import {
  parseKubeconfig,
  readKubeconfigFile,
  selectContext,
} from '../../src/main/kube/kube-config';
import type { RolloutProgress } from '../../src/main/kube/rollout';
import { usesSecret } from '../../src/main/kube/workload-secrets';
import { RekeyError } from '../../src/shared/errors';
import {
  type KubeApiServer,
  type SecretObject,
  type WorkloadObject,
  useKubeApiServer,
} from '../helpers/kube-apiserver';
import { standInCertificate } from '../helpers/kube/tls';
import { freeLoopbackPort } from '../helpers/sshd-server';
import { useTempDirs } from '../helpers/temp';

/**
 * The Kubernetes connector with the real @kubernetes/client-node over real HTTP, against the
 * stand-in API server (test/helpers/kube-apiserver.ts: no Kubernetes server can run here). It
 * speaks the real wire format: Status bodies, resourceVersion conflicts, RBAC denials,
 * strategic merge patches, watches and a rollout controller.
 */

const b64 = (value: Buffer | string) => Buffer.from(value).toString('base64');
/** Every byte value, so a base64 or UTF-8 slip shows. */
const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

let counter = 0;
/** A fresh namespace per test: tests share one server. */
function freshNamespace(): string {
  counter += 1;
  return `t${counter}-${randomBytes(3).toString('hex')}`;
}

async function failure(promise: Promise<unknown>): Promise<RekeyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RekeyError) return error;
    throw error;
  }
  throw new Error('expected the call to fail with a RekeyError');
}

function putSecret(
  server: KubeApiServer,
  namespace: string,
  name: string,
  data: Record<string, Buffer | string>,
  extra: Partial<SecretObject> = {},
): SecretObject {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  return server.put<SecretObject>({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'Opaque',
    data: encoded,
    ...extra,
  });
}

function storedData(
  server: KubeApiServer,
  namespace: string,
  name: string,
): Record<string, Buffer> {
  const secret = server.get('Secret', namespace, name);
  if (!secret) throw new Error(`no Secret ${namespace}/${name}`);
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  );
}

function workload(
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet',
  namespace: string,
  name: string,
  podSpec: Record<string, unknown>,
  replicas = 3,
): WorkloadObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace },
    spec: {
      ...(kind !== 'DaemonSet' && { replicas }),
      ...(kind === 'StatefulSet' && { serviceName: name }),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec },
    },
  };
}

const APP = { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] };

/**
 * An HTTPS proxy (the stand-in's certificate) in front of the stand-in that runs `before`
 * ahead of forwarding each request: how a test makes another writer act between Rekey's read
 * and its write, deterministically.
 */
function useProxies() {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  });
  return async (
    target: string,
    before: (request: IncomingMessage) => void | Promise<void>,
  ): Promise<string> => {
    const upstream = new URL(target);
    const server = createHttpsServer(await standInCertificate(), (incoming, outgoing) => {
      void (async () => {
        await before(incoming);
        const forwarded = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: incoming.method,
            path: incoming.url,
            headers: incoming.headers,
          },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forwarded.on('error', () => outgoing.destroy());
        incoming.pipe(forwarded);
      })();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
}

describe('kube client: Secrets', () => {
  const server = useKubeApiServer();
  const proxy = useProxies();
  const cluster = (namespace: string) =>
    new KubeCluster(server().kubeconfig({ namespace }), 'rekey-test');

  it('reads and writes a key, base64 handled and binary-safe, keeping the other keys', async () => {
    const ns = freshNamespace();
    putSecret(server(), ns, 'app', { password: 'old-password', other: BINARY });
    const kube = cluster(ns);

    const read = await kube.readKey({ namespace: ns, name: 'app', key: 'other' });
    expect(read.value?.equals(BINARY)).toBe(true);
    expect(read.resourceVersion).toBe(server().get('Secret', ns, 'app')?.metadata?.resourceVersion);

    const value = Buffer.concat([BINARY, Buffer.from('\n\0end')]);
    const written = await kube.writeKey({ namespace: ns, name: 'app', key: 'password' }, value);
    const stored = storedData(server(), ns, 'app');
    expect(stored.password?.equals(value)).toBe(true);
    expect(stored.other?.equals(BINARY)).toBe(true);
    expect(written.previous?.data).toEqual({ password: b64('old-password'), other: b64(BINARY) });
    expect(written.previous?.resourceVersion).toBe(read.resourceVersion);
    expect(written.resourceVersion).toBe(
      server().get('Secret', ns, 'app')?.metadata?.resourceVersion,
    );

    const again = await kube.readKey({ namespace: ns, name: 'app', key: 'password' });
    expect(again.value?.equals(value)).toBe(true);
    expect((await kube.readKey({ namespace: ns, name: 'app', key: 'absent' })).value).toBeNull();

    // The write is a PUT of the whole Secret, never a patch that could merge blindly.
    const writes = server()
      .requests()
      .filter((r) => r.path === `/api/v1/namespaces/${ns}/secrets/app` && r.method !== 'GET');
    expect(writes.map((r) => r.method)).toEqual(['PUT']);
  });

  it('readSecret decodes every key; a missing Secret is NOT_FOUND naming it', async () => {
    const ns = freshNamespace();
    putSecret(
      server(),
      ns,
      'tls',
      { 'tls.key': BINARY, 'tls.crt': 'cert' },
      { type: 'kubernetes.io/tls' },
    );
    const content = await cluster(ns).readSecret(ns, 'tls');
    expect(content.type).toBe('kubernetes.io/tls');
    expect(content.data['tls.key']?.equals(BINARY)).toBe(true);
    expect(content.data['tls.crt']?.toString()).toBe('cert');

    const missing = await failure(cluster(ns).readSecret(ns, 'nope'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain(`Secret ${ns}/nope does not exist`);
    const missingKeyOfMissing = await failure(
      cluster(ns).readKey({ namespace: ns, name: 'nope', key: 'k' }),
    );
    expect(missingKeyOfMissing.code).toBe('NOT_FOUND');
  });

  it('lists Secrets with keys, types and owners, values only through value()', async () => {
    const ns = freshNamespace();
    const value = `value-${randomBytes(8).toString('hex')}`;
    putSecret(server(), ns, 'b-db', { password: value, user: 'synapse' });
    putSecret(
      server(),
      ns,
      'a-owned',
      { token: 't' },
      {
        metadata: {
          name: 'a-owned',
          namespace: ns,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'web',
              uid: 'u-1',
              controller: true,
            },
          ],
        },
      },
    );
    const list = await cluster(ns).secretKeys(ns);
    expect(list.map((s) => [s.name, s.type, s.keys])).toEqual([
      ['a-owned', 'Opaque', ['token']],
      ['b-db', 'Opaque', ['password', 'user']],
    ]);
    expect(list[0]?.ownerReferences).toEqual([
      { kind: 'Deployment', name: 'web', controller: true },
    ]);
    expect(list[1]?.value('password')?.toString()).toBe(value);
    expect(list[1]?.value('absent')).toBeNull();
    expect(JSON.stringify(list)).not.toContain(value);
    expect(JSON.stringify(list)).not.toContain(b64(value));
    expect(structuredClone(list[1])).not.toHaveProperty('value');
  });

  it('follows list pages: every Secret of a large namespace is listed', async () => {
    const ns = freshNamespace();
    for (let i = 0; i < 501; i++)
      putSecret(server(), ns, `s-${String(i).padStart(3, '0')}`, { k: `${i}` });
    server().clearRequests();
    const list = await cluster(ns).secretKeys(ns);
    expect(list).toHaveLength(501);
    expect(list.at(-1)?.name).toBe('s-500');
    const pages = server()
      .requests()
      .filter((r) => r.verb === 'list');
    expect(pages.map((r) => [r.query.limit, r.query.continue === undefined])).toEqual([
      ['500', true],
      ['500', false],
    ]);
  });

  it('a write racing another writer gets CONFLICT naming the Secret and changes nothing', async () => {
    const ns = freshNamespace();
    putSecret(server(), ns, 'db', { password: 'original' });
    let raced = false;
    const url = await proxy(server().url, (incoming) => {
      if (incoming.method === 'PUT' && !raced) {
        raced = true;
        putSecret(server(), ns, 'db', { password: 'theirs' });
      }
    });
    const kube = new KubeCluster(server().kubeconfig({ server: url, namespace: ns }));
    const secret = Buffer.from(`mine-${randomBytes(8).toString('hex')}`);
    const error = await failure(
      kube.writeKey({ namespace: ns, name: 'db', key: 'password' }, secret),
    );
    expect(raced).toBe(true);
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`Secret ${ns}/db was changed by someone else`);
    expect(error.message).toContain('nothing was written');
    expect(error.message).not.toContain(secret.toString());
    expect(storedData(server(), ns, 'db').password?.toString()).toBe('theirs');
  });

  it('an expected resourceVersion that is no longer current is a CONFLICT before any write', async () => {
    const ns = freshNamespace();
    const before = putSecret(server(), ns, 'db', { password: 'one' });
    putSecret(server(), ns, 'db', { password: 'two' });
    server().clearRequests();
    const error = await failure(
      cluster(ns).writeKey({ namespace: ns, name: 'db', key: 'password' }, Buffer.from('three'), {
        expectedResourceVersion: before.metadata?.resourceVersion,
      }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/changed since Rekey read it/);
    expect(
      server()
        .requests()
        .some((r) => r.method === 'PUT'),
    ).toBe(false);
    expect(storedData(server(), ns, 'db').password?.toString()).toBe('two');
  });

  it('rollback restores the previous data exactly', async () => {
    const ns = freshNamespace();
    putSecret(server(), ns, 'db', { password: 'old', extra: BINARY });
    const kube = cluster(ns);
    const written = await kube.writeKey(
      { namespace: ns, name: 'db', key: 'password' },
      Buffer.from('new'),
    );
    await kube.restoreSecret(ns, 'db', written);
    const stored = storedData(server(), ns, 'db');
    expect(stored.password?.toString()).toBe('old');
    expect(stored.extra?.equals(BINARY)).toBe(true);
    expect(Object.keys(stored).sort()).toEqual(['extra', 'password']);
  });

  it('rollback refuses, changing nothing, when someone changed the Secret since our write', async () => {
    const ns = freshNamespace();
    putSecret(server(), ns, 'db', { password: 'old' });
    const kube = cluster(ns);
    const written = await kube.writeKey(
      { namespace: ns, name: 'db', key: 'password' },
      Buffer.from('new'),
    );
    putSecret(server(), ns, 'db', { password: 'someone-else' });
    const error = await failure(kube.restoreSecret(ns, 'db', written));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(
      `Secret ${ns}/db was changed by someone else after Rekey wrote it`,
    );
    expect(error.message).toContain('NOT put back');
    expect(error.message).not.toMatch(/old|someone-else/);
    expect(storedData(server(), ns, 'db').password?.toString()).toBe('someone-else');
  });

  it('adds a missing key; creates a missing Secret only when asked, and rolls that back', async () => {
    const ns = freshNamespace();
    putSecret(server(), ns, 'app', { a: '1' });
    const kube = cluster(ns);
    const added = await kube.writeKey({ namespace: ns, name: 'app', key: 'b' }, Buffer.from('2'));
    expect(added.previous?.data).toEqual({ a: b64('1') });
    expect(storedData(server(), ns, 'app').b?.toString()).toBe('2');

    const ref = { namespace: ns, name: 'fresh', key: 'token' };
    const refused = await failure(kube.writeKey(ref, Buffer.from('t')));
    expect(refused.code).toBe('NOT_FOUND');
    expect(refused.message).toContain(`Secret ${ns}/fresh does not exist`);
    expect(server().get('Secret', ns, 'fresh')).toBeUndefined();

    const created = await kube.writeKey(ref, Buffer.from('t'), { create: true });
    expect(created.previous).toBeNull();
    expect(server().get('Secret', ns, 'fresh')?.type).toBe('Opaque');
    expect(storedData(server(), ns, 'fresh').token?.toString()).toBe('t');

    await kube.restoreSecret(ns, 'fresh', created);
    expect(server().get('Secret', ns, 'fresh')).toBeUndefined();
  });

  it('writeSecret replaces the whole data of a Secret built from several keys', async () => {
    const ns = freshNamespace();
    putSecret(server(), ns, 'bundle', { stale: 'x', keep: 'old' });
    const kube = cluster(ns);
    const result = await kube.writeSecret(ns, 'bundle', {
      keep: Buffer.from('new'),
      'key.bin': BINARY,
    });
    const stored = storedData(server(), ns, 'bundle');
    expect(Object.keys(stored).sort()).toEqual(['keep', 'key.bin']);
    expect(stored['key.bin']?.equals(BINARY)).toBe(true);
    expect(result.previous?.data).toEqual({ stale: b64('x'), keep: b64('old') });

    const made = await kube.writeSecret(ns, 'generated', { a: Buffer.from('1') }, { create: true });
    expect(made.previous).toBeNull();
    expect(storedData(server(), ns, 'generated').a?.toString()).toBe('1');
  });

  it('an immutable Secret is refused before any write, saying why', async () => {
    const ns = freshNamespace();
    putSecret(server(), ns, 'frozen', { k: 'v' }, { immutable: true });
    const error = await failure(
      cluster(ns).writeKey({ namespace: ns, name: 'frozen', key: 'k' }, Buffer.from('w')),
    );
    expect(error.code).toBe('REMOTE_FAILED');
    expect(error.message).toMatch(/immutable/);
  });

  it('refuses invalid references before contacting the cluster', async () => {
    const error = await failure(
      cluster('default').writeKey(
        { namespace: 'default', name: 'Bad_Name', key: 'k' },
        Buffer.from('v'),
      ),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/not a valid Secret name/);
  });
});

describe('kube client: rollouts', () => {
  const server = useKubeApiServer({ rolloutStepMs: 20 });
  const cluster = (namespace: string) => new KubeCluster(server().kubeconfig({ namespace }));

  it('rollout restart sets restartedAt on the pod template as kubectl does, and the wait completes', async () => {
    const ns = freshNamespace();
    server().put(workload('Deployment', ns, 'web', APP, 3));
    const kube = cluster(ns);
    server().clearRequests();
    const before = server().get('Deployment', ns, 'web')?.metadata?.generation ?? 0;
    const restart = await kube.rolloutRestart('Deployment', ns, 'web');
    expect(restart.restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(restart.generation).toBeGreaterThan(before);

    const stored = server().get('Deployment', ns, 'web');
    expect(stored?.spec?.template?.metadata?.annotations).toEqual({
      'kubectl.kubernetes.io/restartedAt': restart.restartedAt,
    });
    const patch = server()
      .requests()
      .find((r) => r.method === 'PATCH');
    expect(patch?.contentType).toBe('application/strategic-merge-patch+json');

    const progress: RolloutProgress[] = [];
    const state = await kube.waitForRollout('Deployment', ns, 'web', {
      timeoutMs: 10_000,
      onProgress: (p) => progress.push(p),
    });
    expect(state.done).toBe(true);
    expect(state.summary).toBe('3 of 3 updated');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.map((p) => p.summary)).toContain('1 of 3 updated');
    expect(progress.at(-1)).toMatchObject({
      kind: 'Deployment',
      namespace: ns,
      name: 'web',
      done: true,
    });
    // Progress came from a watch on that one Deployment, not from polling it.
    const path = `/apis/apps/v1/namespaces/${ns}/deployments`;
    const watches = server()
      .requests()
      .filter((r) => r.verb === 'watch' && r.path === path);
    expect(watches.map((r) => r.query.fieldSelector)).toEqual(['metadata.name=web']);
    const reads = server()
      .requests()
      .filter((r) => r.method === 'GET' && r.path === `${path}/web`);
    expect(reads.length).toBeLessThanOrEqual(3);
    const final = server().get('Deployment', ns, 'web');
    expect(final?.status?.updatedReplicas).toBe(3);
    expect(final?.status?.availableReplicas).toBe(3);
  });

  it('restarts and waits for StatefulSets and DaemonSets too', async () => {
    const ns = freshNamespace();
    server().put(workload('StatefulSet', ns, 'db', APP, 2));
    server().put(workload('DaemonSet', ns, 'agent', APP));
    const kube = cluster(ns);
    for (const [kind, name] of [
      ['StatefulSet', 'db'],
      ['DaemonSet', 'agent'],
    ] as const) {
      await kube.rolloutRestart(kind, ns, name);
      const state = await kube.waitForRollout(kind, ns, name, { timeoutMs: 10_000 });
      expect(state.done).toBe(true);
      const stored = server().get(kind, ns, name);
      expect(stored?.spec?.template?.metadata?.annotations).toHaveProperty([
        'kubectl.kubernetes.io/restartedAt',
      ]);
    }
    const sts = server().get('StatefulSet', ns, 'db');
    expect(sts?.status?.currentRevision).toBe(sts?.status?.updateRevision);
  });

  it('a stalled rollout times out with a clear timeout error saying how far it got', async () => {
    const ns = freshNamespace();
    server().put(workload('Deployment', ns, 'stuck', APP, 3));
    const kube = cluster(ns);
    server().stallRollouts(true);
    try {
      await kube.rolloutRestart('Deployment', ns, 'stuck');
      const started = Date.now();
      const error = await failure(
        kube.waitForRollout('Deployment', ns, 'stuck', { timeoutMs: 700, pollIntervalMs: 100 }),
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error.code).toBe('CONNECTION_TIMEOUT');
      expect(error.message).toMatch(
        new RegExp(
          `^The rollout of Deployment ${ns}/stuck did not finish within 700 ms \\(last seen: \\d of 3 updated`,
        ),
      );
    } finally {
      server().stallRollouts(false);
    }
  });

  it('ProgressDeadlineExceeded fails fast, long before the timeout', async () => {
    const ns = freshNamespace();
    server().put(workload('Deployment', ns, 'broken', APP, 3));
    const kube = cluster(ns);
    server().failRollouts(true);
    try {
      await kube.rolloutRestart('Deployment', ns, 'broken');
      const started = Date.now();
      const error = await failure(
        kube.waitForRollout('Deployment', ns, 'broken', { timeoutMs: 60_000 }),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error.code).toBe('REMOTE_FAILED');
      expect(error.message).toMatch(
        new RegExp(
          `^The rollout of Deployment ${ns}/broken failed: it exceeded its progress deadline`,
        ),
      );
    } finally {
      server().failRollouts(false);
    }
  });

  it('waiting can be cancelled with a signal', async () => {
    const ns = freshNamespace();
    server().put(workload('Deployment', ns, 'slow', APP, 3));
    const kube = cluster(ns);
    server().stallRollouts(true);
    try {
      await kube.rolloutRestart('Deployment', ns, 'slow');
      const controller = new AbortController();
      const reason = new RekeyError('CONFLICT', 'the run was cancelled');
      setTimeout(() => controller.abort(reason), 200);
      const error = await failure(
        kube.waitForRollout('Deployment', ns, 'slow', {
          timeoutMs: 30_000,
          signal: controller.signal,
        }),
      );
      expect(error).toBe(reason);
    } finally {
      server().stallRollouts(false);
    }
  });

  it('a missing workload is NOT_FOUND naming it', async () => {
    const ns = freshNamespace();
    const error = await failure(cluster(ns).rolloutRestart('Deployment', ns, 'ghost'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(`Deployment ${ns}/ghost does not exist`);
  });

  it('finds which workloads read which Secrets: env, envFrom, volumes, init containers', async () => {
    const ns = freshNamespace();
    server().put(
      workload('Deployment', ns, 'synapse', {
        initContainers: [
          {
            name: 'migrate',
            image: 'registry.example/synapse:1',
            env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }],
          },
        ],
        containers: [
          {
            name: 'synapse',
            image: 'registry.example/synapse:1',
            env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
          },
        ],
      }),
    );
    server().put(
      workload('StatefulSet', ns, 'livekit', {
        containers: [
          {
            name: 'livekit',
            image: 'registry.example/livekit:1',
            envFrom: [{ secretRef: { name: 'livekit-keys' } }],
          },
        ],
      }),
    );
    server().put(
      workload('DaemonSet', ns, 'agent', {
        containers: [
          {
            name: 'agent',
            image: 'registry.example/agent:1',
            volumeMounts: [{ name: 'tls', mountPath: '/tls' }],
          },
        ],
        volumes: [
          {
            name: 'tls',
            secret: { secretName: 'agent-tls', items: [{ key: 'tls.key', path: 'key' }] },
          },
        ],
      }),
    );
    server().put(workload('Deployment', ns, 'plain', APP));

    const found = await cluster(ns).workloadsUsingSecrets(ns);
    const byName = Object.fromEntries(found.map((w) => [w.name, w]));
    expect(Object.keys(byName).sort()).toEqual(['agent', 'livekit', 'synapse']);
    expect(byName.synapse?.kind).toBe('Deployment');
    expect(byName.synapse?.references).toEqual([
      { secret: 'db', keys: ['url'], via: 'env', where: 'migrate', init: true, optional: false },
      {
        secret: 'db',
        keys: ['password'],
        via: 'env',
        where: 'synapse',
        init: false,
        optional: false,
      },
    ]);
    expect(byName.livekit?.references).toEqual([
      {
        secret: 'livekit-keys',
        keys: null,
        via: 'envFrom',
        where: 'livekit',
        init: false,
        optional: false,
      },
    ]);
    expect(byName.agent?.references).toEqual([
      {
        secret: 'agent-tls',
        keys: ['tls.key'],
        via: 'volume',
        where: 'tls',
        init: false,
        optional: false,
      },
    ]);
    const restartFor = (secret: string, key: string) =>
      found.filter((w) => usesSecret(w, secret, key)).map((w) => `${w.kind}/${w.name}`);
    expect(restartFor('db', 'password')).toEqual(['Deployment/synapse']);
    expect(restartFor('livekit-keys', 'api-secret')).toEqual(['StatefulSet/livekit']);
    expect(restartFor('agent-tls', 'tls.crt')).toEqual([]);
  });
});

describe('kube client: refusals and unreachable clusters', () => {
  const server = useKubeApiServer();

  it('an RBAC denial names the user, the verb, the resource and the namespace', async () => {
    const ns = freshNamespace();
    putSecret(server(), ns, 'db', { password: 'old' });
    const token = `alice-${randomBytes(8).toString('hex')}`;
    server().addToken(token, {
      user: 'alice',
      rules: [
        { verbs: ['get', 'list'], resources: ['secrets'], apiGroups: [''], namespaces: [ns] },
      ],
    });
    const kube = new KubeCluster(
      server().kubeconfig({ token, namespace: ns, context: 'alice@test' }),
    );
    expect(
      (await kube.readKey({ namespace: ns, name: 'db', key: 'password' })).value?.toString(),
    ).toBe('old');

    const secret = Buffer.from(`new-${randomBytes(8).toString('hex')}`);
    const error = await failure(
      kube.writeKey({ namespace: ns, name: 'db', key: 'password' }, secret),
    );
    expect(error.code).toBe('REMOTE_FAILED');
    expect(error.message).toBe(
      `RBAC: user alice may not update secrets in namespace ${ns} (403); ` +
        `Rekey needed that for writing Secret ${ns}/db.`,
    );
    expect(error.message).not.toContain(secret.toString());
    expect(error.cause).toBeUndefined();
    expect(storedData(server(), ns, 'db').password?.toString()).toBe('old');

    const restart = await failure(kube.rolloutRestart('StatefulSet', ns, 'db'));
    expect(restart.message).toMatch(
      new RegExp(
        `^RBAC: user alice may not patch statefulsets\\.apps in namespace ${ns} \\(403\\)`,
      ),
    );
  });

  it('an expired token is AUTH_FAILED naming the context', async () => {
    const token = `expired-${randomBytes(8).toString('hex')}`;
    server().addToken(token, { user: 'bob', rules: [], expired: true });
    const kube = new KubeCluster(server().kubeconfig({ token, context: 'bob@prod' }), 'bob@prod');
    const error = await failure(kube.secretKeys('default'));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toBe(
      'The credentials of context bob@prod were refused (401): expired or invalid token.',
    );
    expect(error.message).not.toContain(token);
  });

  it('an unreachable API (a closed port) is CONNECTION_REFUSED naming its URL', async () => {
    const port = await freeLoopbackPort();
    const url = `https://127.0.0.1:${port}`;
    const kube = new KubeCluster(server().kubeconfig({ server: url }));
    const error = await failure(kube.readKey({ namespace: 'default', name: 'db', key: 'k' }));
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toBe(`Cannot reach the Kubernetes API at ${url}: connection refused.`);
  });

  it('an API server whose certificate is not trusted is refused before any credential is sent', async () => {
    const untrusted = server()
      .kubeconfig()
      .replace(/^\s*certificate-authority-data: .*\n/m, '');
    expect(untrusted).not.toContain('certificate-authority-data');
    server().clearRequests();
    const error = await failure(new KubeCluster(untrusted).secretKeys('default'));
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toMatch(
      new RegExp(
        `^Cannot reach the Kubernetes API at ${server().httpsUrl}: its TLS certificate was not accepted \\((SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT)\\)\\.$`,
      ),
    );
    expect(server().requests()).toEqual([]);
  });

  it('plain HTTP goes to this machine only, and carries no credentials (as with kubectl)', async () => {
    server().clearRequests();
    const local = new KubeCluster(server().kubeconfig({ tls: false, context: 'local' }));
    const error = await failure(local.secretKeys('default'));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toBe(
      'The credentials of context local were refused (401): Rekey sends no credentials over ' +
        'plain HTTP (use the https address).',
    );
    expect(
      server()
        .requests()
        .map((r) => r.user),
    ).toEqual([undefined]);

    const remote = server().kubeconfig({ server: 'http://kube.example:8080', context: 'remote' });
    const refused = await failure((async () => new KubeCluster(remote))());
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.message).toMatch(
      /^Context remote talks to http:\/\/kube\.example:8080 over plain HTTP/,
    );
  });

  it('an API that does not answer times out per request', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const kube = new KubeCluster(server().kubeconfig({ server: url }), undefined, {
        requestTimeoutMs: 300,
      });
      const error = await failure(kube.readSecret('default', 'db'));
      expect(error.code).toBe('CONNECTION_TIMEOUT');
      expect(error.message).toBe(
        `The Kubernetes API at ${url} did not answer within 300 ms during reading Secret default/db.`,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('kubeconfig loading', () => {
  const server = useKubeApiServer();
  const tempDir = useTempDirs();

  it('lists contexts with cluster server, user and namespace (default when unset)', async () => {
    const dir = tempDir();
    const path = server().writeKubeconfig(dir, [
      { context: 'prod', namespace: 'matrix' },
      { context: 'dev', server: 'https://dev.example:6443' },
    ]);
    const config = await readKubeconfigFile(path);
    expect(config.source).toBe(path);
    expect(config.currentContext).toBe('prod');
    expect(config.contexts).toEqual([
      {
        name: 'prod',
        cluster: 'rekey-test',
        server: server().httpsUrl,
        user: 'admin',
        namespace: 'matrix',
        current: true,
      },
      {
        name: 'dev',
        cluster: 'rekey-test-2',
        server: 'https://dev.example:6443',
        user: 'admin',
        namespace: 'default',
        current: false,
      },
    ]);
    expect(selectContext(config, 'dev').context.namespace).toBe('default');
    const kube = await KubeCluster.fromFile(path, 'prod');
    expect(kube.namespace).toBe('matrix');
    expect(kube.parseRef('db#password')).toEqual({
      namespace: 'matrix',
      name: 'db',
      key: 'password',
    });
  });

  it('a missing file is NOT_FOUND naming the path', async () => {
    const path = join(tempDir(), 'nope', 'config');
    const error = await failure(readKubeconfigFile(path));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(`There is no kubeconfig at ${path}.`);
  });

  it('text that is not a kubeconfig is FORMAT_ERROR, quoting none of it', async () => {
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const broken = `apiVersion: v1\nusers:\n- name: u\n  user:\n    token: ${token}\n   bad: [\n`;
    const cases = [
      broken,
      `just a ${token} string`,
      `kind: Secret\ndata: {a: ${token}}\n`,
      'foo: bar\n',
    ];
    for (const text of cases) {
      const error = await failure((async () => parseKubeconfig(text))());
      expect(error.code).toBe('FORMAT_ERROR');
      expect(error.message).toMatch(/^The kubeconfig kept in the vault is not a kubeconfig: /);
      expect(error.message).not.toContain(token);
    }
    const dir = tempDir();
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'd', 'config'), 'clusters: 3\n');
    const fromFile = await failure(readKubeconfigFile(join(dir, 'd', 'config')));
    expect(fromFile.message).toBe(
      `${join(dir, 'd', 'config')} is not a kubeconfig: it has no contexts and clusters lists.`,
    );
  });

  it('a missing context is NOT_FOUND listing the ones there are', async () => {
    const text = server().kubeconfig([{ context: 'prod' }, { context: 'staging' }]);
    const error = await failure((async () => new KubeCluster(text, 'production'))());
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(
      'There is no context "production" in the kubeconfig kept in the vault: its contexts are prod, staging.',
    );
  });
});
