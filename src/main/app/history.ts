import { RekeyError } from '../../shared/errors';
import { queryHistory } from '../history/query';
import { verifyHistory } from '../history/verify';
import type { Implementation } from './handle';
import type { AppSession } from './session';

export function historyMethods(
  session: AppSession,
): Pick<Implementation, 'history.list' | 'history.verify'> {
  return {
    'history.list': async (filter) => {
      const vault = session.requireVault();
      await vault.refresh();
      return queryHistory(vault.eventBlocks, filter);
    },
    'history.verify': async () => {
      const vault = session.requireVault();
      await vault.refresh();
      return verifyHistory(vault.vaultIdBytes, vault.eventBlocks, vault.state, vault.recordCount);
    },
  };
}

export function tamperedError(problems: readonly string[]): RekeyError {
  return new RekeyError('HISTORY_TAMPERED', `History check failed: ${problems.join('; ')}`);
}
