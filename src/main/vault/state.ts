import type { Label, PinnedHostKey, SecretMetadata } from '../../shared/model';
import type { HostAuth, VaultEvent, VersionMeta } from './events';
import {
  type BackupRecord,
  BackupEventError,
  type PgpKeyRecord,
  applyBackupEvent,
} from './backup-state';
import { type ClusterRecord, ClusterEventError, applyClusterEvent } from './cluster-state';
import { type IncidentRecord, IncidentEventError, applyIncidentEvent } from './incident-state';
import { type SnoozeRecord, applySnooze } from './health-events';
import { type RotationRecord, RotationEventError, applyRotationEvent } from './rotation-state';
import { SecretValue } from './secret-value';

/** The in-memory model: what replaying every event of a vault yields. */

export interface DeploymentRecord {
  name: string;
  description: string;
  /** Hosts the deployment runs on (`local` for this machine); older vaults have none. */
  hosts: string[];
  /** The playbook its secrets rotate by; null: by their targets alone. */
  playbook: DeploymentPlaybook | null;
  createdAt: string;
}

export interface DeploymentPlaybook {
  id: string;
  variables: Record<string, string>;
  /** Playbook target id -> host, for targets not on the deployment's first host. */
  targetHosts: Record<string, string>;
}

/** A playbook the user added (the built-in ones live in resources/, not in the vault). */
export interface PlaybookRecord {
  id: string;
  text: string;
  savedAt: string;
}

export type HostAuthRecord =
  | { kind: 'agent' }
  | { kind: 'key'; privateKey: SecretValue; passphrase: SecretValue | null; publicKey: string };

export interface HostRecord {
  name: string;
  address: string;
  port: number;
  user: string;
  jump: string | null;
  auth: HostAuthRecord;
  hostKey: PinnedHostKey | null;
  createdAt: string;
  updatedAt: string;
}

export interface VersionRecord extends VersionMeta {
  createdAt: string;
  labels: Label[];
  value: SecretValue;
}

export interface SecretRecord {
  id: string;
  deployment: string;
  name: string;
  metadata: SecretMetadata;
  createdAt: string;
  updatedAt: string;
  versions: VersionRecord[];
  /** Reminders snoozed until a time (absent or null: never snoozed, or cleared). */
  snooze?: SnoozeRecord | null;
}

export interface VaultState {
  deployments: Map<string, DeploymentRecord>;
  secrets: Map<string, SecretRecord>;
  hosts: Map<string, HostRecord>;
  playbooks: Map<string, PlaybookRecord>;
  rotations: Map<string, RotationRecord>;
  backups: BackupRecord[];
  pgpKeys: Map<string, PgpKeyRecord>;
  incidents: Map<string, IncidentRecord>;
  /** Kubernetes clusters; their names are host names too (deployments and targets use them). */
  clusters: Map<string, ClusterRecord>;
  /** `deployment/name` -> secret id. */
  refs: Map<string, string>;
  /** Number of events applied; the next event gets this number. */
  eventCount: number;
  /** Hash of the last event applied (or the vault's genesis value). */
  headHash: string;
}

/** Thrown when an event does not fit the state it is applied to. */
export class InconsistentEventError extends Error {}

export function emptyState(genesisHash: string): VaultState {
  return {
    deployments: new Map(),
    secrets: new Map(),
    hosts: new Map(),
    playbooks: new Map(),
    rotations: new Map(),
    backups: [],
    pgpKeys: new Map(),
    incidents: new Map(),
    clusters: new Map(),
    refs: new Map(),
    eventCount: 0,
    headHash: genesisHash,
  };
}

export function refOf(secret: { deployment: string; name: string }): string {
  return `${secret.deployment}/${secret.name}`;
}

export function currentVersion(secret: SecretRecord): VersionRecord | undefined {
  return secret.versions.find((version) => version.labels.includes('current'));
}

function secretById(state: VaultState, id: string): SecretRecord {
  const secret = state.secrets.get(id);
  if (!secret) throw new InconsistentEventError(`event refers to unknown secret ${id}`);
  return secret;
}

function hostByName(state: VaultState, name: string): HostRecord {
  const host = state.hosts.get(name);
  if (!host) throw new InconsistentEventError(`event refers to unknown host ${name}`);
  return host;
}

function authRecord(auth: HostAuth): HostAuthRecord {
  if (auth.kind === 'agent') return { kind: 'agent' };
  return {
    kind: 'key',
    privateKey: new SecretValue(auth.privateKey),
    passphrase: auth.passphrase === null ? null : new SecretValue(auth.passphrase),
    publicKey: auth.publicKey,
  };
}

