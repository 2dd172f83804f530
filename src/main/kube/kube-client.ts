import type { ConfigurationOptions } from '@kubernetes/client-node';
import { DEFAULT_REQUEST_TIMEOUT_MS, type KubeSession, kubeCall, openSession } from './kube-api';
import {
  type KubeContextSummary,
  type Kubeconfig,
  parseKubeconfig,
  readKubeconfigFile,
  selectContext,
} from './kube-config';
import {
  type RolloutProgress,
  type RolloutWaitOptions,
  rolloutRestart,
  waitForRollout,
} from './rollout';
import { type RolloutState, WORKLOAD_KINDS, type WorkloadKind } from './rollout-status';
import {
  type KubeSecretContent,
  type KubeSecretSummary,
  type KubeWriteResult,
  encodeData,
} from './secret-data';
import { listSecrets, readKey, readSecret } from './secret-reads';
import {
  type KubeSecretKeyRef,
  assertNamespace,
  assertSecretKey,
  assertSecretKeyRef,
  assertSecretName,
  parseSecretKeyRef,
} from './secret-ref';
import { type SecretWriteOptions, changeSecretData, restoreSecret } from './secret-writes';
import { type WorkloadSecrets, templateSecretReferences } from './workload-secrets';
import type { Workload } from './workload-watch';

/**
 * One context of a kubeconfig, as Rekey's rotation engine, discovery and UI use it: Secrets
 * read and written with optimistic concurrency, rollbacks that never undo someone else's
 * change, rollout restarts and waits with kubectl's rules, and which workloads read which
 * Secret. Every failure is a RekeyError whose message names the API server or the context and
 * what was being done, never a value.
 */

export interface KubeClusterOptions {
  /** Deadline of each API request (default 30 s). */
  requestTimeoutMs?: number;
}

export type { RolloutProgress, RolloutWaitOptions, WorkloadKind, RolloutState };

/** Methods are async all through: an invalid argument rejects, as any other failure does. */
export class KubeCluster {
  readonly #session: KubeSession;
  /** The context in use and its default namespace. */
  readonly context: KubeContextSummary;
  readonly server: string;

  /** From kubeconfig text (a kubeconfig kept in the vault) and a context name (else current). */
  constructor(
    kubeconfig: string | Kubeconfig,
    contextName?: string,
    options: KubeClusterOptions = {},
  ) {
    const parsed = typeof kubeconfig === 'string' ? parseKubeconfig(kubeconfig) : kubeconfig;
    const selected = selectContext(parsed, contextName);
    this.#session = openSession(selected, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    this.context = selected.context;
    this.server = selected.server;
  }

  static async fromFile(
    path: string,
    contextName?: string,
    options?: KubeClusterOptions,
  ): Promise<KubeCluster> {
    return new KubeCluster(await readKubeconfigFile(path), contextName, options);
  }

  /** The context's namespace, else `default`. */
  get namespace(): string {
    return this.context.namespace;
  }

  /** Parses `namespace/name#key` or `name#key` (this context's namespace). */
  parseRef(text: string): KubeSecretKeyRef {
    return parseSecretKeyRef(text, this.namespace);
  }

