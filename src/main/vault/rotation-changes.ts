import { RekeyError } from '../../shared/errors';
import type { z } from 'zod';
import type { PlannedStep, RunOutcome, StepState, runOwnerSchema } from './rotation-records';
import type { RotationRecord } from './rotation-state';
import { type SecretRecord, type VersionRecord, refOf } from './state';
import type { Transaction } from './transaction';

/**
 * A rotation run's transitions as events. Each is its own fsynced record, written before the
 * remote change it announces (a step `running`) and after it (`done`, with the backup path),
 * so a run cut short by a crash can be resumed or rolled back from what the vault says.
 */

export type RunOwner = z.infer<typeof runOwnerSchema>;

export interface NewRun {
  runId: string;
  deployment: string;
  secrets: SecretRecord[];
  procedure: string;
  steps: PlannedStep[];
  confirmed: string[];
  owner: RunOwner;
}

export function findRun(transaction: Transaction | { state: Transaction['state'] }, runId: string) {
  const run = transaction.state.rotations.get(runId);
  if (!run) throw new RekeyError('NOT_FOUND', `No rotation run ${runId}`);
  return run;
}

export function startRun(transaction: Transaction, run: NewRun): RotationRecord {
  const refs = run.secrets.map(refOf);
  transaction.record(
    {
      kind: 'rotation.started',
      data: {
        runId: run.runId,
        deployment: run.deployment,
        secretIds: run.secrets.map((secret) => secret.id),
        procedure: run.procedure,
        steps: run.steps,
        confirmed: run.confirmed,
        owner: run.owner,
      },
    },
    {
      ref: refs.length === 1 ? (refs[0] ?? null) : null,
      summary: `Rotation ${run.runId} started for ${refs.join(', ')} (${run.procedure}, ${run.steps.length} steps${
        run.confirmed.length > 0 ? `; confirmed: ${run.confirmed.join(', ')}` : ''
      })`,
    },
  );
  return findRun(transaction, run.runId);
}

export function recordStep(
  transaction: Transaction,
  run: RotationRecord,
  index: number,
  state: StepState,
  detail: string,
  backupPath?: string | null,
): void {
  const title = run.steps[index]?.title ?? `step ${index + 1}`;
  transaction.record(
    {
      kind: 'rotation.step',
      data: {
        runId: run.id,
        index,
        state,
        detail,
        ...(backupPath !== undefined ? { backupPath } : {}),
      },
    },
    {
      summary: `Rotation ${run.id} step ${index + 1} ${state}: ${title}${detail ? ` – ${detail}` : ''}`,
    },
  );
}

export function resumeRun(
  transaction: Transaction,
  run: RotationRecord,
  owner: RunOwner,
  mode: 'resume' | 'rollback',
): void {
  transaction.record(
    { kind: 'rotation.resumed', data: { runId: run.id, owner, mode } },
    {
      summary: `Rotation ${run.id} taken up again: ${mode === 'resume' ? 'resuming' : 'rolling back'}`,
    },
  );
}

export function finishRun(
  transaction: Transaction,
  run: RotationRecord,
  outcome: RunOutcome,
  detail: string,
): void {
  transaction.record(
    { kind: 'rotation.finished', data: { runId: run.id, outcome, detail } },
    { summary: `Rotation ${run.id} ${outcome}${detail ? `: ${detail}` : ''}` },
  );
}

/** The run's pending value becomes current; the replaced one stays as previous. */
export function promotePending(
  transaction: Transaction,
  secret: SecretRecord,
  version: VersionRecord,
): void {
  const ref = refOf(secret);
  transaction.record(
    { kind: 'version.promoted', data: { secretId: secret.id, versionId: version.id } },
    { ref, summary: `${ref}: the rotated value is now current (the replaced one is previous)` },
  );
}

/** After a rollback the new value is no longer pending; it stays in the vault's history. */
export function dropPending(
  transaction: Transaction,
  secret: SecretRecord,
  version: VersionRecord,
): void {
  const ref = refOf(secret);
  transaction.record(
    { kind: 'version.pending-dropped', data: { secretId: secret.id, versionId: version.id } },
    { ref, summary: `${ref}: the value a rolled-back rotation tried is no longer pending` },
  );
}
