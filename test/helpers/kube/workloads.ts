import { createHash } from 'node:crypto';
import {
  type JsonObject,
  child,
  clone,
  deepEqual,
  isObject,
  numberAt,
  objectAt,
  rfc3339,
  stringAt,
} from './json';
import { type ResourceInfo, resourceFor } from './resources';
import { type Store, metadataOf, nameOf, namespaceOf } from './store';

/**
 * Deployments, StatefulSets and DaemonSets: the defaults the API server fills in, and a
 * stand-in for their controllers. A change of the pod template starts a rollout that
 * replaces one pod per step, writing status the way the real controllers do, so that
 * `kubectl rollout status` (and a client checking the same conditions) sees it progress,
 * finish, hang or fail.
 */

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** SetDefaults_* of k8s.io/kubernetes/pkg/apis/apps/v1 and core/v1, the fields that show. */
export function applyWorkloadDefaults(resource: ResourceInfo, object: JsonObject): void {
  const spec = child(object, 'spec');
  if (resource.kind !== 'DaemonSet') spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  if (resource.kind === 'Deployment') {
    const strategy = child(spec, 'strategy');
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = child(strategy, 'rollingUpdate');
      rollingUpdate.maxUnavailable ??= '25%';
      rollingUpdate.maxSurge ??= '25%';
    }
    spec.progressDeadlineSeconds ??= 600;
  } else {
    const strategy = child(spec, 'updateStrategy');
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = child(strategy, 'rollingUpdate');
      if (resource.kind === 'StatefulSet') {
        rollingUpdate.partition ??= 0;
      } else {
        rollingUpdate.maxUnavailable ??= 1;
        rollingUpdate.maxSurge ??= 0;
      }
    }
  }
  if (resource.kind === 'StatefulSet') {
    spec.podManagementPolicy ??= 'OrderedReady';
    const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
    retention.whenDeleted ??= 'Retain';
    retention.whenScaled ??= 'Retain';
  }
  const template = child(spec, 'template');
  // metav1.Time without omitempty: an unset creationTimestamp is written as null.
  const templateMeta = child(template, 'metadata');
  if (!('creationTimestamp' in templateMeta)) templateMeta.creationTimestamp = null;
  applyPodDefaults(child(template, 'spec'));
}

function applyPodDefaults(pod: JsonObject): void {
  pod.restartPolicy ??= 'Always';
  pod.terminationGracePeriodSeconds ??= 30;
  pod.dnsPolicy ??= 'ClusterFirst';
  pod.securityContext ??= {};
  pod.schedulerName ??= 'default-scheduler';
  for (const field of ['containers', 'initContainers']) {
    const containers = pod[field];
    if (!Array.isArray(containers)) continue;
    for (const container of containers.filter(isObject)) {
      container.terminationMessagePath ??= '/dev/termination-log';
      container.terminationMessagePolicy ??= 'File';
      const image = stringAt(container.image) ?? '';
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      container.imagePullPolicy ??=
        image.includes('@') || (tag && tag !== 'latest') ? 'IfNotPresent' : 'Always';
      container.resources ??= {};
      if (Array.isArray(container.ports)) {
        for (const port of container.ports.filter(isObject)) port.protocol ??= 'TCP';
      }
    }
  }
}

/** Whether an update of `previous` to `next` bumps metadata.generation (apps strategies). */
export function bumpsGeneration(resource: ResourceInfo, previous: JsonObject, next: JsonObject) {
  if (!deepEqual(previous.spec, next.spec)) return true;
  // Deployment annotations are copied to ReplicaSets, so a change of them bumps it too.
  return (
    resource.kind === 'Deployment' &&
    !deepEqual(objectAt(previous.metadata).annotations, objectAt(next.metadata).annotations)
  );
}

export function desiredReplicas(resource: ResourceInfo, object: JsonObject, nodes: number) {
  if (resource.kind === 'DaemonSet') return nodes;
  return numberAt(objectAt(object.spec).replicas) ?? 1;
}

/** pod-template-hash style: a hash of the template, SafeEncodeString-ed like controller.ComputeHash. */
export function templateHash(object: JsonObject): string {
  const digest = createHash('sha256')
    .update(canonical(objectAt(object.spec).template))
    .digest();
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(digest.readUInt32BE(0))]
    .map((c) => alphabet[c.charCodeAt(0) % alphabet.length])
    .join('');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Where the pods of one workload stand. */
interface Pods {
  /** Hash of the newest template, the one being rolled out. */
  hash: string;
  /** Deployment revision; StatefulSet revision names. */
  revision: number;
  currentRevisionHash: string;
  /** Pods of the newest template, all of them ready (they are counted when they are). */
  updated: number;
  /** Pods of older templates, still serving until replaced. */
  old: number;
  /** The Deployment passed its progress deadline: it says so and stops. */
  failed: boolean;
}

