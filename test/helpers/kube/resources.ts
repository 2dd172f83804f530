/**
 * The API resources the stand-in serves, and the discovery documents built from them (what
 * `kubectl` reads before anything else to map `deploy/web` to `/apis/apps/v1/.../deployments`).
 */

export interface ResourceInfo {
  /** Lower-case plural, as in the URL and in RBAC rules. */
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  /** `''` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly storageVersionHash?: string;
  /** Spec/status objects with a simulated controller (generation, rollout status). */
  readonly workload?: boolean;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: readonly ResourceInfo[] = [
  {
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    group: '',
    version: 'v1',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    storageVersionHash: 'Q3oi5N2YM8M=',
  },
  {
    plural: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: CRUD,
    storageVersionHash: 'S6u1pOWzb84=',
  },
  {
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: CRUD,
    shortNames: ['cm'],
    storageVersionHash: 'qFsyl6wFWjQ=',
  },
  {
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: CRUD,
    shortNames: ['po'],
    categories: ['all'],
    storageVersionHash: 'xPOwRZ+Yhw8=',
  },
  {
    plural: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    verbs: CRUD,
    shortNames: ['ds'],
    categories: ['all'],
    storageVersionHash: 'dd7pWHUlMKQ=',
    workload: true,
  },
  {
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    verbs: CRUD,
    shortNames: ['deploy'],
    categories: ['all'],
    storageVersionHash: '8aSe+NMegvE=',
    workload: true,
  },
  {
    plural: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    verbs: CRUD,
    shortNames: ['sts'],
    categories: ['all'],
    storageVersionHash: 'H+vl74LkKdo=',
    workload: true,
  },
  {
    plural: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    kind: 'SelfSubjectAccessReview',
    group: 'authorization.k8s.io',
    version: 'v1',
    namespaced: false,
    verbs: ['create'],
  },
];

/** Kinds a test can store and read with `put`/`get` (not the review, which is never stored). */
export const STORED_RESOURCES = RESOURCES.filter((r) => r.plural !== 'selfsubjectaccessreviews');

export function groupVersion(resource: ResourceInfo): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/** `secrets`, `deployments.apps`: schema.GroupResource.String(), used in Status messages. */
export function qualifiedResource(resource: ResourceInfo): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

/** `Secret`, `Deployment.apps`: schema.GroupKind.String(), used in Invalid messages. */
export function qualifiedKind(resource: ResourceInfo): string {
  return resource.group ? `${resource.kind}.${resource.group}` : resource.kind;
}

/** A resource by kind (`Secret`), plural (`secrets`), singular or short name. */
export function resourceFor(kindOrName: string): ResourceInfo {
  const wanted = kindOrName.toLowerCase();
  const found = STORED_RESOURCES.find(
    (r) =>
      r.kind.toLowerCase() === wanted ||
      r.plural === wanted ||
      r.singular === wanted ||
      r.shortNames?.includes(wanted),
  );
  if (!found) throw new Error(`kube-apiserver stand-in: no resource ${JSON.stringify(kindOrName)}`);
  return found;
}

/** The resource served at `/api/v1/...` (group '') or `/apis/{group}/{version}/...`. */
export function resourceAt(group: string, version: string, plural: string) {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function groups(): { name: string; version: string }[] {
  const seen = new Map<string, string>();
  for (const r of RESOURCES) if (r.group && !seen.has(r.group)) seen.set(r.group, r.version);
  return [...seen].map(([name, version]) => ({ name, version }));
}

/** GET /api: the legacy APIVersions document. */
export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string, version: string) {
  const groupVersion = { groupVersion: `${name}/${version}`, version };
  return { name, versions: [groupVersion], preferredVersion: groupVersion };
}

/** GET /apis */
export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups().map(({ name, version }) => apiGroup(name, version)),
  };
}

/** GET /apis/{group} */
export function apiGroupDocument(group: string) {
  const found = groups().find((g) => g.name === group);
  return found && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(found.name, found.version) };
}

/** GET /api/v1 or /apis/{group}/{version}: the APIResourceList. */
export function apiResourceList(group: string, version: string) {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  const list = resources.map((r) => ({
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: [...r.verbs],
    ...(r.shortNames && { shortNames: [...r.shortNames] }),
    ...(r.categories && { categories: [...r.categories] }),
    ...(r.storageVersionHash && { storageVersionHash: r.storageVersionHash }),
  }));
  // The core group's list has no apiVersion field on a real server; the named groups' do.
  return group
    ? {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: `${group}/${version}`,
        resources: list,
      }
    : { kind: 'APIResourceList', groupVersion: version, resources: list };
}
