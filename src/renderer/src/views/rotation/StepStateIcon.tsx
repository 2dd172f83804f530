import type { RunStepState } from '../../../../shared/rotation-api';
import { Icon, type IconName } from '../../components/icons';

/** Each state of a run's step as an icon and a word, so colour is never the only signal. */
const STATES: Record<RunStepState, { icon: IconName; label: string }> = {
  waiting: { icon: 'circle', label: 'waiting' },
  running: { icon: 'refresh', label: 'running' },
  done: { icon: 'check', label: 'done' },
  failed: { icon: 'close', label: 'failed' },
  undoing: { icon: 'undo', label: 'undoing' },
  undone: { icon: 'undo', label: 'undone' },
  'undo-failed': { icon: 'alert', label: 'undo failed' },
};

export function stepStateLabel(state: RunStepState): string {
  return STATES[state].label;
}

export function StepStateIcon({ state }: { state: RunStepState }) {
  return (
    <span className="step-state" data-state={state} title={STATES[state].label}>
      <Icon name={STATES[state].icon} />
    </span>
  );
}
