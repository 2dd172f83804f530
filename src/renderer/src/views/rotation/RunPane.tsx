import { formatTime } from '../../components/badges';
import { FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { useRotations } from '../../stores/rotations';
import { AwaitingConfirm } from './AwaitingConfirm';
import { Elapsed } from './Elapsed';
import { RunActions } from './RunActions';
import { RunLog } from './RunLog';
import { RunResult } from './RunResult';
import { RunStatusBadge } from './RunStatusBadge';
import { RunSteps } from './RunSteps';
import { useRun } from './use-run';

/** One run beside the table, followed live: how it stands or ended, its steps and its log. */
export function RunPane({ runId }: { runId: string }) {
  const select = useRotations((state) => state.select);
  const load = useRotations((state) => state.load);
  const { run, error, refresh } = useRun(runId);
  const changed = () => {
    void refresh();
    void load();
  };

  return (
    <aside className="detail run-pane" data-testid="run-pane" aria-label={`Rotation run ${runId}`}>
      <div className="detail-header">
        <div className="detail-title">
          <h2 className="spacer mono" data-testid="run-pane-id">
            {runId}
          </h2>
          <button
            className="button ghost small"
            onClick={() => select(null)}
            aria-label="Close run"
          >
            <Icon name="close" />
          </button>
        </div>
        {run ? (
          <>
            <div className="row wrap">
              <RunStatusBadge status={run.status} />
              {run.direction === 'rollback' && run.finishedAt === null ? (
                <span className="badge warn">rolling back</span>
              ) : null}
              <span className="badge">{run.procedure}</span>
              <span className="spacer" />
              <Elapsed
                startedAt={run.startedAt}
                finishedAt={run.finishedAt}
                running={run.status === 'running'}
              />
            </div>
            <span className="mono muted">{run.refs.join(', ')}</span>
            <span className="faint">
              Started {formatTime(run.startedAt)}
              {run.finishedAt ? `, finished ${formatTime(run.finishedAt)}` : ''}
            </span>
          </>
        ) : null}
      </div>
      <FormError message={error} />
      {run ? (
        <>
          {run.status !== 'running' ? (
            <div className="detail-section">
              <RunResult run={run} />
              <RunActions run={run} onTakenUp={changed} />
            </div>
          ) : null}
          {run.awaiting ? (
            <div className="detail-section">
              <AwaitingConfirm run={run} awaiting={run.awaiting} onAnswered={changed} />
            </div>
          ) : null}
          <div className="detail-section">
            <h3>Steps</h3>
            <RunSteps run={run} />
          </div>
          <div className="detail-section">
            <RunLog run={run} open />
          </div>
        </>
      ) : (
        <div className="detail-section" aria-busy="true" />
      )}
    </aside>
  );
}
