import type { V1DaemonSet, V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { rbacDenial, scrubbed } from '../../src/main/kube/kube-errors';
import {
  daemonSetRollout,
  deploymentRollout,
  statefulSetRollout,
} from '../../src/main/kube/rollout-status';
import { templateSecretReferences, usesSecret } from '../../src/main/kube/workload-secrets';

/**
 * The pure parts of the Kubernetes connector: kubectl's rollout completion rules, which
 * Secrets a pod template reads, and how API server text becomes a message.
 */

function deployment(spec: number, status: V1Deployment['status'], generation = 2): V1Deployment {
  return { metadata: { name: 'web', generation }, spec: { replicas: spec } as never, status };
}

describe('deployment rollout (kubectl rollout status rules)', () => {
  it('waits until the controller has observed the new generation', () => {
    const state = deploymentRollout(
      deployment(3, {
        observedGeneration: 1,
        updatedReplicas: 3,
        replicas: 3,
        availableReplicas: 3,
      }),
    );
    expect(state.done).toBe(false);
    expect(state.summary).toMatch(/controller/);
  });

  it('counts updated replicas, then old ones pending termination, then availability', () => {
    const base = { observedGeneration: 2 };
    expect(
      deploymentRollout(deployment(3, { ...base, updatedReplicas: 2, replicas: 3 })).summary,
    ).toBe('2 of 3 updated');
    const old = deploymentRollout(deployment(3, { ...base, updatedReplicas: 3, replicas: 4 }));
    expect(old).toMatchObject({
      done: false,
      summary: '3 of 3 updated, 1 old pending termination',
    });
    const unavailable = deploymentRollout(
      deployment(3, { ...base, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }),
    );
    expect(unavailable).toMatchObject({ done: false, summary: '3 of 3 updated, 2 available' });
    const done = deploymentRollout(
      deployment(3, { ...base, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
    );
    expect(done).toMatchObject({ done: true, failure: null });
  });

  it('fails at once past the progress deadline', () => {
    const state = deploymentRollout(
      deployment(3, {
        observedGeneration: 2,
        updatedReplicas: 1,
        replicas: 3,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "web-1" has timed out progressing.',
          },
        ],
      }),
    );
    expect(state.failure).toMatch(/progress deadline.*timed out progressing/);
  });
});

describe('statefulset and daemonset rollout', () => {
  const sts = (status: V1StatefulSet['status'], partition = 0): V1StatefulSet => ({
    metadata: { name: 'db', generation: 3 },
    spec: {
      replicas: 2,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } },
    } as never,
    status,
  });

  it('needs every replica ready and updated and the new revision current', () => {
    const moving = { observedGeneration: 3, replicas: 2, readyReplicas: 2, updatedReplicas: 2 };
    expect(
      statefulSetRollout(sts({ ...moving, currentRevision: 'a', updateRevision: 'b' })).done,
    ).toBe(false);
    expect(statefulSetRollout(sts({ ...moving, updatedReplicas: 1 })).summary).toBe(
      '1 of 2 updated',
    );
    expect(
      statefulSetRollout(sts({ ...moving, currentRevision: 'b', updateRevision: 'b' })).done,
    ).toBe(true);
    expect(statefulSetRollout(sts({ replicas: 2 })).done).toBe(false);
  });

  it('a partitioned rollout is done once the pods above the partition are updated', () => {
    const state = statefulSetRollout(
      sts({ observedGeneration: 3, replicas: 2, readyReplicas: 2, updatedReplicas: 1 }, 1),
    );
    expect(state).toMatchObject({ done: true, updated: 1, desired: 1 });
  });

  it('OnDelete never rolls out: a failure, not a wait', () => {
    const onDelete: V1DaemonSet = {
      metadata: { name: 'agent', generation: 1 },
      spec: { updateStrategy: { type: 'OnDelete' } } as never,
    };
    expect(daemonSetRollout(onDelete).failure).toMatch(/OnDelete/);
  });

  it('a daemonset needs every scheduled pod updated and available', () => {
    const ds = (status: Partial<NonNullable<V1DaemonSet['status']>>): V1DaemonSet => ({
      metadata: { name: 'agent', generation: 2 },
      spec: { updateStrategy: { type: 'RollingUpdate' } } as never,
      status: {
        observedGeneration: 2,
        currentNumberScheduled: 3,
        numberMisscheduled: 0,
        numberReady: 3,
        desiredNumberScheduled: 3,
        ...status,
      },
    });
    expect(daemonSetRollout(ds({ updatedNumberScheduled: 2 })).summary).toBe('2 of 3 updated');
    expect(daemonSetRollout(ds({ updatedNumberScheduled: 3, numberAvailable: 2 })).done).toBe(
      false,
    );
    expect(daemonSetRollout(ds({ updatedNumberScheduled: 3, numberAvailable: 3 })).done).toBe(true);
  });
});

