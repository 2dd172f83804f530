import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createHandler, type RecordedRequest, type VersionInfo } from './kube/http';
import { type JsonObject, clone } from './kube/json';
import { type KubeconfigContext, kubeconfigYaml } from './kube/kubeconfig';
import { DEFAULT_NAMESPACES, ObjectApi } from './kube/objects';
import { ALL_RIGHTS, type TokenOptions, Tokens } from './kube/rbac';
import { resourceFor } from './kube/resources';
import { Store } from './kube/store';
import { dualProtocolListener, standInCertificate } from './kube/tls';
import { Watches } from './kube/watch';
import { WorkloadController } from './kube/workloads';

export type { RecordedRequest } from './kube/http';
export type { KubeconfigContext } from './kube/kubeconfig';
export type { KubeRule, KubeVerb, TokenOptions } from './kube/rbac';

/**
 * A stand-in Kubernetes API server for tests: on 127.0.0.1 (random port), plain HTTP and
 * HTTPS on the same port, bearer tokens with RBAC-like rules, objects in memory. It serves
 * what Rekey's Kubernetes connector uses, on the real wire format: core/v1 Secrets (and
 * ConfigMaps, Pods, Namespaces), apps/v1 Deployments, StatefulSets and DaemonSets;
 * list/get/create/update/patch (JSON, merge, strategic merge)/delete/watch; optimistic
 * concurrency with resourceVersion; Status bodies worded as the real server words them;
 * discovery enough for kubectl; SelfSubjectAccessReview (`kubectl auth can-i`); and a
 * simulated rollout controller that `kubectl rollout status` accepts.
 * `startKubeApiServer()` has no test-runner hooks; `useKubeApiServer()` wraps it.
 *
 * Why TLS: kubectl (client-go's clientcmd) reads a kubeconfig user's token only when the
 * server is https, so kubeconfigs from `kubeconfig()` name the https URL, with the
 * throwaway certificate embedded as the CA.
 *
 * Known differences from a real API server: no `managedFields`, no server-side apply,
 * no Table output (kubectl falls back to NAME/AGE columns), no OpenAPI (`kubectl apply`
 * needs `--validate=false`), no scale subresource, no ReplicaSets or Pods behind the
 * workloads (`kubectl rollout history` fails), protobuf request bodies only for Secret,
 * ConfigMap and SelfSubjectAccessReview, a paginated list continues from the current state
 * rather than a snapshot, validation limited to names and Secrets, and a rollout that
 * fails does so at its next step rather than after progressDeadlineSeconds.
 */

export interface KubeApiServerOptions {
  /** Time for the simulated controllers to replace one pod; default 50 ms. */
  rolloutStepMs?: number;
  /** Nodes a DaemonSet runs on; default 2. */
  nodes?: number;
  /** What /version reports; default v1.32.4. */
  gitVersion?: string;
  /** The token of user `admin`, allowed everything; random by default. */
  adminToken?: string;
}

export interface KubeObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMeta;
  [field: string]: unknown;
}

export interface SecretObject extends KubeObject {
  type?: string;
  /** Base64 values, as on the wire. */
  data?: Record<string, string>;
  /** Accepted on write, merged into `data`, never stored. */
  stringData?: Record<string, string>;
  immutable?: boolean;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: JsonObject[]; volumes?: JsonObject[]; [field: string]: unknown };
}

export interface WorkloadObject extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: PodTemplate;
    [field: string]: unknown;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    [field: string]: unknown;
  };
}

type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface KubeApiServer {
  /** `http://127.0.0.1:<port>`: plain HTTP. */
  readonly url: string;
  /** `https://127.0.0.1:<port>`: the same server over TLS, certificate `caCert`. */
  readonly httpsUrl: string;
  /** PEM of the server's self-signed certificate, its own CA. */
  readonly caCert: string;
  readonly port: number;
  /** Token of user `admin`, whom every rule allows everything. */
  readonly adminToken: string;
  /** The current global revision: the resourceVersion a list would carry now. */
  readonly resourceVersion: string;
  /**
   * A kubeconfig (YAML) with one context per entry, the first current; admin's token by
   * default; the https URL with the CA embedded unless a context says `tls: false`.
   */
  kubeconfig(contexts?: KubeconfigContext | readonly KubeconfigContext[]): string;
  /** Writes `kubeconfig()` to `dir/<fileName>` (mode 0600); returns the path. */
  writeKubeconfig(
    dir: string,
    contexts?: KubeconfigContext | readonly KubeconfigContext[],
    fileName?: string,
  ): string;
  addToken(token: string, options: TokenOptions): void;
  removeToken(token: string): void;
  /** The token stops authenticating (401), as an expired service-account token does. */
  expireToken(token: string): void;
  /**
   * Stores a namespaced object as given (namespace `default` when absent), creating its
   * namespace; assigns uid, creationTimestamp, resourceVersion and, for workloads,
   * generation and (unless `status` is given) a finished rollout's status. Watches see it.
   */
  put<T extends KubeObject>(object: T): T;
  get(kind: 'Secret' | 'secrets', namespace: string, name: string): SecretObject | undefined;
  get(kind: WorkloadKind, namespace: string, name: string): WorkloadObject | undefined;
  get(kind: string, namespace: string, name: string): KubeObject | undefined;
  /** Objects of a kind, in one namespace or all. */
  list(kind: string, namespace?: string): KubeObject[];
  /** Deletes at once (finalizers ignored); false when there was nothing. */
  delete(kind: string, namespace: string, name: string): boolean;
  /** Every request so far, oldest first. */
  requests(): RecordedRequest[];
  clearRequests(): void;
  /** Rollouts stop progressing (the spec is still observed), until called with false. */
  stallRollouts(on?: boolean): void;
  /** Deployments' rollouts fail: Progressing=False, ProgressDeadlineExceeded. */
  failRollouts(on?: boolean): void;
  /** Resolves when no rollout step is pending (finished, stalled or failed). */
  rolloutsSettled(): Promise<void>;
  /** Forgets the change log: watches from an older resourceVersion get 410 Expired. */
  compact(): void;
  /** Ends open watches and connections, stops the controllers. Idempotent. */
  stop(): Promise<void>;
}

