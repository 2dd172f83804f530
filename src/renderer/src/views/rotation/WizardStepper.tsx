import { Stepper } from '../../components/Stepper';

export const WIZARD_STEPS = ['plan', 'preview', 'run', 'result'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

const LABELS: Record<WizardStep, string> = {
  plan: 'Plan',
  preview: 'Preview',
  run: 'Run',
  result: 'Result',
};

export function WizardStepper({ step }: { step: WizardStep }) {
  return (
    <Stepper
      steps={WIZARD_STEPS}
      labels={LABELS}
      current={step}
      label="Rotation steps"
      testId="wizard-stepper"
    />
  );
}