describe('pod template secret references', () => {
  const references = templateSecretReferences({
    spec: {
      initContainers: [
        {
          name: 'migrate',
          env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }],
        },
      ],
      containers: [
        {
          name: 'app',
          env: [
            { name: 'PLAIN', value: 'x' },
            {
              name: 'TOKEN',
              valueFrom: { secretKeyRef: { name: 'api', key: 'token', optional: true } },
            },
            { name: 'CM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } },
          ],
          envFrom: [{ secretRef: { name: 'env-all' } }, { configMapRef: { name: 'cfg' } }],
        },
      ],
      volumes: [
        { name: 'tls', secret: { secretName: 'tls', items: [{ key: 'tls.key', path: 'k' }] } },
        { name: 'whole', secret: { secretName: 'whole' } },
        {
          name: 'proj',
          projected: { sources: [{ secret: { name: 'proj', items: [{ key: 'a', path: 'a' }] } }] },
        },
        { name: 'empty', emptyDir: {} },
      ],
    },
  });

  it('finds env, envFrom and volume references, init containers included', () => {
    expect(references).toEqual([
      { secret: 'db', keys: ['url'], via: 'env', where: 'migrate', init: true, optional: false },
      { secret: 'api', keys: ['token'], via: 'env', where: 'app', init: false, optional: true },
      { secret: 'env-all', keys: null, via: 'envFrom', where: 'app', init: false, optional: false },
      {
        secret: 'tls',
        keys: ['tls.key'],
        via: 'volume',
        where: 'tls',
        init: false,
        optional: false,
      },
      { secret: 'whole', keys: null, via: 'volume', where: 'whole', init: false, optional: false },
      { secret: 'proj', keys: ['a'], via: 'volume', where: 'proj', init: false, optional: false },
    ]);
  });

  it('usesSecret matches a key, or any key of a whole-Secret reference', () => {
    const workload = { kind: 'Deployment' as const, namespace: 'p', name: 'w', references };
    expect(usesSecret(workload, 'tls', 'tls.key')).toBe(true);
    expect(usesSecret(workload, 'tls', 'tls.crt')).toBe(false);
    expect(usesSecret(workload, 'env-all', 'anything')).toBe(true);
    expect(usesSecret(workload, 'cfg')).toBe(false);
  });
});

describe('API server text', () => {
  it('words an RBAC denial with user, verb, resource and namespace', () => {
    expect(
      rbacDenial(
        'secrets "db" is forbidden: User "alice" cannot update resource "secrets" in API group "" in the namespace "prod"',
      ),
    ).toBe('RBAC: user alice may not update secrets in namespace prod (403)');
    expect(
      rbacDenial(
        'deployments.apps "web" is forbidden: User "system:serviceaccount:ci:rekey" cannot patch resource "deployments" in API group "apps" in the namespace "prod"',
      ),
    ).toBe(
      'RBAC: user system:serviceaccount:ci:rekey may not patch deployments.apps in namespace prod (403)',
    );
    expect(rbacDenial('nothing to see')).toBeNull();
  });

  it('blanks values in flight, raw and base64, out of server text', () => {
    const value = Buffer.from('hunter2-secret');
    const text = `bad value "hunter2-secret" (${value.toString('base64')})`;
    expect(scrubbed(text, [value])).toBe('bad value "[redacted]" ([redacted])');
  });
});
