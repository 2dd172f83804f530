import type { V1DaemonSet, V1Deployment, V1StatefulSet } from '@kubernetes/client-node';

/**
 * When a rollout is complete, by the rules of `kubectl rollout status`
 * (kubectl/pkg/polymorphichelpers/rollout_status.go), as pure functions of the object the API
 * returns. A rollout that cannot complete (a Deployment past its progress deadline, an
 * OnDelete update strategy) is a failure, reported at once rather than waited out.
 */

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet'];

export interface RolloutState {
  done: boolean;
  /** Why the rollout cannot complete, or null. */
  failure: string | null;
  updated: number;
  desired: number;
  /** "2 of 3 updated", "3 of 3 updated, 1 old pending termination"... */
  summary: string;
}

const UNOBSERVED = 'waiting for the controller to see the change';

function state(updated: number, desired: number, extra?: string): RolloutState {
  const counts = `${updated} of ${desired} updated`;
  return {
    done: false,
    failure: null,
    updated,
    desired,
    summary: extra ? `${counts}, ${extra}` : counts,
  };
}

function complete(updated: number, desired: number): RolloutState {
  return { ...state(updated, desired), done: true };
}

function failed(updated: number, desired: number, failure: string): RolloutState {
  return { ...state(updated, desired), failure };
}

/** The controller has seen the latest spec (kubectl: generation <= observedGeneration). */
function observed(generation?: number, observedGeneration?: number): boolean {
  return (generation ?? 0) <= (observedGeneration ?? 0);
}

export function deploymentRollout(deployment: V1Deployment): RolloutState {
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  if (!observed(deployment.metadata?.generation, status.observedGeneration))
    return state(updated, desired, UNOBSERVED);
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return failed(
      updated,
      desired,
      `it exceeded its progress deadline (${progressing.message ?? 'ProgressDeadlineExceeded'})`,
    );
  if (updated < desired) return state(updated, desired);
  const replicas = status.replicas ?? 0;
  if (replicas > updated)
    return state(updated, desired, `${replicas - updated} old pending termination`);
  const available = status.availableReplicas ?? 0;
  if (available < updated) return state(updated, desired, `${available} available`);
  return complete(updated, desired);
}

export function statefulSetRollout(statefulSet: V1StatefulSet): RolloutState {
  const spec = statefulSet.spec;
  const status = statefulSet.status ?? { replicas: 0 };
  const desired = spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const strategy = spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate')
    return failed(
      updated,
      desired,
      `its update strategy is ${strategy}: its pods are replaced only when they are deleted`,
    );
  // kubectl also requires a non-zero observedGeneration here: a new StatefulSet's status is
  // empty until its controller has looked at it once.
  if (
    !status.observedGeneration ||
    !observed(statefulSet.metadata?.generation, status.observedGeneration)
  )
    return state(updated, desired, UNOBSERVED);
  const ready = status.readyReplicas ?? 0;
  if (ready < desired) return state(updated, desired, `${ready} ready`);
  const partition = spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    const wanted = Math.max(desired - partition, 0);
    return updated < wanted ? state(updated, wanted) : complete(updated, wanted);
  }
  if (updated < desired) return state(updated, desired);
  if (status.currentRevision !== status.updateRevision)
    return state(updated, desired, 'waiting for the new revision to become current');
  return complete(updated, desired);
}

export function daemonSetRollout(daemonSet: V1DaemonSet): RolloutState {
  const status = daemonSet.status;
  const desired = status?.desiredNumberScheduled ?? 0;
  const updated = status?.updatedNumberScheduled ?? 0;
  const strategy = daemonSet.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate')
    return failed(
      updated,
      desired,
      `its update strategy is ${strategy}: its pods are replaced only when they are deleted`,
    );
  if (!observed(daemonSet.metadata?.generation, status?.observedGeneration))
    return state(updated, desired, UNOBSERVED);
  if (updated < desired) return state(updated, desired);
  const available = status?.numberAvailable ?? 0;
  if (available < desired) return state(updated, desired, `${available} available`);
  return complete(updated, desired);
}

export function rolloutState(
  kind: WorkloadKind,
  object: V1Deployment | V1StatefulSet | V1DaemonSet,
): RolloutState {
  switch (kind) {
    case 'Deployment':
      return deploymentRollout(object as V1Deployment);
    case 'StatefulSet':
      return statefulSetRollout(object as V1StatefulSet);
    case 'DaemonSet':
      return daemonSetRollout(object as V1DaemonSet);
  }
}
