import { useEffect, useState } from 'react';
import type { RotationPlan } from '../../../../shared/rotation-api';
import { call, errorMessage } from '../../api/client';

export type PlanState =
  | { phase: 'loading' }
  | { phase: 'ready'; plan: RotationPlan }
  | { phase: 'refused'; error: string };

/** Asks the core how these secrets would rotate; a refusal (no targets, guarded…) is kept as text. */
export function usePlan(refs: readonly string[]): PlanState {
  const [state, setState] = useState<PlanState>({ phase: 'loading' });
  const key = refs.join('\n');
  useEffect(() => {
    let current = true;
    setState({ phase: 'loading' });
    call('rotations.plan', { refs: key.split('\n') })
      .then((plan) => current && setState({ phase: 'ready', plan }))
      .catch(
        (error: unknown) => current && setState({ phase: 'refused', error: errorMessage(error) }),
      );
    return () => {
      current = false;
    };
  }, [key]);
  return state;
}
