import { RekeyError } from '../../shared/errors';
import { builtinPlaybook, builtinPlaybooks } from '../rotation/builtin-playbooks';
import { checkPlaybook, loadPlaybook } from '../rotation/playbook';
import { playbookDetail, playbookSummary } from '../rotation/playbook-view';
import { removePlaybook, savePlaybook } from '../vault/playbook-changes';
import type { VaultState } from '../vault/state';
import type { Implementation } from './handle';
import type { AppSession } from './session';

/**
 * Playbooks as the contract offers them: the built-in ones (readable before any vault is
 * open; they hold no values) and, while a vault is unlocked, the user's own kept in it.
 */
export function playbookMethods(
  session: AppSession,
): Pick<
  Implementation,
  'playbooks.list' | 'playbooks.get' | 'playbooks.validate' | 'playbooks.add' | 'playbooks.remove'
> {
  const saved = (): VaultState['playbooks'] | null =>
    session.vault ? session.vault.state.playbooks : null;

  return {
    'playbooks.list': async () => [
      ...builtinPlaybooks().map((playbook) => playbookSummary(playbook, 'builtin')),
      ...[...(saved()?.values() ?? [])].map((record) =>
        playbookSummary(loadPlaybook(record.text, `${record.id}.yaml`), 'vault'),
      ),
    ],
    'playbooks.get': async ({ id }) => {
      const builtin = builtinPlaybook(id);
      if (builtin) return playbookDetail(builtin, 'builtin');
      const record = saved()?.get(id);
      if (record) return playbookDetail(loadPlaybook(record.text, `${id}.yaml`), 'vault');
      const known = [...builtinPlaybooks().map((p) => p.id), ...(saved()?.keys() ?? [])];
      throw new RekeyError(
        'NOT_FOUND',
        `No playbook "${id}"; the playbooks are ${known.join(', ')}`,
      );
    },
    'playbooks.validate': async ({ text, fileName }) => {
      const checked = checkPlaybook(text, fileName);
      return checked.ok
        ? { valid: true, playbook: playbookSummary(checked.playbook, 'file') }
        : { valid: false, problems: checked.problems };
    },
    'playbooks.add': async ({ text, fileName }) => {
      const vault = session.requireVault();
      const checked = checkPlaybook(text, fileName);
      if (!checked.ok) {
        throw new RekeyError(
          'INVALID_INPUT',
          checked.problems.map((problem) => problem.text).join('\n'),
        );
      }
      const { id } = checked.playbook;
      if (builtinPlaybook(id)) {
        throw new RekeyError(
          'ALREADY_EXISTS',
          `"${id}" is a built-in playbook; give yours another id`,
        );
      }
      await vault.transact((t) => savePlaybook(t, id, text));
      return playbookSummary(checked.playbook, 'vault');
    },
    'playbooks.remove': async ({ id }) => {
      const vault = session.requireVault();
      await vault.transact((t) => removePlaybook(t, id));
      return { id };
    },
  };
}
