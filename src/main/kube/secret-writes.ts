import type { V1Secret } from '@kubernetes/client-node';
import { RekeyError } from '../../shared/errors';
import { type KubeSession, kubeCall } from './kube-api';
import type { KubeOperation } from './kube-errors';
import {
  type KubeWriteResult,
  OPAQUE,
  type SecretSnapshot,
  resourceVersionOf,
} from './secret-data';
import { fetchSecret, missingSecret, secretTarget } from './secret-reads';

/**
 * Writing Secrets with optimistic concurrency: every write is a PUT of the whole Secret
 * carrying the resourceVersion it was computed from, so the API server refuses it (409) when
 * someone else changed the Secret in between, and nothing is overwritten blindly. A rollback
 * is held to the same rule against the version Rekey itself wrote.
 */

export interface SecretWriteOptions {
  /** Refuse (CONFLICT) unless the Secret is still at this resourceVersion. */
  expectedResourceVersion?: string;
  /** Create the Secret (type Opaque) when it does not exist; otherwise that is NOT_FOUND. */
  create?: boolean;
}

type DataChange = (current: Readonly<Record<string, string>>) => Record<string, string>;

function changedSince(target: string, expected: string, found: string | null): RekeyError {
  const now = found === null ? 'it has been deleted' : `it is now at ${found}`;
  return new RekeyError(
    'CONFLICT',
    `${target} changed since Rekey read it (resourceVersion ${expected}; ${now}): ` +
      'nothing was written.',
  );
}

function replaceBody(current: V1Secret, data: Record<string, string>): V1Secret {
  // managedFields left out (not emptied): the server then keeps its own record of them.
  const { managedFields: _managedFields, ...metadata } = current.metadata ?? {};
  return {
    ...current,
    metadata: { ...metadata, resourceVersion: resourceVersionOf(current) },
    data,
  };
}

/**
 * Replaces the data of Secret `namespace/name` with `change(current data)`, creating the
 * Secret when asked to. `inFlight` are the values being written, blanked from server text.
 */
export async function changeSecretData(
  session: KubeSession,
  namespace: string,
  name: string,
  change: DataChange,
  options: SecretWriteOptions,
  inFlight: readonly Buffer[],
): Promise<KubeWriteResult> {
  const target = secretTarget(namespace, name);
  const current = await fetchSecret(session, namespace, name);
  if (current === null) {
    if (options.expectedResourceVersion !== undefined)
      throw changedSince(target, options.expectedResourceVersion, null);
    if (!options.create) throw missingSecret(session, namespace, name);
    const created = await kubeCall(
      session,
      { doing: `creating ${target}`, target, secrets: inFlight },
      (call) =>
        session.core.createNamespacedSecret(
          {
            namespace,
            body: {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name, namespace },
              type: OPAQUE,
              data: change({}),
            },
          },
          call,
        ),
    );
    return { previous: null, resourceVersion: resourceVersionOf(created) };
  }
  const resourceVersion = resourceVersionOf(current);
  if (
    options.expectedResourceVersion !== undefined &&
    options.expectedResourceVersion !== resourceVersion
  )
    throw changedSince(target, options.expectedResourceVersion, resourceVersion);
  if (current.immutable)
    throw new RekeyError(
      'REMOTE_FAILED',
      `${target} is immutable (immutable: true): Kubernetes refuses any change to its data. ` +
        'Write the new value to a new Secret and point the workloads at it instead.',
    );
  const previous: SecretSnapshot = { data: { ...current.data }, resourceVersion };
  const operation: KubeOperation = { doing: `writing ${target}`, target, secrets: inFlight };
  const replaced = await kubeCall(session, operation, (call) =>
    session.core.replaceNamespacedSecret(
      { name, namespace, body: replaceBody(current, change(previous.data)) },
      call,
    ),
  );
  return { previous, resourceVersion: resourceVersionOf(replaced) };
}

function changedAfterWrite(target: string, written: string, found: string | null): RekeyError {
  const now = found === null ? 'it has since been deleted' : `it is now at ${found}`;
  return new RekeyError(
    'CONFLICT',
    `${target} was changed by someone else after Rekey wrote it (Rekey wrote resourceVersion ` +
      `${written}; ${now}): the previous data was NOT put back, so as not to undo their ` +
      'change. Check the Secret and restore it by hand if needed.',
  );
}

/**
 * Rolls back a write: puts `written.previous` back (or deletes the Secret the write created),
 * but only while the Secret is still exactly as Rekey wrote it.
 */
export async function restoreSecret(
  session: KubeSession,
  namespace: string,
  name: string,
  written: KubeWriteResult,
): Promise<{ resourceVersion: string | null }> {
  const target = secretTarget(namespace, name);
  const current = await fetchSecret(session, namespace, name);
  const found = current === null ? null : resourceVersionOf(current);
  if (written.previous === null) {
    if (current === null) return { resourceVersion: null };
    if (found !== written.resourceVersion)
      throw changedAfterWrite(target, written.resourceVersion, found);
    await kubeCall(session, { doing: `deleting ${target} (rollback)`, target }, (call) =>
      session.core.deleteNamespacedSecret(
        {
          name,
          namespace,
          body: { preconditions: { resourceVersion: written.resourceVersion } },
        },
        call,
      ),
    );
    return { resourceVersion: null };
  }
  if (current === null || found !== written.resourceVersion)
    throw changedAfterWrite(target, written.resourceVersion, found);
  const restoring = Object.values(written.previous.data).map((value) =>
    Buffer.from(value, 'base64'),
  );
  const operation: KubeOperation = {
    doing: `restoring ${target} (rollback)`,
    target,
    secrets: restoring,
  };
  const previousData = written.previous.data;
  const replaced = await kubeCall(session, operation, (call) =>
    session.core.replaceNamespacedSecret(
      { name, namespace, body: replaceBody(current, { ...previousData }) },
      call,
    ),
  );
  return { resourceVersion: resourceVersionOf(replaced) };
}
