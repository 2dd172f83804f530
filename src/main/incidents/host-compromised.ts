import { isRekeyError } from '../../shared/errors';
import { guardedByPlaybook, planRotation } from '../rotation/planner';
import { type SecretRecord, type VaultState, refOf } from '../vault/state';

/**
 * Everything a compromised host held: each secret with a target on the host, or that a
 * rotation ever wrote there (a value may still sit in a file no target names any more), most
 * damaging first, and a rotation plan per deployment for all of them.
 */

export interface HeldSecret {
  secret: SecretRecord;
  reason: string;
  guarded: boolean;
}

const DIFFICULTY_RANK: Record<string, number> = { high: 0, medium: 1, low: 2 };

export function secretsHeldBy(state: Readonly<VaultState>, host: string): HeldSecret[] {
  const reasons = new Map<string, string>();
  for (const secret of state.secrets.values()) {
    const target = secret.metadata.targets.find((candidate) => candidate.host === host);
    if (target) reasons.set(secret.id, `a target on ${host}: ${target.path}`);
  }
  for (const run of state.rotations.values()) {
    for (const { action } of run.steps) {
      if (action.kind !== 'write' || action.target.host !== host) continue;
      if (!reasons.has(action.secretId)) {
        reasons.set(
          action.secretId,
          `written to ${action.target.path} on ${host} by run ${run.id}`,
        );
      }
    }
  }
  const held = [...reasons].flatMap(([id, reason]) => {
    const secret = state.secrets.get(id);
    return secret ? [{ secret, reason, guarded: guardedByPlaybook(state, secret) }] : [];
  });
  // Guarded secrets first (the costliest to lose), then by rotation difficulty, then by ref.
  return held.sort(
    (a, b) =>
      Number(b.guarded) - Number(a.guarded) ||
      (DIFFICULTY_RANK[a.secret.metadata.difficulty] ?? 3) -
        (DIFFICULTY_RANK[b.secret.metadata.difficulty] ?? 3) ||
      refOf(a.secret).localeCompare(refOf(b.secret)),
  );
}

export interface DeploymentPlan {
  deployment: string;
  refs: string[];
  problems: string[];
}

/** One run per deployment; guarded secrets are left to their own safe path, and said so. */
export function plansFor(
  state: Readonly<VaultState>,
  held: readonly HeldSecret[],
): DeploymentPlan[] {
  const byDeployment = new Map<string, HeldSecret[]>();
  for (const item of held) {
    const list = byDeployment.get(item.secret.deployment) ?? [];
    list.push(item);
    byDeployment.set(item.secret.deployment, list);
  }
  return [...byDeployment].map(([deployment, items]) => {
    const problems = items
      .filter((item) => item.guarded)
      .map(
        (item) =>
          `${refOf(item.secret)} is guarded: follow its leak response instead of a routine rotation`,
      );
    const refs = items.filter((item) => !item.guarded).map((item) => refOf(item.secret));
    if (refs.length > 0) {
      try {
        planRotation(state, refs);
      } catch (error) {
        problems.push(isRekeyError(error) ? error.message : String(error));
      }
    }
    return { deployment, refs, problems };
  });
}
