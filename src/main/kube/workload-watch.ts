import {
  type V1DaemonSet,
  type V1Deployment,
  type V1StatefulSet,
  Watch,
} from '@kubernetes/client-node';
import type { KubeSession } from './kube-api';
import type { WorkloadKind } from './rollout-status';

/**
 * Changes to one workload, from a watch when the API server offers one and from the waiter's
 * own polling otherwise: the watch only makes waiting quicker, so any failure of it is
 * silently left to polling. Knowing that the rollout is over is always decided on a whole
 * object, never on a missed event.
 */

export type Workload = V1Deployment | V1StatefulSet | V1DaemonSet;

const PLURAL: Readonly<Record<WorkloadKind, string>> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

export function workloadPath(kind: WorkloadKind, namespace: string): string {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${PLURAL[kind]}`;
}

export class WorkloadChanges {
  #latest: Workload | null = null;
  #changed = false;
  #wake: (() => void) | null = null;
  #controller: AbortController | null = null;
  #closed = false;

  private constructor() {}

  /** Starts watching; never waits for the watch, never fails because of it. */
  static open(
    session: KubeSession,
    kind: WorkloadKind,
    namespace: string,
    name: string,
  ): WorkloadChanges {
    const changes = new WorkloadChanges();
    const onEvent = (type: string, object: unknown) => {
      const workload = object as Workload | undefined;
      if (workload?.metadata?.name !== name) return;
      if (type === 'ADDED' || type === 'MODIFIED') changes.#push(workload);
      else if (type === 'DELETED') changes.#push(null);
    };
    new Watch(session.config)
      .watch(
        workloadPath(kind, namespace),
        { fieldSelector: `metadata.name=${name}` },
        onEvent,
        () => undefined,
      )
      .then(
        (controller) => {
          if (changes.#closed) controller.abort();
          else changes.#controller = controller;
        },
        () => undefined, // No watch: polling alone.
      );
    return changes;
  }

  #push(workload: Workload | null): void {
    this.#latest = workload;
    this.#changed = true;
    this.#wake?.();
  }

  /**
   * Waits for a change or `pollMs`, whichever comes first. Resolves with the changed object
   * when the watch delivered one, else null (read it again). Rejects when `signal` ends.
   */
  next(pollMs: number, signal: AbortSignal): Promise<Workload | null> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wake = null;
        const latest = this.#changed ? this.#latest : null;
        this.#changed = false;
        this.#latest = null;
        resolve(latest);
      };
      const onAbort = () => {
        clearTimeout(timer);
        this.#wake = null;
        reject(signal.reason);
      };
      const timer = setTimeout(finish, pollMs);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      if (this.#changed) finish();
      else this.#wake = finish;
    });
  }

  close(): void {
    this.#closed = true;
    this.#controller?.abort();
    this.#controller = null;
  }
}
