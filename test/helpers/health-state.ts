import { createHash } from 'node:crypto';
import {
  DEFAULT_METADATA,
  type Label,
  type SecretMetadata,
  type Strength,
} from '../../src/shared/model';
import type { BackupRecord } from '../../src/main/vault/backup-state';
import { SecretValue } from '../../src/main/vault/secret-value';
import { type SecretRecord, type VaultState, emptyState } from '../../src/main/vault/state';

/**
 * Vault states built in memory for the pure health and reminder rules: secrets with values,
 * versions of a given age, backups. The rules read state only, so no vault file is needed.
 */

export const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

export function daysAgo(days: number, now = NOW): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

export const STRONG: Strength = { bits: 256, rating: 'strong', problems: [] };
export const WEAK: Strength = { bits: 30, rating: 'weak', problems: ['too short: 8 characters'] };

export function newState(): VaultState {
  return emptyState('0'.repeat(64));
}

export interface SecretSpec {
  value?: string;
  strength?: Strength;
  /** Age of the current version in days; older versions each one day before. */
  ageDays?: number;
  versions?: number;
  metadata?: Partial<SecretMetadata>;
}

let counter = 0;

export function addSecret(state: VaultState, ref: string, spec: SecretSpec = {}): SecretRecord {
  const [deployment = '', ...rest] = ref.split('/');
  const name = rest.join('/');
  if (!state.deployments.has(deployment)) {
    state.deployments.set(deployment, {
      name: deployment,
      description: '',
      hosts: [],
      playbook: null,
      createdAt: daysAgo(1000),
    });
  }
  const age = spec.ageDays ?? 1;
  const count = spec.versions ?? 1;
  const id = `s_${++counter}`;
  const versions = Array.from({ length: count }, (_, index) => {
    const current = index === count - 1;
    return {
      id: `v_${counter}_${index}`,
      origin: 'entered' as const,
      generator: null,
      strength: spec.strength ?? STRONG,
      publicKey: null,
      createdAt: daysAgo(age + (count - 1 - index)),
      labels: (current ? ['current'] : index === count - 2 ? ['previous'] : []) as Label[],
      value: new SecretValue(
        current ? (spec.value ?? `value-${id}-${'x'.repeat(8)}`) : `old-${id}-${index}`,
      ),
    };
  });
  const secret: SecretRecord = {
    id,
    deployment,
    name,
    metadata: { ...DEFAULT_METADATA, ...spec.metadata },
    createdAt: daysAgo(age + count),
    updatedAt: daysAgo(age),
    versions,
  };
  state.secrets.set(id, secret);
  state.refs.set(ref, id);
  return secret;
}

export function addBackup(
  state: VaultState,
  deployment: string,
  ageDays: number,
  options: { secrets?: boolean; verifiedOk?: boolean } = {},
): BackupRecord {
  const backup: BackupRecord = {
    id: `b_${++counter}`,
    deployment,
    file: `/backups/${deployment}-${counter}.rekey.tar.gpg`,
    size: 1,
    sha256: '0'.repeat(64),
    contents: options.secrets === false ? [] : [{ name: 'secrets.json', size: 1 }],
    passphrase: true,
    recipients: [],
    createdAt: daysAgo(ageDays),
    verified:
      options.verifiedOk === undefined ? null : { at: daysAgo(ageDays), ok: options.verifiedOk },
  };
  state.backups.push(backup);
  return backup;
}

/** A keyed-hash stand-in, as the vault's fingerprint is: equal values, equal fingerprints. */
export function fingerprint(value: SecretValue): string {
  return createHash('sha256').update('test-key').update(value.reveal()).digest('hex').slice(0, 16);
}
