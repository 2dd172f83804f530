import type { V1Secret } from '@kubernetes/client-node';
import { RekeyError } from '../../shared/errors';
import { type KubeSession, kubeCall, kubeCallOrNull } from './kube-api';
import type { KubeOperation } from './kube-errors';
import {
  type KubeSecretContent,
  type KubeSecretSummary,
  OPAQUE,
  decodeData,
  resourceVersionOf,
  summarizeSecret,
} from './secret-data';
import { type KubeSecretKeyRef, formatSecretName } from './secret-ref';

/** Reading Secrets: one, one key of one, or every Secret of a namespace (keys only). */

const PAGE_SIZE = 500;

export function secretTarget(namespace: string, name: string): string {
  return `Secret ${formatSecretName(namespace, name)}`;
}

/** The Secret as the API returns it, or null when there is none. */
export function fetchSecret(
  session: KubeSession,
  namespace: string,
  name: string,
): Promise<V1Secret | null> {
  const target = secretTarget(namespace, name);
  const operation: KubeOperation = { doing: `reading ${target}`, target };
  return kubeCallOrNull(session, operation, (options) =>
    session.core.readNamespacedSecret({ name, namespace }, options),
  );
}

export function missingSecret(session: KubeSession, namespace: string, name: string): RekeyError {
  return new RekeyError(
    'NOT_FOUND',
    `${secretTarget(namespace, name)} does not exist (context ${session.endpoint.context}).`,
  );
}

export async function readSecret(
  session: KubeSession,
  namespace: string,
  name: string,
): Promise<KubeSecretContent> {
  const secret = await fetchSecret(session, namespace, name);
  if (!secret) throw missingSecret(session, namespace, name);
  return {
    data: decodeData(secret.data),
    resourceVersion: resourceVersionOf(secret),
    type: secret.type ?? OPAQUE,
  };
}

/** One key's value (null when the Secret has no such key). NOT_FOUND when there is no Secret. */
export async function readKey(
  session: KubeSession,
  ref: KubeSecretKeyRef,
): Promise<{ value: Buffer | null; resourceVersion: string }> {
  const secret = await fetchSecret(session, ref.namespace, ref.name);
  if (!secret) throw missingSecret(session, ref.namespace, ref.name);
  const encoded = secret.data && Object.hasOwn(secret.data, ref.key) ? secret.data[ref.key] : null;
  return {
    value: encoded === null || encoded === undefined ? null : Buffer.from(encoded, 'base64'),
    resourceVersion: resourceVersionOf(secret),
  };
}

/** Every Secret of `namespace`, sorted by name, following the API's pages. */
export async function listSecrets(
  session: KubeSession,
  namespace: string,
): Promise<KubeSecretSummary[]> {
  const target = `the Secrets of namespace ${namespace}`;
  const operation: KubeOperation = { doing: `listing ${target}`, target };
  const summaries: KubeSecretSummary[] = [];
  let token: string | undefined;
  do {
    const page = await kubeCall(session, operation, (options) =>
      session.core.listNamespacedSecret({ namespace, limit: PAGE_SIZE, _continue: token }, options),
    );
    for (const secret of page.items) summaries.push(summarizeSecret(secret, namespace));
    token = page.metadata?._continue || undefined;
  } while (token !== undefined);
  return summaries.sort((a, b) => a.name.localeCompare(b.name));
}
