import { Stepper } from '../../components/Stepper';

export const BACKUP_STEPS = ['contents', 'encryption', 'destination', 'run', 'result'] as const;
export type BackupStep = (typeof BACKUP_STEPS)[number];

const LABELS: Record<BackupStep, string> = {
  contents: 'Contents',
  encryption: 'Encryption',
  destination: 'Destination',
  run: 'Run',
  result: 'Result',
};

export function BackupStepper({ step }: { step: BackupStep }) {
  return (
    <Stepper
      steps={BACKUP_STEPS}
      labels={LABELS}
      current={step}
      label="Backup steps"
      testId="backup-stepper"
    />
  );
}
