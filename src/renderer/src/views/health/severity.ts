import type { HealthSeverity } from '../../../../shared/health-api';

/** Badge tone per severity, in the app's three tones. */
export const SEVERITY_TONE: Record<HealthSeverity, string> = {
  critical: 'danger solid',
  high: 'danger',
  medium: 'warn',
  low: 'accent',
  info: '',
};
