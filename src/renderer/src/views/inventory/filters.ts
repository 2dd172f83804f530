import type { RotationStatus } from '../../../../shared/model';

export const ROTATION_FILTERS: { value: RotationStatus; label: string }[] = [
  { value: 'overdue', label: 'Overdue' },
  { value: 'due', label: 'Due soon' },
  { value: 'ok', label: 'On schedule' },
  { value: 'manual', label: 'Not routine' },
  { value: 'no-policy', label: 'No policy' },
];
