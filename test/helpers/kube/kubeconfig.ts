import { stringify } from 'yaml';

/** kubeconfig files pointing at the stand-in: one cluster, a user and a context per entry. */

export interface KubeconfigContext {
  /** The bearer token of the context's user; the server's admin token when absent. */
  token?: string;
  /** The context's default namespace. */
  namespace?: string;
  /** Context name; `rekey-test` for the first, `rekey-test-2`... after. */
  context?: string;
  /** The user entry's name; the token's user (or `rekey-test-user`) when absent. */
  user?: string;
  /** Another server URL for this context's cluster (a dead port, say). */
  server?: string;
  /**
   * The https URL with the CA embedded (default), or plain http (with
   * `insecure-skip-tls-verify`, without which client-node refuses http). kubectl sends no
   * token to an http server: client-go reads credentials only for TLS transports.
   */
  tls?: boolean;
}

export interface KubeconfigParts {
  url: string;
  httpsUrl: string;
  caCert: string;
  defaultToken: string;
  userOf: (token: string) => string | undefined;
}

/**
 * The YAML of a kubeconfig with one context per entry; the first is the current context.
 * Users with the same name and different tokens get distinct entry names.
 */
export function kubeconfigYaml(
  parts: KubeconfigParts,
  contexts: KubeconfigContext | readonly KubeconfigContext[] = {},
): string {
  const list: readonly KubeconfigContext[] = Array.isArray(contexts)
    ? contexts
    : [contexts as KubeconfigContext];
  const entries = list.length > 0 ? list : [{}];
  const clusters = new Map<string, string>();
  const users = new Map<string, string>();
  const contextEntries = entries.map((entry, index) => {
    const server = entry.server ?? (entry.tls === false ? parts.url : parts.httpsUrl);
    let clusterName = clusters.get(server);
    if (!clusterName) {
      clusterName = clusters.size === 0 ? 'rekey-test' : `rekey-test-${clusters.size + 1}`;
      clusters.set(server, clusterName);
    }
    const token = entry.token ?? parts.defaultToken;
    const base = entry.user ?? parts.userOf(token) ?? 'rekey-test-user';
    let userName = base;
    for (let n = 2; users.has(userName) && users.get(userName) !== token; n++)
      userName = `${base}-${n}`;
    users.set(userName, token);
    return {
      name: entry.context ?? (index === 0 ? 'rekey-test' : `rekey-test-${index + 1}`),
      context: {
        cluster: clusterName,
        user: userName,
        ...(entry.namespace && { namespace: entry.namespace }),
      },
    };
  });
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [...clusters].map(([server, name]) => ({
      name,
      cluster: {
        server,
        // client-node refuses plain http unless TLS verification is (nominally) off.
        ...(server.startsWith('https:')
          ? { 'certificate-authority-data': Buffer.from(parts.caCert).toString('base64') }
          : { 'insecure-skip-tls-verify': true }),
      },
    })),
    users: [...users].map(([name, token]) => ({ name, user: { token } })),
    contexts: contextEntries,
    'current-context': contextEntries[0]?.name,
  });
}
