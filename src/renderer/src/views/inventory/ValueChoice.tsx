import { Field } from '../../components/Field';
import { StrengthMeter } from '../../components/StrengthMeter';

/** Where a new value comes from: Rekey generates it (the default) or the user enters one. */
export type ValueMode = 'generate' | 'enter';

export function ValueModeTabs(props: {
  mode: ValueMode;
  onChange(mode: ValueMode): void;
  generateLabel: string;
  enterLabel: string;
}) {
  return (
    <div className="tabs" role="tablist">
      <button
        className="tab"
        role="tab"
        aria-selected={props.mode === 'generate'}
        onClick={() => props.onChange('generate')}
      >
        {props.generateLabel}
      </button>
      <button
        className="tab"
        role="tab"
        aria-selected={props.mode === 'enter'}
        onClick={() => props.onChange('enter')}
        data-testid="mode-enter"
      >
        {props.enterLabel}
      </button>
    </div>
  );
}

/** A value typed in, masked, with its strength rated against the names around it. */
export function EnteredValue(props: {
  value: string;
  onChange(value: string): void;
  names: string[];
  testId: string;
}) {
  return (
    <>
      <Field label="Value">
        <input
          className="input mono"
          type="password"
          autoComplete="off"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          data-testid={props.testId}
        />
      </Field>
      <StrengthMeter value={props.value} names={props.names} />
    </>
  );
}
