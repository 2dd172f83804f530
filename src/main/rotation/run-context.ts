import { createHash, timingSafeEqual } from 'node:crypto';
import { RekeyError } from '../../shared/errors';
import type { Connector } from '../connectors/connector';
import type { KubeCluster } from '../kube/kube-client';
import type { SecretRecord, VaultState } from '../vault/state';
import { refOf } from '../vault/state';
import { type SecretLabel, expandTemplate } from './templates';

/**
 * What a running step may use: connectors to hosts, the values of the run's secrets (filled
 * into the placeholders the plan kept) and the redactor every message passes through.
 */

export type RunValues = Readonly<Record<SecretLabel, string>>;

/** A cluster of the vault and the namespace its targets and workloads default to. */
export interface ClusterAccess {
  cluster: KubeCluster;
  namespace: string;
}

export interface StepContext {
  connector(host: string): Promise<Connector>;
  /** The client of a Kubernetes cluster of the vault, by its (host) name. */
  cluster(name: string): Promise<ClusterAccess>;
  /** How a long step is getting on ("Deployment prod/web: 1 of 3 updated"), redacted. */
  progress(detail: string): void;
  /** The values of a secret of the run, as the vault holds them now. */
  values(secretId: string): RunValues;
  redact(text: string): string;
  /** A manual item the user ticks; false when they decline. */
  confirm(text: string): Promise<boolean>;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export const NO_VARIABLES: ReadonlyMap<string, string> = new Map();

export function fill(text: string, values: RunValues): string {
  return expandTemplate(text, { variables: NO_VARIABLES, secret: values });
}

export function fillEnv(
  env: Readonly<Record<string, string>> | undefined,
  values: RunValues,
): Record<string, string> | undefined {
  if (env === undefined) return undefined;
  return Object.fromEntries(Object.entries(env).map(([name, text]) => [name, fill(text, values)]));
}

/** The run's values of a secret: the staged pending version and the current one it replaces. */
export function runValues(state: Readonly<VaultState>, secretId: string): RunValues {
  const secret = state.secrets.get(secretId);
  if (!secret) throw new RekeyError('NOT_FOUND', `The secret ${secretId} of this run is gone`);
  return { pending: labelled(secret, 'pending'), current: labelled(secret, 'current') };
}

function labelled(secret: SecretRecord, label: SecretLabel): string {
  const version = secret.versions.find((candidate) => candidate.labels.includes(label));
  if (!version) throw new RekeyError('NOT_FOUND', `${refOf(secret)} has no ${label} value`);
  return version.value.reveal();
}

/** Compares two values by their hashes, in constant time. */
export function sameValue(a: string, b: string): boolean {
  const hash = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(hash(a), hash(b));
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}
