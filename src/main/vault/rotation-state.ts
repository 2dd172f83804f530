import type { EventOf } from './events';
import type { PlannedStep, RunOutcome, StepState, rotationStartedSchema } from './rotation-records';
import type { z } from 'zod';

/** A rotation run as replaying its events yields it. */
export interface RotationRecord {
  id: string;
  deployment: string;
  secretIds: string[];
  procedure: string;
  steps: PlannedStep[];
  confirmed: string[];
  owner: z.infer<typeof rotationStartedSchema>['owner'];
  /** `rollback` once the run has turned back (after a failure, or asked to). */
  direction: 'forward' | 'rollback';
  /** The last state each step reached, null for steps not started. */
  stepStates: (RecordedStep | null)[];
  /** Every step event in order: the run's log. */
  log: RecordedStep[];
  outcome: RunOutcome | null;
  detail: string;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface RecordedStep {
  index: number;
  state: StepState;
  detail: string;
  /** The backup a write kept, once known; carried over to later states of the step. */
  backupPath: string | null | undefined;
  at: string;
}

export class RotationEventError extends Error {}

type RotationEvent =
  | EventOf<'rotation.started'>
  | EventOf<'rotation.step'>
  | EventOf<'rotation.resumed'>
  | EventOf<'rotation.finished'>;

export function applyRotationEvent(
  rotations: Map<string, RotationRecord>,
  event: RotationEvent & { at: string },
): void {
  if (event.kind === 'rotation.started') {
    const { runId, ...data } = event.data;
    if (rotations.has(runId)) throw new RotationEventError(`run ${runId} already exists`);
    rotations.set(runId, {
      id: runId,
      ...data,
      direction: 'forward',
      stepStates: data.steps.map(() => null),
      log: [],
      outcome: null,
      detail: '',
      startedAt: event.at,
      updatedAt: event.at,
      finishedAt: null,
    });
    return;
  }
  const run = rotations.get(event.data.runId);
  if (!run) throw new RotationEventError(`event refers to unknown run ${event.data.runId}`);
  if (run.outcome !== null && event.kind !== 'rotation.resumed') {
    throw new RotationEventError(`run ${run.id} has already finished`);
  }
  run.updatedAt = event.at;
  switch (event.kind) {
    case 'rotation.step': {
      const { index, state, detail, backupPath } = event.data;
      if (index >= run.steps.length) {
        throw new RotationEventError(`run ${run.id} has no step ${index}`);
      }
      const before = run.stepStates[index];
      const recorded: RecordedStep = {
        index,
        state,
        detail,
        backupPath: backupPath !== undefined ? backupPath : before?.backupPath,
        at: event.at,
      };
      run.stepStates[index] = recorded;
      run.log.push(recorded);
      if (state === 'undoing' || state === 'undone' || state === 'undo-failed') {
        run.direction = 'rollback';
      }
      return;
    }
    case 'rotation.resumed':
      // A needs-attention run may be tried again; rotated and rolled-back runs are final.
      if (run.outcome === 'rotated' || run.outcome === 'rolled-back') {
        throw new RotationEventError(`run ${run.id} has already finished`);
      }
      run.owner = event.data.owner;
      run.outcome = null;
      run.finishedAt = null;
      if (event.data.mode === 'rollback') run.direction = 'rollback';
      return;
    case 'rotation.finished':
      run.outcome = event.data.outcome;
      run.detail = event.data.detail;
      run.finishedAt = event.at;
      return;
  }
}
