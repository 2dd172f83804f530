import type { BackupRecord, PgpKeyRecord } from './backup-state';
import type { StoredKubeconfig } from './cluster-events';
import { type ClusterRecord, kubeconfigRecord, storedKubeconfig } from './cluster-state';
import type { IncidentRecord } from './incident-state';
import type { RotationRecord } from './rotation-state';
import type {
  DeploymentRecord,
  PlaybookRecord,
  HostAuthRecord,
  HostRecord,
  SecretRecord,
  VaultState,
  VersionRecord,
} from './state';
import { refOf } from './state';
import { SecretValue } from './secret-value';

/**
 * A snapshot is the whole state at one point of the history, written by compaction so that
 * opening a vault parses one record instead of replaying every event since its creation.
 */
const SNAPSHOT_FORMAT = 1;

type StoredVersion = Omit<VersionRecord, 'value'> & { value: string };
type StoredSecret = Omit<SecretRecord, 'versions'> & { versions: StoredVersion[] };
type StoredAuth =
  | { kind: 'agent' }
  | { kind: 'key'; privateKey: string; passphrase: string | null; publicKey: string };
type StoredHost = Omit<HostRecord, 'auth'> & { auth: StoredAuth };

interface StoredSnapshot {
  format: number;
  eventCount: number;
  headHash: string;
  /** `hosts` is absent in snapshots written before hosts existed. */
  deployments: (Omit<DeploymentRecord, 'hosts' | 'playbook'> &
    Partial<Pick<DeploymentRecord, 'hosts' | 'playbook'>>)[];
  secrets: StoredSecret[];
  /** Absent in snapshots written before hosts existed. */
  hosts?: StoredHost[];
  /** Absent in snapshots written before rotations existed. */
  playbooks?: PlaybookRecord[];
  rotations?: RotationRecord[];
  /** Absent in snapshots written before backups existed. */
  backups?: BackupRecord[];
  pgpKeys?: (Omit<PgpKeyRecord, 'privateKey'> & { privateKey: string | null })[];
  /** Absent in snapshots written before incidents existed. */
  incidents?: IncidentRecord[];
  /** Absent in snapshots written before clusters existed. */
  clusters?: (Omit<ClusterRecord, 'kubeconfig'> & { kubeconfig: StoredKubeconfig })[];
}

function storeAuth(auth: HostAuthRecord): StoredAuth {
  if (auth.kind === 'agent') return auth;
  return {
    ...auth,
    privateKey: auth.privateKey.reveal(),
    passphrase: auth.passphrase?.reveal() ?? null,
  };
}

function loadAuth(auth: StoredAuth): HostAuthRecord {
  if (auth.kind === 'agent') return auth;
  return {
    ...auth,
    privateKey: new SecretValue(auth.privateKey),
    passphrase: auth.passphrase === null ? null : new SecretValue(auth.passphrase),
  };
}

export function encodeSnapshot(state: VaultState): Buffer {
  const stored: StoredSnapshot = {
    format: SNAPSHOT_FORMAT,
    eventCount: state.eventCount,
    headHash: state.headHash,
    deployments: [...state.deployments.values()],
    secrets: [...state.secrets.values()].map((secret) => ({
      ...secret,
      versions: secret.versions.map((version) => ({ ...version, value: version.value.reveal() })),
    })),
    hosts: [...state.hosts.values()].map((host) => ({ ...host, auth: storeAuth(host.auth) })),
    playbooks: [...state.playbooks.values()],
    rotations: [...state.rotations.values()],
    backups: state.backups,
    pgpKeys: [...state.pgpKeys.values()].map((key) => ({
      ...key,
      privateKey: key.privateKey?.reveal() ?? null,
    })),
    incidents: [...state.incidents.values()],
    clusters: [...state.clusters.values()].map((cluster) => ({
      ...cluster,
      kubeconfig: storedKubeconfig(cluster.kubeconfig),
    })),
  };
  return Buffer.from(JSON.stringify(stored), 'utf8');
}

export function decodeSnapshot(bytes: Buffer): VaultState {
  const stored = JSON.parse(bytes.toString('utf8')) as StoredSnapshot;
  if (stored.format !== SNAPSHOT_FORMAT) {
    throw new Error(`unknown snapshot format ${String(stored.format)}`);
  }
  const state: VaultState = {
    // Field by field, in the order replaying creates them: `history verify` compares encodings.
    deployments: new Map(
      stored.deployments.map((d) => [
        d.name,
        {
          name: d.name,
          description: d.description,
          hosts: d.hosts ?? [],
          playbook: d.playbook ?? null,
          createdAt: d.createdAt,
        },
      ]),
    ),
    secrets: new Map(),
    hosts: new Map(
      (stored.hosts ?? []).map((host) => [host.name, { ...host, auth: loadAuth(host.auth) }]),
    ),
    playbooks: new Map((stored.playbooks ?? []).map((playbook) => [playbook.id, playbook])),
    rotations: new Map((stored.rotations ?? []).map((run) => [run.id, run])),
    backups: stored.backups ?? [],
    pgpKeys: new Map(
      (stored.pgpKeys ?? []).map((key) => [
        key.fingerprint,
        { ...key, privateKey: key.privateKey === null ? null : new SecretValue(key.privateKey) },
      ]),
    ),
    incidents: new Map((stored.incidents ?? []).map((incident) => [incident.id, incident])),
    clusters: new Map(
      (stored.clusters ?? []).map((cluster) => [
        cluster.name,
        { ...cluster, kubeconfig: kubeconfigRecord(cluster.kubeconfig) },
      ]),
    ),
    refs: new Map(),
    eventCount: stored.eventCount,
    headHash: stored.headHash,
  };
  for (const secret of stored.secrets) {
    const versions = secret.versions.map((v) => ({ ...v, value: new SecretValue(v.value) }));
    state.secrets.set(secret.id, { ...secret, versions });
    state.refs.set(refOf(secret), secret.id);
  }
  return state;
}
