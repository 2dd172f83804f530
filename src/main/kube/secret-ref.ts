import { RekeyError } from '../../shared/errors';

/**
 * Where a secret lives in a cluster: one key of one Secret, written `namespace/name#key`, or
 * `name#key` in the context's default namespace. Names follow Kubernetes' own validation
 * (k8s.io/apimachinery/pkg/util/validation), so a bad reference is refused here with a message
 * that says what is allowed, before anything is sent to a cluster.
 */
export interface KubeSecretKeyRef {
  namespace: string;
  name: string;
  key: string;
}

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const LABEL = new RegExp(`^${DNS1123_LABEL}$`);
const SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_LABEL = 63;
const MAX_SUBDOMAIN = 253;
const MAX_KEY = 253;

/** Why `name` is not a valid Secret (or workload) name, or null when it is one. */
export function secretNameProblem(name: string): string | null {
  if (name === '') return 'a Secret name is empty';
  if (name.length > MAX_SUBDOMAIN)
    return `a Secret name has at most ${MAX_SUBDOMAIN} characters (this one has ${name.length})`;
  if (!SUBDOMAIN.test(name))
    return (
      `"${name}" is not a valid Secret name: lowercase letters, digits, '-' and '.', ` +
      'starting and ending with a letter or digit (a DNS-1123 subdomain)'
    );
  return null;
}

/** Why `namespace` is not a valid namespace name, or null when it is one. */
export function namespaceProblem(namespace: string): string | null {
  if (namespace === '') return 'a namespace is empty';
  if (namespace.length > MAX_LABEL)
    return `a namespace has at most ${MAX_LABEL} characters (this one has ${namespace.length})`;
  if (!LABEL.test(namespace))
    return (
      `"${namespace}" is not a valid namespace: lowercase letters, digits and '-', ` +
      'starting and ending with a letter or digit (a DNS-1123 label)'
    );
  return null;
}

/** Why `key` is not a valid key of a Secret's data, or null when it is one. */
export function secretKeyProblem(key: string): string | null {
  if (key === '') return 'a Secret key is empty';
  if (key.length > MAX_KEY)
    return `a Secret key has at most ${MAX_KEY} characters (this one has ${key.length})`;
  if (!KEY.test(key))
    return `"${key}" is not a valid Secret key: letters, digits, '-', '_' and '.' only`;
  if (key === '.' || key === '..' || key.startsWith('..'))
    return `"${key}" is not a valid Secret key: it must not be '.' or '..' or start with '..'`;
  return null;
}

function invalid(problem: string): RekeyError {
  return new RekeyError('INVALID_INPUT', problem.charAt(0).toUpperCase() + problem.slice(1) + '.');
}

export function assertNamespace(namespace: string): void {
  const problem = namespaceProblem(namespace);
  if (problem) throw invalid(problem);
}

export function assertSecretName(name: string): void {
  const problem = secretNameProblem(name);
  if (problem) throw invalid(problem);
}

export function assertSecretKey(key: string): void {
  const problem = secretKeyProblem(key);
  if (problem) throw invalid(problem);
}

export function assertSecretKeyRef(ref: KubeSecretKeyRef): void {
  assertNamespace(ref.namespace);
  assertSecretName(ref.name);
  assertSecretKey(ref.key);
}

/**
 * Parses `namespace/name#key`, or `name#key` when a default namespace (the context's) is
 * given. Throws INVALID_INPUT naming what is wrong.
 */
export function parseSecretKeyRef(text: string, defaultNamespace?: string): KubeSecretKeyRef {
  const shape = 'write it namespace/name#key (or name#key for the context namespace)';
  const hash = text.indexOf('#');
  if (hash < 0) throw invalid(`"${text}" names no key of the Secret: ${shape}`);
  const path = text.slice(0, hash);
  const key = text.slice(hash + 1);
  const parts = path.split('/');
  if (parts.length > 2) throw invalid(`"${text}" has more than one '/': ${shape}`);
  const [first = '', second] = parts;
  const namespace = second === undefined ? defaultNamespace : first;
  const name = second === undefined ? first : second;
  if (namespace === undefined)
    throw invalid(`"${text}" names no namespace and there is no default one: ${shape}`);
  const ref = { namespace, name, key };
  assertSecretKeyRef(ref);
  return ref;
}

/** `namespace/name#key`, the form `parseSecretKeyRef` reads back. */
export function formatSecretKeyRef(ref: KubeSecretKeyRef): string {
  return `${ref.namespace}/${ref.name}#${ref.key}`;
}

/** `namespace/name`, as messages name a Secret. */
export function formatSecretName(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