export interface ControllerOptions {
  rolloutStepMs: number;
  /** Nodes a DaemonSet schedules onto. */
  nodes: number;
}

export class WorkloadController {
  private readonly pods = new Map<string, Pods>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stalled = false;
  private failing = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly options: ControllerOptions,
  ) {}

  /** A settled workload for seeding: complete status for its current generation. */
  settle(resource: ResourceInfo, object: JsonObject): void {
    const hash = templateHash(object);
    const replicas = desiredReplicas(resource, object, this.options.nodes);
    const pods: Pods = {
      hash,
      revision: 1,
      currentRevisionHash: hash,
      updated: replicas,
      old: 0,
      failed: false,
    };
    this.pods.set(keyOf(resource, object), pods);
    this.applyStatus(resource, object, pods);
  }

  /** Called after every change of a workload through the API (not the controller's own). */
  observe(resource: ResourceInfo, namespace: string, name: string, deleted: boolean): void {
    const k = `${resource.plural}|${namespace}|${name}`;
    if (deleted) {
      this.pods.delete(k);
      this.cancel(k);
      return;
    }
    if (!this.stopped) this.schedule(k, resource, 0);
  }

  stall(on: boolean): void {
    this.stalled = on;
    if (!on) this.kickAll();
  }

  fail(on: boolean): void {
    this.failing = on;
    if (!on) {
      for (const pods of this.pods.values()) pods.failed = false;
      this.kickAll();
    }
  }

  /** Resolves once no rollout is in progress (a stalled or failed one counts as settled). */
  idle(): Promise<void> {
    if (this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.notifyIdle();
  }

  private kickAll(): void {
    for (const k of this.pods.keys()) {
      const [plural] = k.split('|');
      this.schedule(k, resourceFor(plural as string), 0);
    }
  }

  private schedule(k: string, resource: ResourceInfo, delay: number): void {
    this.cancel(k);
    const timer = setTimeout(() => {
      this.timers.delete(k);
      this.reconcile(k, resource, delay === 0);
      this.notifyIdle();
    }, delay);
    this.timers.set(k, timer);
  }

  private cancel(k: string): void {
    clearTimeout(this.timers.get(k));
    this.timers.delete(k);
  }

  private notifyIdle(): void {
    if (this.timers.size > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** One pass of the controller: observe the spec, replace at most one pod, write status. */
  private reconcile(k: string, resource: ResourceInfo, observing: boolean): void {
    const [, namespace = '', name = ''] = k.split('|');
    const object = this.store.get(resource, namespace, name);
    if (!object || this.stopped) return;
    const desired = desiredReplicas(resource, object, this.options.nodes);
    const hash = templateHash(object);
    let pods = this.pods.get(k) ?? fromStatus(resource, object, hash);
    if (pods.hash !== hash) {
      pods = {
        hash,
        revision: pods.revision + 1,
        currentRevisionHash: pods.currentRevisionHash,
        updated: 0,
        old: pods.updated + pods.old,
        failed: false,
      };
    }
    this.pods.set(k, pods);
    const done = () => pods.updated === desired && pods.old === 0;
    // A failing StatefulSet or DaemonSet just hangs: they have no progress deadline.
    const moving = () =>
      !done() && !this.stalled && !pods.failed && !(this.failing && resource.kind !== 'Deployment');
    if (!observing && moving()) {
      if (this.failing) pods.failed = true;
      else step(pods, desired);
    }
    if (done()) pods.currentRevisionHash = pods.hash;
    const next = clone(object);
    this.applyStatus(resource, next, pods);
    if (!deepEqual(next, object)) this.store.write(resource, next);
    if (moving()) this.schedule(k, resource, this.options.rolloutStepMs);
  }

  private applyStatus(resource: ResourceInfo, object: JsonObject, pods: Pods): void {
    const desired = desiredReplicas(resource, object, this.options.nodes);
    const generation = numberAt(objectAt(object.metadata).generation) ?? 1;
    const previous = objectAt(object.status);
    if (resource.kind === 'Deployment') {
      const annotations = child(metadataOf(object), 'annotations');
      annotations[REVISION_ANNOTATION] = String(pods.revision);
      object.status = deploymentStatus(object, pods, desired, generation, previous);
    } else if (resource.kind === 'StatefulSet') {
      object.status = statefulSetStatus(object, pods, generation);
    } else {
      object.status = daemonSetStatus(pods, desired, generation);
    }
  }
}

function keyOf(resource: ResourceInfo, object: JsonObject): string {
  return `${resource.plural}|${namespaceOf(object)}|${nameOf(object)}`;
}

/** Pods of a workload the controller has not seen yet (seeded with its own status). */
function fromStatus(resource: ResourceInfo, object: JsonObject, hash: string): Pods {
  const status = objectAt(object.status);
  const updated =
    numberAt(
      resource.kind === 'DaemonSet' ? status.updatedNumberScheduled : status.updatedReplicas,
    ) ?? 0;
  const total =
    numberAt(resource.kind === 'DaemonSet' ? status.currentNumberScheduled : status.replicas) ??
    updated;
  const revision = Number(objectAt(objectAt(object.metadata).annotations)[REVISION_ANNOTATION]);
  return {
    hash,
    revision: Number.isInteger(revision) && revision > 0 ? revision : 1,
    currentRevisionHash: hash,
    updated,
    old: Math.max(0, total - updated),
    failed: false,
  };
}

/** Replace one pod: a new one becomes ready, an old one goes (or scale by one). */
function step(pods: Pods, desired: number): void {
  if (pods.updated < desired) {
    pods.updated++;
    if (pods.old > 0) pods.old--;
  } else if (pods.old > 0) {
    pods.old--;
  } else if (pods.updated > desired) {
    pods.updated--;
  }
}

function omitZero(fields: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== 0));
}

