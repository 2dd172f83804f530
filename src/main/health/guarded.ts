import { findPlaybook } from '../rotation/planner';
import type { SecretRecord, VaultState } from '../vault/state';

/**
 * Secrets whose loss costs most and that must stay stable: guarded by their deployment's
 * playbook (SyncTV's OPAQUE setup secret, Synapse's signing key...), or set by the user not
 * to rotate routinely. Such a secret cannot be replaced if lost: only a backup brings it back.
 */
export function isGuarded(state: Readonly<VaultState>, secret: SecretRecord): boolean {
  if (secret.metadata.policy.kind === 'manual') return true;
  const binding = state.deployments.get(secret.deployment)?.playbook;
  if (!binding) return false;
  try {
    const playbook = findPlaybook(state, binding.id);
    return playbook.secrets.find((entry) => entry.name === secret.name)?.guarded ?? false;
  } catch {
    // A playbook that no longer loads guards nothing; the rotation wizard reports it.
    return false;
  }
}
