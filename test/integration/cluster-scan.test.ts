import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { EXIT_CODES } from '../../src/shared/errors';
import { ok } from '../helpers/app';
import {
  type KubeApiServer,
  type WorkloadObject,
  useKubeApiServer,
} from '../helpers/kube-apiserver';
import { type CliRun, initCliVault } from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * Discovery in a Kubernetes namespace (`clusters.scan`/`clusters.adopt`, `rekey cluster
 * scan`) against the stand-in API server: every key of the namespace's Secrets as a finding
 * with its strength and fingerprint, system Secrets left out, the workloads that read each
 * key, adoption with kubernetes targets and restart notes, and never a value in any output.
 */

const server = useKubeApiServer();
const tempDir = useTempDirs();
const strong = () => randomBytes(24).toString('base64url');
const b64 = (text: string) => Buffer.from(text).toString('base64');

let namespaces = 0;
const freshNamespace = () => `shop-${++namespaces}-${randomBytes(3).toString('hex')}`;

interface Fixture {
  namespace: string;
  values: string[];
  weak: string;
  shared: string;
}

function secret(
  api: KubeApiServer,
  namespace: string,
  name: string,
  data: Record<string, string>,
  extra: { type?: string; owner?: { kind: string; name: string } } = {},
) {
  api.put({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace,
      ...(extra.owner && {
        ownerReferences: [{ apiVersion: 'v1', uid: 'u-1', controller: true, ...extra.owner }],
      }),
    },
    type: extra.type ?? 'Opaque',
    data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, b64(value)])),
  });
}

function workload(
  kind: 'Deployment' | 'StatefulSet',
  namespace: string,
  name: string,
  podSpec: Record<string, unknown>,
): WorkloadObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      ...(kind === 'StatefulSet' && { serviceName: name }),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec },
    },
  };
}

/** A shop: a weak database password, one value in two Secrets, system Secrets, workloads. */
function seedShop(api: KubeApiServer): Fixture {
  const namespace = freshNamespace();
  const weak = 'hunter2';
  const shared = strong();
  const jwt = strong();
  const tokenValue = strong();
  const release = strong();
  secret(api, namespace, 'db-credentials', { password: weak });
  secret(api, namespace, 'web-env', { JWT_SECRET: jwt, SESSION_KEY: shared });
  secret(
    api,
    namespace,
    'worker-env',
    { SESSION_KEY: shared },
    { owner: { kind: 'ExternalSecret', name: 'worker-env' } },
  );
  secret(
    api,
    namespace,
    'default-token-x7k2p',
    { token: tokenValue },
    { type: 'kubernetes.io/service-account-token' },
  );
  secret(api, namespace, 'sh.helm.release.v1.shop.v1', { release }, { type: 'helm.sh/release.v1' });
  const image = 'registry.example/shop:1.0';
  api.put(
    workload('Deployment', namespace, 'web', {
      containers: [
        {
          name: 'web',
          image,
          envFrom: [{ secretRef: { name: 'web-env' } }],
          env: [
            {
              name: 'DB_PASSWORD',
              valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } },
            },
          ],
        },
      ],
    }),
  );
  api.put(
    workload('Deployment', namespace, 'worker', {
      containers: [
        {
          name: 'worker',
          image,
          env: [
            {
              name: 'SESSION_KEY',
              valueFrom: { secretKeyRef: { name: 'worker-env', key: 'SESSION_KEY' } },
            },
          ],
        },
      ],
    }),
  );
  api.put(
    workload('StatefulSet', namespace, 'db', {
      containers: [{ name: 'db', image: 'postgres:16' }],
      volumes: [{ name: 'creds', secret: { secretName: 'db-credentials' } }],
    }),
  );
  return { namespace, values: [weak, shared, jwt, tokenValue, release], weak, shared };
}

function expectNoValue(text: string, values: readonly string[]) {
  for (const value of values) {
    expect(text).not.toContain(value);
    expect(text).not.toContain(b64(value));
  }
}

async function appWithCluster(dir: string, api: KubeApiServer, namespace: string, token?: string) {
  const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'cli' });
  await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
  const kubeconfig = api.writeKubeconfig(dir, { namespace, ...(token && { token }) });
  await ok(app, 'clusters.add', { name: 'k3s', kubeconfig: { kind: 'path', path: kubeconfig } });
  return app;
}

function findingOf<F extends { path: string; key: string }>(
  report: { findings: F[] },
  path: string,
  key: string,
): F {
  const found = report.findings.find((f) => f.path === path && f.key === key);
  if (!found) throw new Error(`no finding ${path}#${key}`);
  return found;
}

