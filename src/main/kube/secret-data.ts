import type { V1Secret } from '@kubernetes/client-node';

/**
 * Secrets as Rekey hands them around. Kubernetes carries `data` as base64 strings; callers
 * get Buffers (binary-safe), except in snapshots, which are kept exactly as the API returned
 * them so that a rollback puts back the very bytes that were there.
 */

/** A Secret's data before Rekey changed it: what `restoreSecret` puts back. */
export interface SecretSnapshot {
  /** Key -> value, base64 as the API carries it. */
  data: Record<string, string>;
  resourceVersion: string;
}

/** The outcome of a write: keep it, it is what a rollback needs. */
export interface KubeWriteResult {
  /** The Secret before the write, or null when the write created it. */
  previous: SecretSnapshot | null;
  /** The Secret's resourceVersion after the write. */
  resourceVersion: string;
}

export interface KubeSecretContent {
  data: Record<string, Buffer>;
  resourceVersion: string;
  type: string;
}

export interface KubeOwnerReference {
  kind: string;
  name: string;
  controller: boolean;
}

/** One Secret as listed: names and metadata only, values behind `value()`. */
export interface KubeSecretSummary {
  namespace: string;
  name: string;
  type: string;
  keys: string[];
  ownerReferences: KubeOwnerReference[];
  resourceVersion: string;
  /**
   * The decoded value of `key` (null when the Secret has no such key), for callers that
   * fingerprint it. Not enumerable: logging, serializing or cloning a summary carries no value.
   */
  readonly value: (key: string) => Buffer | null;
}

export const OPAQUE = 'Opaque';

export function decodeData(data: Record<string, string> | undefined): Record<string, Buffer> {
  const decoded: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(data ?? {}))
    decoded[key] = Buffer.from(value, 'base64');
  return decoded;
}

export function encodeData(data: Record<string, Buffer>): Record<string, string> {
  const encoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) encoded[key] = value.toString('base64');
  return encoded;
}

export function resourceVersionOf(secret: { metadata?: { resourceVersion?: string } }): string {
  return secret.metadata?.resourceVersion ?? '';
}

export function summarizeSecret(secret: V1Secret, namespace: string): KubeSecretSummary {
  const data = secret.data ?? {};
  const summary = {
    namespace: secret.metadata?.namespace ?? namespace,
    name: secret.metadata?.name ?? '',
    type: secret.type ?? OPAQUE,
    keys: Object.keys(data).sort(),
    ownerReferences: (secret.metadata?.ownerReferences ?? []).map((owner) => ({
      kind: owner.kind,
      name: owner.name,
      controller: owner.controller === true,
    })),
    resourceVersion: resourceVersionOf(secret),
  };
  const value = (key: string): Buffer | null => {
    const encoded = Object.hasOwn(data, key) ? data[key] : undefined;
    return encoded === undefined ? null : Buffer.from(encoded, 'base64');
  };
  Object.defineProperty(summary, 'value', { value, enumerable: false });
  return summary as KubeSecretSummary;
}
