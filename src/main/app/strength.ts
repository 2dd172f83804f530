import { assessStrength } from '../vault/strength';
import type { Implementation } from './handle';

export function strengthMethods(): Pick<Implementation, 'strength.check'> {
  return {
    'strength.check': async ({ value, names }) => assessStrength(value, { names }),
  };
}