  /** The Secrets of a namespace: names, types, keys and owners; values only via `value(key)`. */
  async secretKeys(namespace: string = this.namespace): Promise<KubeSecretSummary[]> {
    assertNamespace(namespace);
    return listSecrets(this.#session, namespace);
  }

  /** A whole Secret, decoded. NOT_FOUND when there is none. */
  async readSecret(namespace: string, name: string): Promise<KubeSecretContent> {
    assertNamespace(namespace);
    assertSecretName(name);
    return readSecret(this.#session, namespace, name);
  }

  /** One key (value null when the Secret lacks it). NOT_FOUND when there is no such Secret. */
  async readKey(ref: KubeSecretKeyRef): Promise<{ value: Buffer | null; resourceVersion: string }> {
    assertSecretKeyRef(ref);
    return readKey(this.#session, ref);
  }

  /**
   * Sets one key (adding it when missing), keeping every other key. CONFLICT when the Secret
   * changed meanwhile (or is not at `expectedResourceVersion`); NOT_FOUND when there is no
   * Secret and `create` was not asked for. Keep the result: it is what `restoreSecret` needs.
   */
  async writeKey(
    ref: KubeSecretKeyRef,
    value: Buffer,
    options: SecretWriteOptions = {},
  ): Promise<KubeWriteResult> {
    assertSecretKeyRef(ref);
    const encoded = value.toString('base64');
    return changeSecretData(
      this.#session,
      ref.namespace,
      ref.name,
      (current) => ({ ...current, [ref.key]: encoded }),
      options,
      [value],
    );
  }

  /** Replaces a Secret's whole data with `data` (keys not in it are removed). */
  async writeSecret(
    namespace: string,
    name: string,
    data: Record<string, Buffer>,
    options: SecretWriteOptions = {},
  ): Promise<KubeWriteResult> {
    assertNamespace(namespace);
    assertSecretName(name);
    for (const key of Object.keys(data)) assertSecretKey(key);
    const encoded = encodeData(data);
    return changeSecretData(
      this.#session,
      namespace,
      name,
      () => ({ ...encoded }),
      options,
      Object.values(data),
    );
  }

  /**
   * Rolls back a write (the result of `writeKey`/`writeSecret`): puts the previous data back,
   * or deletes the Secret the write created. CONFLICT, changing nothing, when the Secret is
   * no longer exactly as Rekey wrote it.
   */
  async restoreSecret(
    namespace: string,
    name: string,
    written: KubeWriteResult,
  ): Promise<{ resourceVersion: string | null }> {
    assertNamespace(namespace);
    assertSecretName(name);
    return restoreSecret(this.#session, namespace, name, written);
  }

  async rolloutRestart(
    kind: WorkloadKind,
    namespace: string,
    name: string,
  ): Promise<{ restartedAt: string; generation: number }> {
    assertNamespace(namespace);
    assertSecretName(name);
    return rolloutRestart(this.#session, kind, namespace, name);
  }

  async waitForRollout(
    kind: WorkloadKind,
    namespace: string,
    name: string,
    options: RolloutWaitOptions,
  ): Promise<RolloutState> {
    assertNamespace(namespace);
    assertSecretName(name);
    return waitForRollout(this.#session, kind, namespace, name, options);
  }

  /** Every Deployment, StatefulSet and DaemonSet of `namespace` that reads a Secret. */
  async workloadsUsingSecrets(namespace: string = this.namespace): Promise<WorkloadSecrets[]> {
    assertNamespace(namespace);
    const lists = await Promise.all(
      WORKLOAD_KINDS.map(async (kind) => ({
        kind,
        items: await this.#listWorkloads(kind, namespace),
      })),
    );
    return lists
      .flatMap(({ kind, items }) =>
        items.map((workload) => ({
          kind,
          namespace,
          name: workload.metadata?.name ?? '',
          references: templateSecretReferences(workload.spec?.template),
        })),
      )
      .filter((workload) => workload.references.length > 0);
  }

  async #listWorkloads(kind: WorkloadKind, namespace: string): Promise<Workload[]> {
    const session = this.#session;
    const target = `the ${kind}s of namespace ${namespace}`;
    const list = (options: ConfigurationOptions): Promise<{ items: Workload[] }> => {
      switch (kind) {
        case 'Deployment':
          return session.apps.listNamespacedDeployment({ namespace }, options);
        case 'StatefulSet':
          return session.apps.listNamespacedStatefulSet({ namespace }, options);
        case 'DaemonSet':
          return session.apps.listNamespacedDaemonSet({ namespace }, options);
      }
    };
    const result = await kubeCall(session, { doing: `listing ${target}`, target }, list);
    return result.items;
  }
}
