import type { Ref } from 'react';
import type { RotationRun } from '../../../../shared/rotation-api';
import { AwaitingConfirm } from './AwaitingConfirm';
import { Elapsed } from './Elapsed';
import { RunLog } from './RunLog';
import { RunStatusBadge } from './RunStatusBadge';
import { RunSteps } from './RunSteps';

/** A run as it goes: its status and time, the question it waits on, each step, the log. */
export function RunProgress(props: {
  run: RotationRun;
  onAnswered(): void;
  confirmRef?: Ref<HTMLButtonElement>;
}) {
  const { run } = props;
  return (
    <div className="stack" data-testid="run-progress">
      <div className="row">
        <RunStatusBadge status={run.status} />
        {run.direction === 'rollback' && run.finishedAt === null ? (
          <span className="badge warn">rolling back</span>
        ) : null}
        <span className="mono faint">{run.id}</span>
        <span className="spacer" />
        <Elapsed
          startedAt={run.startedAt}
          finishedAt={run.finishedAt}
          running={run.status === 'running'}
        />
      </div>
      {run.awaiting ? (
        <AwaitingConfirm
          run={run}
          awaiting={run.awaiting}
          onAnswered={props.onAnswered}
          confirmRef={props.confirmRef}
        />
      ) : null}
      <RunSteps run={run} />
      <RunLog run={run} />
    </div>
  );
}
