import { SEVERITIES } from '../../../../shared/incident-api';
import { severityLabel } from './badges';

/** 1 (critical) to 4 (low). */
export function SeveritySelect(props: {
  value: number;
  onChange(severity: number): void;
  testId: string;
  disabled?: boolean;
  label?: string;
}) {
  return (
    <select
      className="select"
      value={props.value}
      onChange={(event) => props.onChange(Number(event.target.value))}
      disabled={props.disabled}
      aria-label={props.label ?? 'Severity'}
      data-testid={props.testId}
    >
      {SEVERITIES.map((severity) => (
        <option key={severity} value={severity}>
          {severityLabel(severity)}
        </option>
      ))}
    </select>
  );
}
