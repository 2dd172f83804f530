import { Icon } from '../../components/icons';
import { interruptedRuns, useRotations } from '../../stores/rotations';
import { useSession } from '../../stores/session';

/**
 * Shown above every view while a run is interrupted (its process died: a crash, a closed
 * window): the secrets it touched may hold the new value on some hosts and the old on others
 * until the user resumes or rolls it back.
 */
export function InterruptedBanner() {
  const runs = useRotations((state) => state.runs);
  const select = useRotations((state) => state.select);
  const navigate = useSession((state) => state.navigate);
  const interrupted = interruptedRuns(runs);
  const first = interrupted[0];
  if (!first) return null;
  const refs = [...new Set(interrupted.flatMap((run) => run.refs))];
  return (
    <div className="app-banner" role="alert" data-testid="interrupted-banner">
      <Icon name="alert" />
      <span className="spacer">
        {interrupted.length === 1
          ? 'A rotation was interrupted before it finished'
          : `${interrupted.length} rotations were interrupted before they finished`}{' '}
        (<span className="mono">{refs.join(', ')}</span>): resume or roll back, so every host holds
        one value again.
      </span>
      <button
        className="button small"
        onClick={() => {
          select(first.id);
          navigate('rotations');
        }}
        data-testid="open-interrupted"
      >
        Open {interrupted.length === 1 ? 'the run' : 'the runs'}
      </button>
    </div>
  );
}
