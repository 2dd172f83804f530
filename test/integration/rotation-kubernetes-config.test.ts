import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RekeyApp } from '../../src/main/app';
import { ok } from '../helpers/app';
import { useKubeRotation } from '../helpers/kube-rotation';
import { valueOf } from '../helpers/rotation-stack';

/**
 * The built-in LiveKit and Synapse playbooks for Kubernetes, whose secrets sit inside a
 * config file kept whole in one key of a Secret (`inner:` targets), against the stand-in API
 * server: the value changes inside the file and nothing else of it does; the rollback puts
 * the old value back while keeping what someone else changed in the file meanwhile; a file
 * that does not set the value yet is refused before anything is written.
 */

const { site, clusterApp, putSecret, keyOf, putDeployment, restartedAt, expectNoValues, answer } =
  useKubeRotation();

const API_KEY = 'APIq7CmhW4RfKzN';

/** Deployment `calls` on cluster k3s by the livekit-kubernetes playbook; returns the ref. */
async function livekitOnKubernetes(app: RekeyApp, namespace: string, old: string, url: string) {
  const ref = 'calls/api.secret';
  await ok(app, 'secrets.add', { ref, value: { kind: 'enter', value: old } });
  await ok(app, 'deployments.setHosts', { name: 'calls', hosts: ['k3s'] });
  await ok(app, 'deployments.setPlaybook', {
    name: 'calls',
    playbook: 'livekit-kubernetes',
    variables: { namespace, api_key: API_KEY, livekit_url: `${url}/` },
  });
  return ref;
}

