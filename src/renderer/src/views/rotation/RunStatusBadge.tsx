import type { RunStatus } from '../../../../shared/rotation-api';

const STATUS: Record<RunStatus, { label: string; tone: string }> = {
  running: { label: 'running', tone: 'accent' },
  interrupted: { label: 'interrupted', tone: 'warn' },
  rotated: { label: 'rotated', tone: 'ok' },
  'rolled-back': { label: 'rolled back', tone: 'warn' },
  'needs-attention': { label: 'needs attention', tone: 'danger' },
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { label, tone } = STATUS[status];
  return (
    <span className={`badge ${tone}`} data-testid="run-status" data-status={status}>
      {label}
    </span>
  );
}
