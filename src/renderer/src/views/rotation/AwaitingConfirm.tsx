import type { Ref } from 'react';
import type { RotationRun } from '../../../../shared/rotation-api';
import { call } from '../../api/client';
import { FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { useSubmit } from '../../components/use-submit';

/**
 * A confirm step holds the run until the user answers: Confirm goes on, Decline fails the step
 * and the run rolls back. The answer is for exactly this step (the core checks the index).
 */
export function AwaitingConfirm(props: {
  run: RotationRun;
  awaiting: NonNullable<RotationRun['awaiting']>;
  onAnswered(): void;
  confirmRef?: Ref<HTMLButtonElement>;
}) {
  const { run, awaiting } = props;
  const answer = (confirmed: boolean) => async () => {
    await call('rotations.confirm', { runId: run.id, index: awaiting.index, confirmed });
    props.onAnswered();
  };
  const confirm = useSubmit(answer(true));
  const decline = useSubmit(answer(false));
  return (
    <div className="awaiting" role="alert" data-testid="run-awaiting">
      <strong>
        <Icon name="alert" /> Step {awaiting.index + 1} waits for you
      </strong>
      <p data-testid="awaiting-text">{awaiting.text}</p>
      <div className="row">
        <span className="spacer" />
        <button
          className="button danger"
          aria-busy={decline.busy}
          onClick={() => void decline.submit()}
          data-testid="decline-step"
        >
          Decline and roll back
        </button>
        <button
          ref={props.confirmRef}
          className="button primary"
          aria-busy={confirm.busy}
          onClick={() => void confirm.submit()}
          data-testid="confirm-step"
        >
          <Icon name="check" /> Confirm
        </button>
      </div>
      <FormError message={confirm.error ?? decline.error} />
    </div>
  );
}
