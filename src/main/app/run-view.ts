import type { RotationPlan, RotationRun, RunSummary } from '../../shared/rotation-api';
import type { PlannedAction } from '../vault/rotation-records';
import type { RotationRecord } from '../vault/rotation-state';
import { type VaultState, refOf } from '../vault/state';
import { isInterrupted } from '../rotation/engine';
import type { RunPlan } from '../rotation/planner';

/** Plans and runs as the contract shows them: titles, hosts and states, never a value. */

export function hostOfAction(action: PlannedAction): string | null {
  switch (action.kind) {
    case 'write':
      return action.target.host;
    case 'verify':
    case 'watch':
      return action.check.type === 'fingerprint'
        ? (action.check.targets[0]?.host ?? null)
        : action.check.type === 'old-rejected'
          ? action.check.probe.host
          : action.check.host;
    case 'generate':
    case 'confirm':
      return null;
    default:
      return action.host;
  }
}

export function planView(plan: RunPlan): RotationPlan {
  return {
    deployment: plan.deployment,
    refs: plan.secrets.map(refOf),
    procedure: plan.procedure,
    steps: plan.steps.map((step) => ({
      title: step.title,
      kind: step.action.kind,
      host: hostOfAction(step.action),
    })),
    checklist: plan.checklist,
    guarded: plan.guarded,
    impact: plan.secrets.map((secret) => ({
      ref: refOf(secret),
      impact: secret.metadata.impact,
      difficulty: secret.metadata.difficulty,
    })),
    warnings: plan.warnings,
  };
}

function refsOf(state: Readonly<VaultState>, run: RotationRecord): string[] {
  return run.secretIds.map((id) => {
    const secret = state.secrets.get(id);
    return secret ? refOf(secret) : id;
  });
}

export function runStatus(run: RotationRecord): RotationRun['status'] {
  return run.outcome ?? (isInterrupted(run) ? 'interrupted' : 'running');
}

export function runView(
  state: Readonly<VaultState>,
  run: RotationRecord,
  awaiting: RotationRun['awaiting'],
): RotationRun {
  return {
    id: run.id,
    deployment: run.deployment,
    refs: refsOf(state, run),
    procedure: run.procedure,
    status: runStatus(run),
    direction: run.direction,
    confirmed: run.confirmed,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    detail: run.detail,
    steps: run.steps.map((step, index) => {
      const recorded = run.stepStates[index];
      return {
        index,
        title: step.title,
        kind: step.action.kind,
        host: hostOfAction(step.action),
        state: recorded?.state ?? 'waiting',
        detail: recorded?.detail ?? '',
        at: recorded?.at ?? null,
      };
    }),
    log: run.log.map(({ index, state: stepState, detail, at }) => ({
      index,
      state: stepState,
      detail,
      at,
    })),
    awaiting,
  };
}

export function runSummary(state: Readonly<VaultState>, run: RotationRecord): RunSummary {
  return {
    id: run.id,
    deployment: run.deployment,
    refs: refsOf(state, run),
    status: runStatus(run),
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}
