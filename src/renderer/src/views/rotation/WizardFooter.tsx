import type { Ref } from 'react';
import { Icon } from '../../components/icons';
import type { WizardStep } from './WizardStepper';

/**
 * The wizard's buttons, one primary per step (the one Enter presses): Next, Run, none while
 * the run goes on, Close. Busy buttons stay enabled (see DialogActions); Next stays disabled
 * until the checklist is confirmed, since it cannot do anything before.
 */
export function WizardFooter(props: {
  step: WizardStep;
  planReady: boolean;
  planLoaded: boolean;
  busy: boolean;
  primaryRef: Ref<HTMLButtonElement>;
  onCancel(): void;
  onNext(): void;
  onBack(): void;
  onRun(): void;
  onBackground(): void;
  onOpenRun(): void;
}) {
  switch (props.step) {
    case 'plan':
      return (
        <>
          <button className="button" onClick={props.onCancel}>
            {props.planLoaded ? 'Cancel' : 'Close'}
          </button>
          {props.planLoaded ? (
            <button
              ref={props.primaryRef}
              className="button primary"
              disabled={!props.planReady}
              aria-busy={props.busy}
              onClick={props.onNext}
              title={props.planReady ? undefined : 'Confirm every item of the checklist first'}
              data-testid="wizard-next"
            >
              Next: preview
            </button>
          ) : null}
        </>
      );
    case 'preview':
      return (
        <>
          <button className="button" onClick={props.onBack} data-testid="wizard-back">
            Back
          </button>
          <span className="spacer" />
          <button className="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            ref={props.primaryRef}
            className="button primary"
            aria-busy={props.busy}
            onClick={props.onRun}
            data-testid="wizard-run"
          >
            <Icon name="play" /> Run
          </button>
        </>
      );
    case 'run':
      return (
        <button className="button" onClick={props.onBackground} data-testid="wizard-background">
          Run in background
        </button>
      );
    case 'result':
      return (
        <>
          <button className="button" onClick={props.onOpenRun} data-testid="wizard-open-run">
            Open run
          </button>
          <button
            ref={props.primaryRef}
            className="button primary"
            onClick={props.onCancel}
            data-testid="wizard-close"
          >
            Close
          </button>
        </>
      );
  }
}
