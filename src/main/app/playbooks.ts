import { RekeyError } from '../../shared/errors';
import { builtinPlaybook, builtinPlaybooks } from '../rotation/builtin-playbooks';
import { checkPlaybook } from '../rotation/playbook';
import { playbookDetail, playbookSummary } from '../rotation/playbook-view';
import type { Implementation } from './handle';

/**
 * Playbooks as the contract offers them. They hold no values, so none of these needs the
 * vault: a user can read and check playbooks before creating or unlocking one.
 */
export function playbookMethods(): Pick<
  Implementation,
  'playbooks.list' | 'playbooks.get' | 'playbooks.validate'
> {
  return {
    'playbooks.list': async () =>
      builtinPlaybooks().map((playbook) => playbookSummary(playbook, 'builtin')),
    'playbooks.get': async ({ id }) => {
      const playbook = builtinPlaybook(id);
      if (!playbook) {
        const known = builtinPlaybooks().map((candidate) => candidate.id);
        throw new RekeyError(
          'NOT_FOUND',
          `No playbook "${id}"; the built-in playbooks are ${known.join(', ')}`,
        );
      }
      return playbookDetail(playbook, 'builtin');
    },
    'playbooks.validate': async ({ text, fileName }) => {
      const checked = checkPlaybook(text, fileName);
      return checked.ok
        ? { valid: true, playbook: playbookSummary(checked.playbook, 'file') }
        : { valid: false, problems: checked.problems };
    },
  };
}