export async function startKubeApiServer(
  options: KubeApiServerOptions = {},
): Promise<KubeApiServer> {
  const store = new Store();
  const controller = new WorkloadController(store, {
    rolloutStepMs: options.rolloutStepMs ?? 50,
    nodes: options.nodes ?? 2,
  });
  const objects = new ObjectApi(store, controller);
  const tokens = new Tokens();
  const watches = new Watches(store);
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  tokens.add(adminToken, { user: 'admin', groups: ['system:masters'], rules: ALL_RIGHTS });
  for (const namespace of DEFAULT_NAMESPACES) objects.ensureNamespace(namespace);

  const recorded: RecordedRequest[] = [];
  let port = 0;
  const handler = createHandler({
    store,
    objects,
    tokens,
    watches,
    version: versionInfo(options.gitVersion ?? 'v1.32.4'),
    serverAddress: () => `127.0.0.1:${port}`,
    record: (request) => recorded.push(request),
  });
  const { key, cert } = await standInCertificate();
  const listener = dualProtocolListener(
    createServer(handler),
    createHttpsServer({ key, cert }, handler),
  );
  await new Promise<void>((resolve, reject) => {
    listener.server.once('error', reject);
    listener.server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (listener.server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const httpsUrl = `https://127.0.0.1:${port}`;

  let stopped: Promise<void> | undefined;
  const kubeconfig = (contexts?: KubeconfigContext | readonly KubeconfigContext[]) =>
    kubeconfigYaml(
      { url, httpsUrl, caCert: cert, defaultToken: adminToken, userOf: (t) => tokens.userOf(t) },
      contexts,
    );

  function get(kind: string, namespace: string, name: string) {
    const resource = resourceFor(kind);
    return store.get(resource, resource.namespaced ? namespace : '', name) as
      KubeObject | undefined;
  }

  return {
    url,
    httpsUrl,
    caCert: cert,
    port,
    adminToken,
    get resourceVersion() {
      return String(store.revision);
    },
    kubeconfig,
    writeKubeconfig(dir, contexts, fileName = 'kubeconfig') {
      const path = join(dir, fileName);
      writeFileSync(path, kubeconfig(contexts), { mode: 0o600 });
      return path;
    },
    addToken: (token, tokenOptions) => tokens.add(token, tokenOptions),
    removeToken: (token) => tokens.remove(token),
    expireToken: (token) => tokens.expire(token),
    put<T extends KubeObject>(object: T): T {
      return objects.seed(clone(object) as JsonObject) as T;
    },
    get,
    list(kind, namespace) {
      return store.list(resourceFor(kind), namespace) as KubeObject[];
    },
    delete(kind, namespace, name) {
      const resource = resourceFor(kind);
      const ns = resource.namespaced ? namespace : '';
      if (!store.get(resource, ns, name)) return false;
      objects.remove(resource, ns, name);
      return true;
    },
    requests: () => recorded.map((request) => ({ ...request, query: { ...request.query } })),
    clearRequests: () => {
      recorded.length = 0;
    },
    stallRollouts: (on = true) => controller.stall(on),
    failRollouts: (on = true) => controller.fail(on),
    rolloutsSettled: () => controller.idle(),
    compact: () => store.compact(),
    stop() {
      stopped ??= (async () => {
        controller.stop();
        watches.closeAll();
        await listener.close();
      })();
      return stopped;
    },
  };
}

/** The server for a test file: started before its tests, stopped after them. */
export function useKubeApiServer(options: KubeApiServerOptions = {}): () => KubeApiServer {
  let server: KubeApiServer | undefined;
  beforeAll(async () => {
    server = await startKubeApiServer(options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('useKubeApiServer: the server is not running (beforeAll failed?)');
    return server;
  };
}

function versionInfo(gitVersion: string): VersionInfo {
  const match = /^v(\d+)\.(\d+)/.exec(gitVersion);
  if (!match) throw new Error(`kube-apiserver stand-in: not a version: ${gitVersion}`);
  return { major: match[1] as string, minor: match[2] as string, gitVersion };
}
