import { Icon } from './icons';

/** Where a wizard stands: steps behind are ticked, the current one is marked for screen readers. */
export function Stepper<Step extends string>(props: {
  steps: readonly Step[];
  labels: Readonly<Record<Step, string>>;
  current: Step;
  label: string;
  testId: string;
}) {
  const at = props.steps.indexOf(props.current);
  return (
    <ol className="stepper" aria-label={props.label} data-testid={props.testId}>
      {props.steps.map((name, index) => (
        <li
          key={name}
          data-state={index < at ? 'done' : index === at ? 'current' : 'next'}
          aria-current={index === at ? 'step' : undefined}
        >
          <span className="stepper-mark">
            {index < at ? <Icon name="check" size={14} /> : index + 1}
          </span>
          {props.labels[name]}
        </li>
      ))}
    </ol>
  );
}
