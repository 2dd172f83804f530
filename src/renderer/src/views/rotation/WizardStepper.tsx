import { Icon } from '../../components/icons';

export const WIZARD_STEPS = ['plan', 'preview', 'run', 'result'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

const LABELS: Record<WizardStep, string> = {
  plan: 'Plan',
  preview: 'Preview',
  run: 'Run',
  result: 'Result',
};

/** Where the wizard stands: steps behind are ticked, the current one is marked for screen readers. */
export function WizardStepper({ step }: { step: WizardStep }) {
  const at = WIZARD_STEPS.indexOf(step);
  return (
    <ol className="stepper" aria-label="Rotation steps" data-testid="wizard-stepper">
      {WIZARD_STEPS.map((name, index) => (
        <li
          key={name}
          data-state={index < at ? 'done' : index === at ? 'current' : 'next'}
          aria-current={index === at ? 'step' : undefined}
        >
          <span className="stepper-mark">
            {index < at ? <Icon name="check" size={14} /> : index + 1}
          </span>
          {LABELS[name]}
        </li>
      ))}
    </ol>
  );
}
