import {
  type ConfigurationOptions,
  PatchStrategy,
  type V1Deployment,
} from '@kubernetes/client-node';
import { RekeyError } from '../../shared/errors';
import { type KubeSession, cancelled, kubeCall } from './kube-api';
import { formatDuration } from './kube-errors';
import { type RolloutState, type WorkloadKind, rolloutState } from './rollout-status';
import { type Workload, WorkloadChanges } from './workload-watch';

/**
 * `kubectl rollout restart` and `kubectl rollout status` for Deployments, StatefulSets and
 * DaemonSets: the restart stamps the pod template with the time, exactly as kubectl does,
 * and the wait applies kubectl's completion rules (rollout-status.ts) to every change.
 */

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

export interface RolloutProgress extends RolloutState {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

export interface RolloutWaitOptions {
  timeoutMs: number;
  /** Stops the wait; it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called with the first state and every time the summary changes ("2 of 3 updated"). */
  onProgress?: (progress: RolloutProgress) => void;
  /** How often the workload is read when no watch event arrives. */
  pollIntervalMs?: number;
}

const DEFAULT_POLL_MS = 1000;

function target(kind: WorkloadKind, namespace: string, name: string): string {
  return `${kind} ${namespace}/${name}`;
}

/** RFC 3339 to the second, as kubectl writes it (Go's time.RFC3339). */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function readWorkload(
  session: KubeSession,
  kind: WorkloadKind,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<Workload> {
  const what = target(kind, namespace, name);
  const params = { name, namespace };
  const read = (options: ConfigurationOptions): Promise<Workload> => {
    switch (kind) {
      case 'Deployment':
        return session.apps.readNamespacedDeployment(params, options);
      case 'StatefulSet':
        return session.apps.readNamespacedStatefulSet(params, options);
      case 'DaemonSet':
        return session.apps.readNamespacedDaemonSet(params, options);
    }
  };
  return kubeCall(session, { doing: `reading ${what}`, target: what }, read, { signal });
}

/**
 * Restarts the workload's pods the way `kubectl rollout restart` does: a strategic merge
 * patch setting `kubectl.kubernetes.io/restartedAt` on the pod template. Returns the time
 * written and the workload's new generation.
 */
export async function rolloutRestart(
  session: KubeSession,
  kind: WorkloadKind,
  namespace: string,
  name: string,
): Promise<{ restartedAt: string; generation: number }> {
  const what = target(kind, namespace, name);
  if (kind === 'Deployment') {
    const current = (await readWorkload(session, kind, namespace, name)) as V1Deployment;
    if (current.spec?.paused)
      throw new RekeyError(
        'REMOTE_FAILED',
        `${what} is paused, so a restart would not roll out: resume it first ` +
          `(kubectl rollout resume deployment/${name} -n ${namespace}).`,
      );
  }
  const restartedAt = rfc3339(new Date());
  const body = {
    spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } },
  };
  const params = { name, namespace, body };
  const patch = (options: ConfigurationOptions): Promise<Workload> => {
    switch (kind) {
      case 'Deployment':
        return session.apps.patchNamespacedDeployment(params, options);
      case 'StatefulSet':
        return session.apps.patchNamespacedStatefulSet(params, options);
      case 'DaemonSet':
        return session.apps.patchNamespacedDaemonSet(params, options);
    }
  };
  const patched = await kubeCall(session, { doing: `restarting ${what}`, target: what }, patch, {
    contentType: PatchStrategy.StrategicMergePatch,
  });
  return { restartedAt, generation: patched.metadata?.generation ?? 0 };
}

/**
 * Waits until the rollout is complete (resolves with its last state), has failed
 * (REMOTE_FAILED: past its progress deadline, or an update strategy that never rolls out) or
 * `timeoutMs` has passed (CONNECTION_TIMEOUT, naming how far it got).
 */
export async function waitForRollout(
  session: KubeSession,
  kind: WorkloadKind,
  namespace: string,
  name: string,
  options: RolloutWaitOptions,
): Promise<RolloutState> {
  const what = target(kind, namespace, name);
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const stop = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const changes = WorkloadChanges.open(session, kind, namespace, name);
  let last: RolloutState | null = null;
  try {
    let changed: Workload | null = null;
    for (;;) {
      const workload = changed ?? (await readWorkload(session, kind, namespace, name, stop));
      const current = rolloutState(kind, workload);
      if (current.failure)
        throw new RekeyError(
          'REMOTE_FAILED',
          `The rollout of ${what} failed: ${current.failure} (${current.summary}).`,
        );
      if (current.summary !== last?.summary || current.done !== last.done)
        options.onProgress?.({ ...current, kind, namespace, name });
      last = current;
      if (current.done) return current;
      changed = await changes.next(options.pollIntervalMs ?? DEFAULT_POLL_MS, stop);
    }
  } catch (error) {
    if (options.signal?.aborted) throw cancelled(options.signal, `waiting for ${what}`);
    if (deadline.aborted)
      throw new RekeyError(
        'CONNECTION_TIMEOUT',
        `The rollout of ${what} did not finish within ${formatDuration(options.timeoutMs)}` +
          (last ? ` (last seen: ${last.summary}).` : '.'),
      );
    throw error;
  } finally {
    changes.close();
  }
}