describe('secrets inside config files kept in Kubernetes Secrets', () => {
  it('rotates the LiveKit API secret in the keys file and in lk-jwt-service, LiveKit first', async () => {
    const { app, namespace } = await clusterApp();
    const old = randomBytes(32).toString('hex');
    const otherKey = randomBytes(32).toString('hex');
    const keysFile = `# LiveKit API keys\n${API_KEY}: ${old}\nAPIsecondKey01: ${otherKey}\n`;
    putSecret(namespace, 'livekit-keys', { 'keys.yaml': keysFile });
    putSecret(namespace, 'lk-jwt-service', { LIVEKIT_SECRET: old, LIVEKIT_KEY: API_KEY });
    putDeployment(namespace, 'livekit-server');
    putDeployment(namespace, 'lk-jwt-service');
    const url = await site(() => 200);
    const ref = await livekitOnKubernetes(app, namespace, old, url);

    const preview = await ok(app, 'rotations.preview', { refs: [ref] });
    expect(preview.targets[0]).toEqual({
      host: 'k3s',
      path: `${namespace}/livekit-keys`,
      key: 'keys.yaml',
      diff: [
        `@@ Secret ${namespace}/livekit-keys @@`,
        '@@ line 2 @@',
        ' # LiveKit API keys',
        `-${API_KEY}: [current value]`,
        `+${API_KEY}: [new value]`,
        ` APIsecondKey01: ${otherKey}`,
      ],
      note: null,
    });
    expect(preview.plan.steps[1]?.title).toBe(
      `Write ${ref} into ${API_KEY} in key keys.yaml of Secret ${namespace}/livekit-keys on k3s`,
    );

    const plan = await ok(app, 'rotations.plan', { refs: [ref] });
    const started = await ok(app, 'rotations.start', {
      refs: [ref],
      confirmed: plan.checklist.map((item) => item.id),
    });
    const done = await answer(app, started.id, true);
    expect(done.status).toBe('rotated');
    const current = await valueOf(app, ref);
    expect(current).toMatch(/^[0-9a-f]{64}$/);
    // Only the value changed: the comment and the other API key are as they were.
    expect(keyOf(namespace, 'livekit-keys', 'keys.yaml')).toBe(
      keysFile.replace(`${API_KEY}: ${old}`, `${API_KEY}: ${current}`),
    );
    expect(keyOf(namespace, 'lk-jwt-service', 'LIVEKIT_SECRET')).toBe(current);
    expect(keyOf(namespace, 'lk-jwt-service', 'LIVEKIT_KEY')).toBe(API_KEY);
    // LiveKit rolled out before lk-jwt-service started to.
    const livekitAt = restartedAt(namespace, 'livekit-server');
    const jwtAt = restartedAt(namespace, 'lk-jwt-service');
    expect(livekitAt).toBeDefined();
    expect(jwtAt).toBeDefined();
    const restarts = done.steps[3];
    expect(restarts?.detail).toBe(
      `Deployment ${namespace}/livekit-server rolled out (1 of 1 updated); then ` +
        `Deployment ${namespace}/lk-jwt-service rolled out (1 of 1 updated) on k3s`,
    );
    const fingerprints = done.steps[4];
    expect(fingerprints?.detail).toBe('2 target(s) hold the expected value');
    await expectNoValues(app, done.id, [current, old, otherKey]);
  }, 60_000);

  it('rolls back the LiveKit secret in the keys file, keeping what someone else changed in it', async () => {
    const { app, namespace } = await clusterApp();
    const old = randomBytes(32).toString('hex');
    const otherKey = randomBytes(32).toString('hex');
    const keysFile = `${API_KEY}: ${old}\nAPIsecondKey01: ${otherKey}\n`;
    putSecret(namespace, 'livekit-keys', { 'keys.yaml': keysFile, 'notes.txt': 'a' });
    putSecret(namespace, 'lk-jwt-service', { LIVEKIT_SECRET: old });
    putDeployment(namespace, 'livekit-server');
    putDeployment(namespace, 'lk-jwt-service');
    // While the run checks LiveKit, an operator adds a key to the same file and changes
    // another key of the Secret (as kubectl edit would).
    const added = `APIthirdKey002: ${randomBytes(32).toString('hex')}\n`;
    let answered = 0;
    const url = await site(() => {
      answered += 1;
      if (answered === 1) {
        const now = keyOf(namespace, 'livekit-keys', 'keys.yaml');
        putSecret(namespace, 'livekit-keys', { 'keys.yaml': now + added, 'notes.txt': 'b' });
      }
      return 200;
    });
    const ref = await livekitOnKubernetes(app, namespace, old, url);

    const plan = await ok(app, 'rotations.plan', { refs: [ref] });
    const started = await ok(app, 'rotations.start', {
      refs: [ref],
      confirmed: plan.checklist.map((item) => item.id),
    });
    // The test call fails: the person answers no, and Rekey rolls back.
    const done = await answer(app, started.id, false);

    expect(done.status).toBe('rolled-back');
    expect(answered).toBeGreaterThan(0);
    expect(await valueOf(app, ref)).toBe(old);
    // Our value is back in both places; the operator's edits stay.
    expect(keyOf(namespace, 'livekit-keys', 'keys.yaml')).toBe(keysFile + added);
    expect(keyOf(namespace, 'livekit-keys', 'notes.txt')).toBe('b');
    expect(keyOf(namespace, 'lk-jwt-service', 'LIVEKIT_SECRET')).toBe(old);
    expect(done.steps[1]?.state).toBe('undone');
    expect(done.steps[1]?.detail).toContain(
      `the old value is back in ${API_KEY} in key keys.yaml of Secret ${namespace}/livekit-keys ` +
        'on k3s (other changes to the Secret and to the file since are kept)',
    );
    await expectNoValues(app, done.id, [old, otherKey]);
  }, 60_000);

  it('refuses a file that does not set the value yet, before writing anything', async () => {
    const { app, namespace } = await clusterApp();
    const config = 'server_name: example.org\nreport_stats: false\n';
    putSecret(namespace, 'synapse-config', { 'homeserver.yaml': config });
    putDeployment(namespace, 'synapse');
    const ref = 'matrix/form_secret';
    await ok(app, 'secrets.add', {
      ref,
      value: { kind: 'enter', value: 'an-old-form-secret-value' },
    });
    await ok(app, 'deployments.setHosts', { name: 'matrix', hosts: ['k3s'] });
    await ok(app, 'deployments.setPlaybook', {
      name: 'matrix',
      playbook: 'synapse-kubernetes',
      variables: { namespace, base_url: await site(() => 200) },
    });

    const preview = await ok(app, 'rotations.preview', { refs: [ref] });
    expect(preview.targets[0]?.note).toBe(
      'form_secret is not set in homeserver.yaml: the write will refuse it',
    );
    const plan = await ok(app, 'rotations.plan', { refs: [ref] });
    const done = await ok(app, 'rotations.start', {
      refs: [ref],
      confirmed: plan.checklist.map((item) => item.id),
      wait: true,
    });

    expect(done.status).toBe('rolled-back');
    expect(done.detail).toContain(
      `form_secret in key homeserver.yaml of Secret ${namespace}/synapse-config on k3s: ` +
        'form_secret is not set in it.',
    );
    expect(keyOf(namespace, 'synapse-config', 'homeserver.yaml')).toBe(config);
    expect(restartedAt(namespace, 'synapse')).toBeUndefined();
  }, 60_000);
});