export function applyEvent(state: VaultState, event: VaultEvent): void {
  if (event.n !== state.eventCount || event.prev !== state.headHash) {
    throw new InconsistentEventError(
      `event ${event.n} does not follow event ${state.eventCount - 1} in the history chain`,
    );
  }
  applyBody(state, event);
  state.eventCount = event.n + 1;
  state.headHash = event.hash;
}

function applyBody(state: VaultState, event: VaultEvent): void {
  switch (event.kind) {
    case 'deployment.created': {
      if (state.deployments.has(event.data.name)) {
        throw new InconsistentEventError(`deployment ${event.data.name} already exists`);
      }
      state.deployments.set(event.data.name, {
        ...event.data,
        hosts: [],
        playbook: null,
        createdAt: event.at,
      });
      return;
    }
    case 'deployment.playbook-set': {
      const deployment = state.deployments.get(event.data.name);
      if (!deployment) throw new InconsistentEventError(`no deployment ${event.data.name}`);
      const { playbook, variables, targetHosts } = event.data;
      deployment.playbook = playbook === null ? null : { id: playbook, variables, targetHosts };
      return;
    }
    case 'playbook.saved':
      state.playbooks.set(event.data.id, { ...event.data, savedAt: event.at });
      return;
    case 'playbook.removed':
      if (!state.playbooks.delete(event.data.id)) {
        throw new InconsistentEventError(`no playbook ${event.data.id}`);
      }
      return;
    case 'rotation.started':
    case 'rotation.step':
    case 'rotation.resumed':
    case 'rotation.finished':
      try {
        applyRotationEvent(state.rotations, event);
      } catch (error) {
        if (error instanceof RotationEventError) throw new InconsistentEventError(error.message);
        throw error;
      }
      return;
    case 'backup.created':
    case 'backup.verified':
    case 'backup.restored':
    case 'pgp-key.added':
    case 'pgp-key.removed':
      try {
        applyBackupEvent(state, event);
      } catch (error) {
        if (error instanceof BackupEventError) throw new InconsistentEventError(error.message);
        throw error;
      }
      return;
    case 'incident.opened':
    case 'incident.updated':
    case 'incident.linked':
    case 'incident.status-set':
    case 'incident.entry-added':
    case 'incident.entry-edited':
    case 'incident.entry-removed':
    case 'incident.follow-up-set':
    case 'incident.exposed':
    case 'incident.responded':
    case 'incident.exported':
      try {
        applyIncidentEvent(state.incidents, event);
      } catch (error) {
        if (error instanceof IncidentEventError) throw new InconsistentEventError(error.message);
        throw error;
      }
      return;
    case 'cluster.added':
    case 'cluster.updated':
    case 'cluster.removed':
      try {
        applyClusterEvent(state.clusters, event);
      } catch (error) {
        if (error instanceof ClusterEventError) throw new InconsistentEventError(error.message);
        throw error;
      }
      return;
    case 'version.restored': {
      const secret = secretById(state, event.data.secretId);
      restoreVersion(secret, event.data);
      secret.updatedAt = event.at;
      return;
    }
    case 'version.relabeled': {
      const secret = secretById(state, event.data.secretId);
      const target = versionById(secret, event.data.versionId);
      for (const version of secret.versions) {
        version.labels = version.labels.filter((label) => !event.data.labels.includes(label));
      }
      target.labels = [...event.data.labels];
      secret.updatedAt = event.at;
      return;
    }
    case 'version.promoted': {
      const secret = secretById(state, event.data.secretId);
      promote(secret, versionById(secret, event.data.versionId), event.at);
      return;
    }
    case 'version.pending-dropped': {
      const secret = secretById(state, event.data.secretId);
      const version = versionById(secret, event.data.versionId);
      version.labels = version.labels.filter((label) => label !== 'pending');
      secret.updatedAt = event.at;
      return;
    }
    case 'deployment.hosts-set': {
      const deployment = state.deployments.get(event.data.name);
      if (!deployment) throw new InconsistentEventError(`no deployment ${event.data.name}`);
      deployment.hosts = [...event.data.hosts];
      return;
    }
    case 'host.added': {
      const { name, auth, ...endpoint } = event.data;
      if (state.hosts.has(name)) throw new InconsistentEventError(`host ${name} already exists`);
      state.hosts.set(name, {
        name,
        ...endpoint,
        auth: authRecord(auth),
        hostKey: null,
        createdAt: event.at,
        updatedAt: event.at,
      });
      return;
    }
    case 'host.updated': {
      const host = hostByName(state, event.data.name);
      const { auth, ...endpoint } = event.data.changes;
      Object.assign(host, endpoint, auth ? { auth: authRecord(auth) } : {});
      // A new address may be a different machine: its key must be confirmed again.
      if (endpoint.address !== undefined || endpoint.port !== undefined) host.hostKey = null;
      host.updatedAt = event.at;
      return;
    }
    case 'host.removed': {
      hostByName(state, event.data.name);
      state.hosts.delete(event.data.name);
      return;
    }
    case 'host.trusted': {
      const host = hostByName(state, event.data.name);
      const { algorithm, fingerprint } = event.data;
      host.hostKey = { algorithm, fingerprint, trustedAt: event.at };
      host.updatedAt = event.at;
      return;
    }
    case 'secret.created': {
      const { id, deployment, name, metadata } = event.data;
      const ref = refOf({ deployment, name });
      if (state.secrets.has(id) || state.refs.has(ref) || !state.deployments.has(deployment)) {
        throw new InconsistentEventError(`secret ${ref} cannot be created here`);
      }
      state.secrets.set(id, {
        id,
        deployment,
        name,
        metadata,
        createdAt: event.at,
        updatedAt: event.at,
        versions: [],
      });
      state.refs.set(ref, id);
      return;
    }
    case 'secret.updated': {
      const secret = secretById(state, event.data.id);
      secret.metadata = { ...secret.metadata, ...event.data.changes };
      secret.updatedAt = event.at;
      return;
    }
    case 'secret.removed': {
      const secret = secretById(state, event.data.id);
      state.secrets.delete(secret.id);
      state.refs.delete(refOf(secret));
      return;
    }
    case 'version.added': {
      const secret = secretById(state, event.data.secretId);
      addVersion(secret, event.data.version, event.data.value, event.data.label, event.at);
      return;
    }
    case 'secret.snoozed':
      applySnooze(secretById(state, event.data.secretId), event);
      return;
    case 'vault.created':
    case 'vault.password-changed':
    case 'vault.compacted':
    case 'vault.device-remembered':
    case 'vault.device-forgotten':
    case 'secret.revealed':
    case 'secret.copied':
    case 'secrets.imported':
    case 'secrets.exported':
    case 'host.key-refused':
    case 'health.fixed':
      // History-only events: recorded, no change to the inventory.
      return;
  }
}

