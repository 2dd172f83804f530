import { guardedByPlaybook } from '../rotation/planner';
import type { SecretRecord, VaultState } from '../vault/state';

/**
 * Secrets whose loss costs most and that must stay stable: guarded by their deployment's
 * playbook (SyncTV's OPAQUE setup secret, Synapse's signing key...), or set by the user not
 * to rotate routinely. Such a secret cannot be replaced if lost: only a backup brings it back.
 */
export function isGuarded(state: Readonly<VaultState>, secret: SecretRecord): boolean {
  return secret.metadata.policy.kind === 'manual' || guardedByPlaybook(state, secret);
}
