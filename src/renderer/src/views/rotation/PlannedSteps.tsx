import type { RotationPlan } from '../../../../shared/rotation-api';

/** One line per planned step: its number, what it does, and the host it acts on. */
export function PlannedSteps({ steps }: { steps: RotationPlan['steps'] }) {
  return (
    <ol className="planned-steps" data-testid="plan-steps">
      {steps.map((step, index) => (
        <li key={index} data-kind={step.kind}>
          <span className="step-number">{index + 1}</span>
          <span className="step-title">{step.title}</span>
          {step.host ? <span className="badge">{step.host}</span> : null}
        </li>
      ))}
    </ol>
  );
}
