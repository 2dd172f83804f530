import { useEffect } from 'react';
import { Icon } from '../components/icons';
import { Shell } from '../components/Shell';
import { useRotations } from '../stores/rotations';
import { useSession } from '../stores/session';
import { RunPane } from './rotation/RunPane';
import { RunTable } from './rotation/RunTable';

/** Every rotation run with its outcome; the selected one beside it, live, with what it needs. */
export function Rotations() {
  const runs = useRotations((state) => state.runs);
  const loaded = useRotations((state) => state.loaded);
  const error = useRotations((state) => state.error);
  const load = useRotations((state) => state.load);
  const selectedRunId = useRotations((state) => state.selectedRunId);
  const revision = useSession((state) => state.revision);

  useEffect(() => {
    void load();
  }, [load, revision]);

  return (
    <Shell flush>
      <div className="inventory" data-testid="screen-rotations">
        <div className="inventory-main">
          {error ? <div className="form-error">{error}</div> : null}
          {loaded && runs.length === 0 ? (
            <NoRuns />
          ) : (
            <RunTable runs={runs} compact={selectedRunId !== null} />
          )}
          <div className="table-footer" data-testid="runs-footer">
            {runs.length} {runs.length === 1 ? 'run' : 'runs'}
            {runs.length ? ' · ↑↓ to move, Esc to close' : ''}
          </div>
        </div>
        {selectedRunId ? <RunPane key={selectedRunId} runId={selectedRunId} /> : null}
      </div>
    </Shell>
  );
}

function NoRuns() {
  const navigate = useSession((state) => state.navigate);
  return (
    <div className="empty runs-empty" data-testid="runs-empty">
      <Icon name="rotate" size={28} />
      <strong>No rotations yet</strong>
      <p className="muted">
        Open a secret in the inventory and choose Rotate… to plan, preview and run its rotation.
      </p>
      <button className="button" onClick={() => navigate('inventory')}>
        Open the inventory
      </button>
    </div>
  );
}
