import type { RotationRun } from '../../../../shared/rotation-api';
import { call } from '../../api/client';
import { FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { useSubmit } from '../../components/use-submit';

/**
 * What can be done with a run that stopped short: an interrupted one goes on or turns back
 * from its records; one that needs attention can only try its rollback again.
 */
export function RunActions({ run, onTakenUp }: { run: RotationRun; onTakenUp(): void }) {
  const takeUp = (mode: 'resume' | 'rollback') => async () => {
    await call('rotations.resume', { runId: run.id, mode, wait: false });
    onTakenUp();
  };
  const resume = useSubmit(takeUp('resume'));
  const rollback = useSubmit(takeUp('rollback'));
  // A run that had turned back can only be rolled back further (the core refuses resume).
  const canResume = run.status === 'interrupted' && run.direction === 'forward';

  if (run.status !== 'interrupted' && run.status !== 'needs-attention') return null;
  return (
    <div className="stack compact" data-testid="run-actions">
      <p className="muted">
        {run.status === 'interrupted'
          ? 'Resume goes on from the last step recorded as done; Roll back undoes every step that ran and puts the old values back.'
          : 'Rolling back left work undone. Fix what the instructions say, then retry the rollback.'}
      </p>
      <div className="row">
        {canResume ? (
          <button
            className="button"
            aria-busy={resume.busy}
            onClick={() => void resume.submit()}
            data-testid="resume-run"
          >
            <Icon name="play" /> Resume
          </button>
        ) : null}
        <button
          className="button primary"
          aria-busy={rollback.busy}
          onClick={() => void rollback.submit()}
          data-testid={run.status === 'interrupted' ? 'rollback-run' : 'retry-rollback'}
        >
          <Icon name="undo" /> {run.status === 'interrupted' ? 'Roll back' : 'Retry rollback'}
        </button>
      </div>
      <FormError message={resume.error ?? rollback.error} />
    </div>
  );
}
