import {
  DEFAULT_METADATA,
  type SecretMetadata,
  type Strength,
  type Target,
} from '../../shared/model';
import { addVersion, createSecret, ensureDeployment, updateMetadata } from '../vault/changes';
import { type VaultState, currentVersion, refOf } from '../vault/state';
import type { Vault } from '../vault/vault';

/**
 * What every discovery (config files on a host, Secrets in a cluster) shares: how a found
 * value relates to the inventory, and how picked findings join it. One name is one secret:
 * the same value found in a second place becomes a second target; a different value under a
 * name the vault already has is skipped, never merged.
 */

/** Fingerprint of each current value in the vault -> the secrets that hold it. */
export function inventoryByValue(vault: Vault): Map<string, string[]> {
  const byValue = new Map<string, string[]>();
  for (const secret of vault.state.secrets.values()) {
    const current = currentVersion(secret);
    if (!current) continue;
    const fingerprint = vault.fingerprint(current.value);
    byValue.set(fingerprint, [...(byValue.get(fingerprint) ?? []), refOf(secret)]);
  }
  return byValue;
}

function samePlace(a: Target, b: Pick<Target, 'host' | 'path' | 'key'>): boolean {
  return a.host === b.host && a.path === b.path && a.key === b.key;
}

/** The secret that already names this place as a target, if one does. */
export function trackingSecret(
  state: Readonly<VaultState>,
  place: Pick<Target, 'host' | 'path' | 'key'>,
): string | null {
  for (const secret of state.secrets.values()) {
    if (secret.metadata.targets.some((target) => samePlace(target, place))) return refOf(secret);
  }
  return null;
}

/** One picked finding, read again from its place, ready to join the inventory. */
export interface AdoptCandidate {
  ref: string;
  value: string;
  target: Target;
  strength: Strength;
  /** Metadata a new secret starts with (the service's, what restarts it). */
  metadata: Partial<SecretMetadata>;
}

export interface AdoptResult {
  added: string[];
  targetAdded: string[];
  skipped: { name: string; reason: string }[];
}

export function adoptCandidates(
  vault: Vault,
  deployment: string,
  candidates: readonly AdoptCandidate[],
  skipped: AdoptResult['skipped'] = [],
): Promise<AdoptResult> {
  return vault.transact((transaction) => {
    const result: AdoptResult = { added: [], targetAdded: [], skipped: [...skipped] };
    ensureDeployment(transaction, deployment);
    for (const { ref, value, target, strength, metadata } of candidates) {
      transaction.introduce(value);
      const id = transaction.state.refs.get(ref);
      const existing = id === undefined ? undefined : transaction.state.secrets.get(id);
      if (existing) {
        // The same secret in a second place (LiveKit's secret in livekit.yaml and the .env):
        // one more target. A different value under the same name is never merged silently.
        if (currentVersion(existing)?.value.reveal() !== value) {
          result.skipped.push({
            name: ref,
            reason: 'a secret of this name exists with a different value',
          });
          continue;
        }
        const targets = existing.metadata.targets;
        if (!targets.some((t) => samePlace(t, target))) {
          updateMetadata(transaction, existing, { targets: [...targets, target] });
          result.targetAdded.push(ref);
        }
        continue;
      }
      const secret = createSecret(transaction, ref, {
        ...DEFAULT_METADATA,
        ...metadata,
        targets: [target],
      });
      addVersion(
        transaction,
        secret,
        { value, origin: 'imported', generator: null, strength, publicKey: null },
        (v) => vault.fingerprint(v),
      );
      result.added.push(ref);
    }
    return result;
  });
}
