import type { RotationPlan } from '../../../../shared/rotation-api';
import { Icon } from '../../components/icons';
import { PlannedSteps } from './PlannedSteps';

export interface PlanAnswers {
  /** Checklist item ids the user ticked. */
  ticked: ReadonlySet<string>;
  /** Per guarded secret, what the user typed to rotate it anyway. */
  typed: Readonly<Record<string, string>>;
}

/** Every checklist item ticked and every guarded secret's ref typed exactly. */
export function planReady(plan: RotationPlan, answers: PlanAnswers): boolean {
  return (
    plan.checklist.every((item) => answers.ticked.has(item.id)) &&
    plan.guarded.every((guard) => answers.typed[guard.ref] === guard.ref)
  );
}

/** What the core expects: the typed refs of the guarded secrets, separated by spaces. */
export function guardedConfirmation(plan: RotationPlan, answers: PlanAnswers): string | undefined {
  if (plan.guarded.length === 0) return undefined;
  return plan.guarded.map((guard) => answers.typed[guard.ref] ?? '').join(' ');
}

const DIFFICULTY_TONE: Record<string, string> = { low: 'ok', medium: 'warn', high: 'danger' };

/**
 * The plan before anything happens: how the secrets rotate and what each step touches, what
 * breaks meanwhile (the blast radius), what stands in the way, and the checklist to confirm.
 */
export function PlanStep(props: {
  plan: RotationPlan;
  answers: PlanAnswers;
  onTick(id: string, ticked: boolean): void;
  onType(ref: string, text: string): void;
}) {
  const { plan, answers } = props;
  return (
    <div className="wizard-columns" data-testid="plan">
      <div className="stack">
        <section className="wizard-section">
          <h3>Procedure</h3>
          <p data-testid="plan-procedure">
            <span className="badge accent">{plan.procedure}</span>{' '}
            <span className="muted">
              {plan.procedure === 'targets'
                ? 'writes the new value into every place the secret lives, then checks each'
                : `the steps of the deployment's playbook, in deployment ${plan.deployment}`}
            </span>
          </p>
          <PlannedSteps steps={plan.steps} />
        </section>
        {plan.warnings.length > 0 ? (
          <ul className="wizard-warnings" data-testid="plan-warnings">
            {plan.warnings.map((warning) => (
              <li key={warning} className="notice">
                <Icon name="alert" /> {warning}
              </li>
            ))}
          </ul>
        ) : null}
        <BlastRadius plan={plan} />
      </div>
      <div className="stack">
        {plan.guarded.length > 0 ? (
          <GuardedSecrets plan={plan} typed={answers.typed} onType={props.onType} />
        ) : null}
        <Checklist plan={plan} ticked={answers.ticked} onTick={props.onTick} />
      </div>
    </div>
  );
}

function BlastRadius({ plan }: { plan: RotationPlan }) {
  return (
    <section className="wizard-section">
      <h3>Blast radius</h3>
      <ul className="impact-list" data-testid="plan-impact">
        {plan.impact.map((item) => (
          <li key={item.ref} data-ref={item.ref}>
            <div className="row">
              <span className="mono spacer">{item.ref}</span>
              <span className={`badge ${DIFFICULTY_TONE[item.difficulty] ?? ''}`}>
                {item.difficulty} difficulty
              </span>
            </div>
            <span className={item.impact ? '' : 'faint'}>
              {item.impact || 'No impact written down for this secret.'}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function GuardedSecrets(props: {
  plan: RotationPlan;
  typed: Readonly<Record<string, string>>;
  onType(ref: string, text: string): void;
}) {
  return (
    <section
      className="guarded"
      data-testid="plan-guarded"
      role="group"
      aria-label="Guarded secrets"
    >
      <strong>
        <Icon name="shield" /> Guarded: not for routine rotation
      </strong>
      {props.plan.guarded.map((guard) => (
        <div key={guard.ref} className="stack guarded-item" data-ref={guard.ref}>
          <span>
            <span className="mono">{guard.ref}</span>: {guard.reason}
          </span>
          <label className="field">
            <span>
              Type <span className="mono">{guard.ref}</span> to rotate it anyway (an incident)
            </span>
            <input
              className="input mono"
              value={props.typed[guard.ref] ?? ''}
              onChange={(event) => props.onType(guard.ref, event.target.value)}
              aria-invalid={
                (props.typed[guard.ref] ?? '') !== '' && props.typed[guard.ref] !== guard.ref
              }
              autoComplete="off"
              spellCheck={false}
              data-testid="guarded-confirmation"
            />
          </label>
        </div>
      ))}
    </section>
  );
}

function Checklist(props: {
  plan: RotationPlan;
  ticked: ReadonlySet<string>;
  onTick(id: string, ticked: boolean): void;
}) {
  const { checklist } = props.plan;
  const done = checklist.filter((item) => props.ticked.has(item.id)).length;
  return (
    <section className="wizard-section" data-testid="plan-checklist">
      <div className="row">
        <h3 className="spacer">Before you start</h3>
        <span className="faint" data-testid="checklist-count">
          {done} of {checklist.length} confirmed
        </span>
      </div>
      {checklist.length === 0 ? (
        <p className="faint">Nothing to confirm for this procedure.</p>
      ) : (
        <ul className="checklist">
          {checklist.map((item) => (
            <li key={item.id}>
              <label className="check-item">
                <input
                  type="checkbox"
                  checked={props.ticked.has(item.id)}
                  onChange={(event) => props.onTick(item.id, event.target.checked)}
                  data-item={item.id}
                />
                <span>{item.text}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