function versionById(secret: SecretRecord, id: string): VersionRecord {
  const version = secret.versions.find((candidate) => candidate.id === id);
  if (!version) throw new InconsistentEventError(`secret ${secret.id} has no version ${id}`);
  return version;
}

/** A version from a bundle takes its labels from the other versions (each label is unique). */
function restoreVersion(
  secret: SecretRecord,
  data: { version: VersionMeta; value: string; labels: Label[]; createdAt: string },
): void {
  if (secret.versions.some((version) => version.id === data.version.id)) {
    throw new InconsistentEventError(`version ${data.version.id} already exists`);
  }
  for (const version of secret.versions) {
    version.labels = version.labels.filter((label) => !data.labels.includes(label));
  }
  secret.versions.push({
    ...data.version,
    createdAt: data.createdAt,
    labels: [...data.labels],
    value: new SecretValue(data.value),
  });
}

/** The pending version becomes current; the current one becomes previous. */
function promote(secret: SecretRecord, promoted: VersionRecord, at: string): void {
  if (!promoted.labels.includes('pending')) {
    throw new InconsistentEventError(`version ${promoted.id} is not pending`);
  }
  for (const version of secret.versions) {
    const wasCurrent = version.labels.includes('current');
    version.labels = version.labels.filter((label) => label === 'pending');
    if (wasCurrent) version.labels.push('previous');
  }
  promoted.labels = ['current'];
  secret.updatedAt = at;
}

/**
 * Labels move like AWS Secrets Manager's staging labels: a new `current` pushes the old one
 * to `previous` (and the old `previous` loses its label); a new `pending` replaces any
 * earlier pending version. Versions are never dropped, so every value stays recoverable.
 */
function addVersion(
  secret: SecretRecord,
  meta: VersionMeta,
  value: string,
  label: 'current' | 'pending',
  at: string,
): void {
  if (secret.versions.some((version) => version.id === meta.id)) {
    throw new InconsistentEventError(`version ${meta.id} already exists`);
  }
  for (const version of secret.versions) {
    if (label === 'pending') {
      version.labels = version.labels.filter((l) => l !== 'pending');
    } else {
      const wasCurrent = version.labels.includes('current');
      version.labels = version.labels.filter((l) => l !== 'current' && l !== 'previous');
      if (wasCurrent) version.labels.push('previous');
    }
  }
  secret.versions.push({ ...meta, createdAt: at, labels: [label], value: new SecretValue(value) });
  secret.updatedAt = at;
}
