import type { DeploymentRecord, SecretRecord, VaultState, VersionRecord } from './state';
import { refOf } from './state';
import { SecretValue } from './secret-value';

/**
 * A snapshot is the whole state at one point of the history, written by compaction so that
 * opening a vault parses one record instead of replaying every event since its creation.
 */
const SNAPSHOT_FORMAT = 1;

type StoredVersion = Omit<VersionRecord, 'value'> & { value: string };
type StoredSecret = Omit<SecretRecord, 'versions'> & { versions: StoredVersion[] };

interface StoredSnapshot {
  format: number;
  eventCount: number;
  headHash: string;
  deployments: DeploymentRecord[];
  secrets: StoredSecret[];
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
  };
  return Buffer.from(JSON.stringify(stored), 'utf8');
}

export function decodeSnapshot(bytes: Buffer): VaultState {
  const stored = JSON.parse(bytes.toString('utf8')) as StoredSnapshot;
  if (stored.format !== SNAPSHOT_FORMAT) {
    throw new Error(`unknown snapshot format ${String(stored.format)}`);
  }
  const state: VaultState = {
    deployments: new Map(stored.deployments.map((d) => [d.name, d])),
    secrets: new Map(),
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
