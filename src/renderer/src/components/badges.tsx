import type { RotationStatus } from '../../../shared/model';

const ROTATION: Record<RotationStatus, { label: string; tone: string }> = {
  ok: { label: 'on schedule', tone: 'ok' },
  due: { label: 'due soon', tone: 'warn' },
  overdue: { label: 'overdue', tone: 'danger' },
  manual: { label: 'not routine', tone: '' },
  'no-policy': { label: 'no policy', tone: '' },
};

export function RotationBadge({ status }: { status: RotationStatus }) {
  const { label, tone } = ROTATION[status];
  return <span className={`badge ${tone}`}>{label}</span>;
}

export function StrengthBadge({ strength }: { strength: 'weak' | 'fair' | 'strong' | null }) {
  if (!strength) return <span className="faint">-</span>;
  const tone = strength === 'strong' ? 'ok' : strength === 'fair' ? 'warn' : 'danger';
  return <span className={`badge ${tone}`}>{strength}</span>;
}

export function formatAge(days: number | null): string {
  if (days === null) return '-';
  if (days < 1) return 'today';
  if (days < 60) return `${days}d`;
  if (days < 730) return `${Math.round(days / 30)}mo`;
  return `${(days / 365).toFixed(1)}y`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