describe('clusters.scan and clusters.adopt', () => {
  it('reports keys, strength, shared values and readers; adopts with kubernetes targets', async () => {
    const api = server();
    const fixture = seedShop(api);
    const ns = fixture.namespace;
    const app = await appWithCluster(tempDir(), api, ns);
    const outputs: string[] = [];
    const call = async <M extends Parameters<typeof ok>[1]>(method: M, input: unknown) => {
      const value = await ok(app, method, input);
      outputs.push(JSON.stringify(value));
      return value;
    };

    const report = await call('clusters.scan', { name: 'k3s' });
    expect(report.namespace).toBe(ns);
    expect(report.workloadsError).toBeNull();
    expect(report.findings.map((f) => `${f.path}#${f.key}`)).toEqual([
      `${ns}/db-credentials#password`,
      `${ns}/web-env#JWT_SECRET`,
      `${ns}/web-env#SESSION_KEY`,
      `${ns}/worker-env#SESSION_KEY`,
    ]);
    expect(report.skipped).toEqual([
      { path: `${ns}/default-token-x7k2p`, reason: 'service-account token' },
      { path: `${ns}/sh.helm.release.v1.shop.v1`, reason: 'Helm release record' },
    ]);

    const password = findingOf(report, `${ns}/db-credentials`, 'password');
    expect(password).toMatchObject({
      format: 'kubernetes',
      secretType: 'Opaque',
      suggestedName: 'db-credentials.password',
      trackedBy: null,
      sameValueAs: [],
    });
    expect(password.strength.rating).toBe('weak');
    expect(password.strength.problems.length).toBeGreaterThan(0);
    expect(password.workloads).toEqual([
      { kind: 'Deployment', name: 'web', via: ['env'] },
      { kind: 'StatefulSet', name: 'db', via: ['volume'] },
    ]);

    const webSession = findingOf(report, `${ns}/web-env`, 'SESSION_KEY');
    const workerSession = findingOf(report, `${ns}/worker-env`, 'SESSION_KEY');
    expect(webSession.fingerprint).toBe(workerSession.fingerprint);
    expect(webSession.sameValueIn).toEqual([`${ns}/worker-env#SESSION_KEY`]);
    expect(workerSession.sameValueIn).toEqual([`${ns}/web-env#SESSION_KEY`]);
    expect(findingOf(report, `${ns}/web-env`, 'JWT_SECRET').sameValueIn).toEqual([]);
    expect(webSession.workloads).toEqual([{ kind: 'Deployment', name: 'web', via: ['envFrom'] }]);
    expect(workerSession.workloads).toEqual([{ kind: 'Deployment', name: 'worker', via: ['env'] }]);
    expect(report.secrets.find((s) => s.name === 'worker-env')?.owners).toEqual([
      { kind: 'ExternalSecret', name: 'worker-env' },
    ]);
    expect(report.secrets.find((s) => s.name === 'db-credentials')?.workloads).toEqual([
      { kind: 'Deployment', name: 'web', via: ['env'] },
      { kind: 'StatefulSet', name: 'db', via: ['volume'] },
    ]);

    // One value in two Secrets under one name: one secret, two targets.
    const adopted = await call('clusters.adopt', {
      name: 'k3s',
      deployment: 'shop',
      picks: [
        { path: `${ns}/db-credentials`, key: 'password', name: 'db.password' },
        { path: `${ns}/web-env`, key: 'SESSION_KEY', name: 'session.key' },
        { path: `${ns}/worker-env`, key: 'SESSION_KEY', name: 'session.key' },
      ],
    });
    expect(adopted).toEqual({
      added: ['shop/db.password', 'shop/session.key'],
      targetAdded: ['shop/session.key'],
      skipped: [],
    });
    const detail = await call('secrets.get', { ref: 'shop/db.password' });
    expect(detail.metadata.targets).toEqual([
      { host: 'k3s', format: 'kubernetes', path: `${ns}/db-credentials`, key: 'password' },
    ]);
    expect(detail.metadata.handling).toContain(
      'restart Deployment web, StatefulSet db after a change',
    );
    const session = await call('secrets.get', { ref: 'shop/session.key' });
    expect(session.metadata.targets.map((t) => t.path)).toEqual([
      `${ns}/web-env`,
      `${ns}/worker-env`,
    ]);

    // A different value under a name the vault has: skipped, never merged.
    const clash = await call('clusters.adopt', {
      name: 'k3s',
      deployment: 'shop',
      picks: [{ path: `${ns}/web-env`, key: 'JWT_SECRET', name: 'db.password' }],
    });
    expect(clash.added).toEqual([]);
    expect(clash.skipped).toEqual([
      { name: 'shop/db.password', reason: 'a secret of this name exists with a different value' },
    ]);

    const again = await call('clusters.scan', { name: 'k3s' });
    expect(findingOf(again, `${ns}/db-credentials`, 'password').trackedBy).toBe('shop/db.password');
    expect(findingOf(again, `${ns}/worker-env`, 'SESSION_KEY').trackedBy).toBe('shop/session.key');
    const jwt = findingOf(again, `${ns}/web-env`, 'JWT_SECRET');
    expect(jwt.trackedBy).toBeNull();
    expect(jwt.sameValueAs).toEqual([]);

    await call('history.list', {});
    for (const output of outputs) expectNoValue(output, fixture.values);
  }, 60_000);

  it('says which RBAC rule is missing when Secrets may not be listed', async () => {
    const api = server();
    const fixture = seedShop(api);
    const token = `no-secrets-${randomBytes(8).toString('hex')}`;
    api.addToken(token, {
      user: 'viewer',
      rules: [
        { verbs: ['get', 'list'], resources: ['deployments'], namespaces: [fixture.namespace] },
      ],
    });
    const app = await appWithCluster(tempDir(), api, fixture.namespace, token);
    const result = await app.call('clusters.scan', { name: 'k3s' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(
      `RBAC: user viewer may not list secrets in namespace ${fixture.namespace} (403)`,
    );
  });
});

describe('rekey cluster scan', () => {
  it('lists findings, adopts picks, and then says tracked by; no value in any output', async () => {
    const api = server();
    const fixture = seedShop(api);
    const ns = fixture.namespace;
    const dir = tempDir();
    const kubeconfig = api.writeKubeconfig(dir, { namespace: 'default' });
    const vault = await initCliVault(dir);
    const runs: CliRun[] = [];
    const rekey = async (args: readonly string[]) => {
      const run = await vault.rekey(args, { timeoutMs: 60_000 });
      runs.push(run);
      return run;
    };
    const done = (run: CliRun) => {
      if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}\n${run.stdout}`);
      return run;
    };

    done(await rekey(['cluster', 'add', 'k3s', '--kubeconfig', kubeconfig]));
    const listed = done(await rekey(['cluster', 'scan', 'k3s', '--namespace', ns]));
    expect(listed.stdout).toMatch(/1\s+\S+\/db-credentials\s+password\s+weak/);
    expect(listed.stdout).toContain('Deployment/web (env), StatefulSet/db (volume)');
    expect(listed.stdout).toContain(`same value in ${ns}/worker-env#SESSION_KEY`);
    expect(listed.stdout).toContain(`${ns}/worker-env is owned by ExternalSecret worker-env`);
    expect(listed.stdout).toContain(
      '4 keys found, 2 system Secrets skipped (service-account token, Helm release record)',
    );

    const noDeployment = await rekey(['cluster', 'scan', 'k3s', '--namespace', ns, '--pick', '1']);
    expect(noDeployment.code).toBe(EXIT_CODES.INVALID_INPUT);

    const adopted = done(
      await rekey([
        'cluster',
        'scan',
        'k3s',
        '--namespace',
        ns,
        '--deployment',
        'shop',
        '--all-new',
      ]),
    );
    expect(adopted.stdout).toContain(
      'Added 4: shop/db-credentials.password, shop/web-env.JWT_SECRET, shop/web-env.SESSION_KEY, shop/worker-env.SESSION_KEY',
    );
    const json = JSON.parse(
      done(await rekey(['cluster', 'scan', 'k3s', '--namespace', ns, '--json'])).stdout,
    );
    expect(json.findings.map((f: { trackedBy: string }) => f.trackedBy)).toEqual([
      'shop/db-credentials.password',
      'shop/web-env.JWT_SECRET',
      'shop/web-env.SESSION_KEY',
      'shop/worker-env.SESSION_KEY',
    ]);
    const shown = JSON.parse(
      done(await rekey(['secret', 'show', 'shop/worker-env.SESSION_KEY', '--json'])).stdout,
    );
    expect(shown.metadata.targets).toEqual([
      { host: 'k3s', format: 'kubernetes', path: `${ns}/worker-env`, key: 'SESSION_KEY' },
    ]);
    expect(shown.metadata.handling).toContain('Owned by ExternalSecret worker-env');

    const token = `no-secrets-${randomBytes(8).toString('hex')}`;
    api.addToken(token, { user: 'viewer', rules: [] });
    const denied = api.writeKubeconfig(dir, { token, namespace: ns }, 'viewer-kubeconfig');
    done(await rekey(['cluster', 'add', 'k3s-viewer', '--kubeconfig', denied]));
    const refused = await rekey(['cluster', 'scan', 'k3s-viewer']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`RBAC: user viewer may not list secrets in namespace ${ns}`);

    done(await rekey(['history']));
    for (const run of runs) {
      expectNoValue(run.stdout, fixture.values);
      expectNoValue(run.stderr, fixture.values);
    }
  }, 120_000);
});
