import { type IncidentStatus, SEVERITY_NAMES } from '../../../../shared/incident-api';

const SEVERITY_TONES: Record<number, string> = {
  1: 'danger solid',
  2: 'danger',
  3: 'warn',
  4: '',
};

const STATUS_TONES: Record<IncidentStatus, string> = {
  open: 'danger',
  contained: 'warn',
  resolved: 'ok',
  closed: '',
};

/** "S1 critical" in red down to "S4 low" in grey. */
export function SeverityBadge({ severity }: { severity: number }) {
  return (
    <span
      className={`badge severity ${SEVERITY_TONES[severity] ?? ''}`}
      data-severity={severity}
      data-testid="severity-badge"
    >
      S{severity} {SEVERITY_NAMES[severity] ?? ''}
    </span>
  );
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return (
    <span
      className={`badge ${STATUS_TONES[status]}`}
      data-status={status}
      data-testid="status-badge"
    >
      {status}
    </span>
  );
}

export function severityLabel(severity: number): string {
  return `${severity} · ${SEVERITY_NAMES[severity] ?? ''}`;
}
