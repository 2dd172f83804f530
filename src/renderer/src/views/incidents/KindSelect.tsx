import { ENTRY_KINDS, type EntryKind } from '../../../../shared/incident-api';
import { KIND_LABELS } from './kinds';

export function KindSelect(props: {
  value: EntryKind;
  onChange(kind: EntryKind): void;
  testId: string;
}) {
  return (
    <select
      className="select"
      value={props.value}
      onChange={(event) => props.onChange(event.target.value as EntryKind)}
      aria-label="Kind"
      data-testid={props.testId}
    >
      {ENTRY_KINDS.map((kind) => (
        <option key={kind} value={kind}>
          {KIND_LABELS[kind]}
        </option>
      ))}
    </select>
  );
}
