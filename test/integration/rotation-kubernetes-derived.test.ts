import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RekeyApp } from '../../src/main/app';
import { ok } from '../helpers/app';
import { useKubeRotation } from '../helpers/kube-rotation';
import { valueOf } from '../helpers/rotation-stack';
import { waitUntil } from '../helpers/wait';

/**
 * A whole Secret generated from one value: a password and the keys made from it (a fixed
 * username, a connection URL) written in one update, against the stand-in API server. A
 * missing Secret is created with every key; a declined check puts the old value and the keys
 * made from it back, keeping a derived key someone else changed meanwhile.
 */

const { server, clusterApp, putSecret, keyOf, putDeployment, restartedAt, expectNoValues, answer } =
  useKubeRotation();

const PLAYBOOK = `id: db-credentials
name: Database credentials in a Secret
service: shop
description: The shop's database password, with the username and the URL made from it.
variables:
  namespace: { description: Namespace of the Secret. }
checklist: [backup]
secrets:
  - name: db.password
    description: The shop's database password.
    impact: The shop cannot reach its database until it has the new password.
    difficulty: medium
    handling: Write it with the URL, restart the shop, check it.
    policy: { kind: interval, days: 90 }
    generator: { kind: alphanumeric, length: 32 }
    targets:
      - id: db
        format: kubernetes
        path: \${namespace}/shop-db
        key: password
        derived_keys:
          username: shop
          DATABASE_URL: 'postgres://shop:\${secret.pending}@db.\${namespace}:5432/shop'
    steps:
      - kind: generate
      - kind: write
        targets: [db]
      - kind: restart
        via: kubernetes
        workloads:
          - { kind: Deployment, name: web }
      - kind: verify
        check: { type: fingerprint }
      - kind: confirm
        text: The shop reaches its database.
`;

const REF = 'shop/db.password';

async function shop(old: string): Promise<{ app: RekeyApp; namespace: string }> {
  const { app, namespace } = await clusterApp();
  putDeployment(namespace, 'web');
  await ok(app, 'secrets.add', { ref: REF, value: { kind: 'enter', value: old } });
  await ok(app, 'deployments.setHosts', { name: 'shop', hosts: ['k3s'] });
  await ok(app, 'playbooks.add', { text: PLAYBOOK, fileName: 'db-credentials.yaml' });
  await ok(app, 'deployments.setPlaybook', {
    name: 'shop',
    playbook: 'db-credentials',
    variables: { namespace },
  });
  return { app, namespace };
}

async function rotate(app: RekeyApp, confirmed: boolean) {
  const started = await ok(app, 'rotations.start', { refs: [REF], confirmed: ['backup'] });
  return answer(app, started.id, confirmed);
}

describe('a Secret generated from one value', () => {
  it('creates the missing Secret with the value and every key made from it', async () => {
    const old = randomBytes(16).toString('hex');
    const { app, namespace } = await shop(old);

    const preview = await ok(app, 'rotations.preview', { refs: [REF] });
    expect(preview.targets[0]).toMatchObject({
      diff: [
        `@@ Secret ${namespace}/shop-db @@`,
        '+password: [new value]',
        '+username: [made from the new value]',
        '+DATABASE_URL: [made from the new value]',
      ],
      note: `Secret ${namespace}/shop-db does not exist yet: it will be created with these keys`,
    });
    expect(preview.plan.steps[1]?.title).toBe(
      `Write ${REF} into key password (with username, DATABASE_URL) of Secret ${namespace}/shop-db on k3s`,
    );

    const done = await rotate(app, true);

    expect(done.status).toBe('rotated');
    const current = await valueOf(app, REF);
    expect(keyOf(namespace, 'shop-db', 'password')).toBe(current);
    expect(keyOf(namespace, 'shop-db', 'username')).toBe('shop');
    expect(keyOf(namespace, 'shop-db', 'DATABASE_URL')).toBe(
      `postgres://shop:${current}@db.${namespace}:5432/shop`,
    );
    expect(server().get('Secret', namespace, 'shop-db')?.type).toBe('Opaque');
    expect(done.steps[1]?.detail).toMatch(new RegExp(`; the Secret was created\\)$`));
    expect(done.steps[3]?.detail).toBe('1 target(s) hold the expected value');
    expect(restartedAt(namespace, 'web')).toBeDefined();
    await expectNoValues(app, done.id, [current, old]);
  }, 60_000);

  it('rolls back the value and the keys made from it, keeping a key someone else changed', async () => {
    const old = randomBytes(16).toString('hex');
    const { app, namespace } = await shop(old);
    const oldUrl = `postgres://shop:${old}@db.${namespace}:5432/shop`;
    putSecret(namespace, 'shop-db', {
      password: old,
      username: 'shop',
      DATABASE_URL: oldUrl,
      'ca.crt': 'kept',
    });
    const started = await ok(app, 'rotations.start', { refs: [REF], confirmed: ['backup'] });
    // While the run waits for the person, an operator points the username elsewhere.
    await answerAfter(app, started.id, () => {
      const now = server().get('Secret', namespace, 'shop-db');
      server().put({
        ...now,
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'shop-db', namespace },
        data: { ...now?.data, username: Buffer.from('shop_rw').toString('base64') },
      });
    });
    const done = await answer(app, started.id, false);

    expect(done.status).toBe('rolled-back');
    expect(await valueOf(app, REF)).toBe(old);
    expect(keyOf(namespace, 'shop-db', 'password')).toBe(old);
    expect(keyOf(namespace, 'shop-db', 'DATABASE_URL')).toBe(oldUrl);
    expect(keyOf(namespace, 'shop-db', 'username')).toBe('shop_rw');
    expect(keyOf(namespace, 'shop-db', 'ca.crt')).toBe('kept');
    expect(done.steps[1]?.detail).toBe(
      `the old value is back in key password of Secret ${namespace}/shop-db on k3s, and the keys ` +
        'made from it (username changed by someone else since: kept)',
    );
    await expectNoValues(app, done.id, [old]);
  }, 60_000);
});

/** Runs `change` once the run waits at its confirm step (the new value is written by then). */
async function answerAfter(app: RekeyApp, runId: string, change: () => void): Promise<void> {
  await waitUntil(async () => (await ok(app, 'rotations.get', { runId })).awaiting !== null, {
    timeoutMs: 30_000,
    what: 'the confirm step',
  });
  change();
}
