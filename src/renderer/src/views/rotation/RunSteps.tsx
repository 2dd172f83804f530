import type { RotationRun } from '../../../../shared/rotation-api';
import { StepStateIcon, stepStateLabel } from './StepStateIcon';

/** The run's steps as they stand: state, what it does, where, and what the core said. */
export function RunSteps({ run }: { run: RotationRun }) {
  return (
    // Only a live run spins its running step: an interrupted one shows where it stopped.
    <ol
      className="run-steps"
      data-live={run.status === 'running'}
      data-testid="run-steps"
      aria-live="polite"
    >
      {run.steps.map((step) => (
        <li key={step.index} data-state={step.state} data-kind={step.kind}>
          <StepStateIcon state={step.state} />
          <div className="run-step-text">
            <span className="step-title">
              <span className="faint">{step.index + 1}.</span> {step.title}
            </span>
            {step.detail ? <span className="run-step-detail">{step.detail}</span> : null}
          </div>
          {/* An empty cell keeps the state words in one column. */}
          {step.host ? <span className="badge">{step.host}</span> : <span />}
          <span className="run-step-state">{stepStateLabel(step.state)}</span>
        </li>
      ))}
    </ol>
  );
}
