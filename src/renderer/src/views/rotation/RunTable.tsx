import { useEffect, useRef } from 'react';
import type { RunSummary } from '../../../../shared/rotation-api';
import { formatTime } from '../../components/badges';
import { listKeyHandler } from '../../components/list-keys';
import { useRotations } from '../../stores/rotations';
import { RunStatusBadge } from './RunStatusBadge';

/**
 * Every rotation run, newest first. A vault holds some hundreds at most, so every row is in
 * the DOM. Arrow keys move the selection (the run pane follows), Esc closes the pane.
 */
export function RunTable({ runs, compact }: { runs: RunSummary[]; compact: boolean }) {
  const selectedRunId = useRotations((state) => state.selectedRunId);
  const select = useRotations((state) => state.select);
  const body = useRef<HTMLDivElement>(null);
  const selectedIndex = runs.findIndex((run) => run.id === selectedRunId);

  useEffect(() => {
    body.current
      ?.querySelector<HTMLElement>('[aria-selected="true"]')
      ?.scrollIntoView({ block: 'nearest' });
  }, [selectedIndex]);

  const onKeyDown = listKeyHandler({
    ids: runs.map((run) => run.id),
    current: () => useRotations.getState().selectedRunId,
    select,
  });

  return (
    <div
      className={compact ? 'table runs-table with-detail' : 'table runs-table'}
      role="grid"
      aria-rowcount={runs.length}
      data-testid="run-table"
    >
      <div className="table-head" role="row">
        <div role="columnheader">Run</div>
        <div role="columnheader">Secrets</div>
        <div role="columnheader">Status</div>
        {/* Beside the run pane there is no room; the pane shows both times itself. */}
        {compact ? null : (
          <>
            <div role="columnheader">Started</div>
            <div role="columnheader">Finished</div>
          </>
        )}
      </div>
      <div
        className="table-body"
        ref={body}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-label="Rotation runs"
        data-testid="run-rows"
      >
        {runs.map((run) => (
          <div
            key={run.id}
            className="table-row"
            role="row"
            aria-selected={run.id === selectedRunId}
            data-run={run.id}
            data-status={run.status}
            onClick={() => select(run.id)}
          >
            <div className="cell mono" title={run.id}>
              {run.id}
            </div>
            <div className="cell mono cell-name" title={run.refs.join(', ')}>
              {run.refs.join(', ')}
            </div>
            <div className="cell">
              <RunStatusBadge status={run.status} />
            </div>
            {compact ? null : (
              <>
                <div className="cell muted">{formatTime(run.startedAt)}</div>
                <div className="cell muted">
                  {run.finishedAt ? formatTime(run.finishedAt) : '–'}
                </div>
              </>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