function deploymentStatus(
  object: JsonObject,
  pods: Pods,
  desired: number,
  generation: number,
  previous: JsonObject,
): JsonObject {
  const running = pods.updated + pods.old;
  const maxUnavailable = percentOf(
    objectAt(objectAt(objectAt(object.spec).strategy).rollingUpdate).maxUnavailable,
    desired,
  );
  const replicaSet = JSON.stringify(`${nameOf(object)}-${pods.hash}`);
  const complete = pods.updated === desired && pods.old === 0;
  const available = running >= desired - maxUnavailable;
  const progressing = pods.failed
    ? ['False', 'ProgressDeadlineExceeded', `ReplicaSet ${replicaSet} has timed out progressing.`]
    : complete
      ? ['True', 'NewReplicaSetAvailable', `ReplicaSet ${replicaSet} has successfully progressed.`]
      : ['True', 'ReplicaSetUpdated', `ReplicaSet ${replicaSet} is progressing.`];
  const old = Array.isArray(previous.conditions) ? previous.conditions.filter(isObject) : [];
  return {
    observedGeneration: generation,
    ...omitZero({
      replicas: running,
      updatedReplicas: pods.updated,
      readyReplicas: running,
      availableReplicas: running,
      unavailableReplicas: Math.max(0, desired - running),
    }),
    conditions: [
      condition(
        old,
        'Available',
        available
          ? ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']
          : [
              'False',
              'MinimumReplicasUnavailable',
              'Deployment does not have minimum availability.',
            ],
      ),
      condition(old, 'Progressing', progressing),
    ],
  };
}

function statefulSetStatus(object: JsonObject, pods: Pods, generation: number): JsonObject {
  const name = nameOf(object);
  const running = pods.updated + pods.old;
  return {
    observedGeneration: generation,
    replicas: running,
    ...omitZero({ readyReplicas: running, currentReplicas: pods.old || pods.updated }),
    ...omitZero({ updatedReplicas: pods.updated }),
    currentRevision: `${name}-${pods.currentRevisionHash}`,
    updateRevision: `${name}-${pods.hash}`,
    collisionCount: 0,
    availableReplicas: running,
  };
}

function daemonSetStatus(pods: Pods, desired: number, generation: number): JsonObject {
  const running = pods.updated + pods.old;
  return {
    currentNumberScheduled: desired,
    numberMisscheduled: 0,
    desiredNumberScheduled: desired,
    numberReady: running,
    observedGeneration: generation,
    ...omitZero({
      updatedNumberScheduled: pods.updated,
      numberAvailable: running,
      numberUnavailable: Math.max(0, desired - running),
    }),
  };
}

/** A condition, keeping its transition time while its status does not change. */
function condition(previous: JsonObject[], type: string, [status, reason, message]: string[]) {
  const now = rfc3339();
  const before = previous.find((c) => c.type === type);
  const same = before && before.status === status && before.reason === reason;
  return {
    type,
    status,
    lastUpdateTime: same ? before.lastUpdateTime : now,
    lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
    reason,
    message,
  };
}

/** intstr percent or count, rounded down as maxUnavailable is. */
function percentOf(value: unknown, total: number): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(String(value ?? ''));
  return percent ? Math.floor((Number(percent[1]) * total) / 100) : 0;
}
