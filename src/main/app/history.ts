import { RekeyError } from '../../shared/errors';
import { queryHistory } from '../history/query';
import { verifyHistory } from '../history/verify';
import type { Implementation } from './handle';
import type { AppSession } from './session';

/** RFC 4180 cells; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function historyMethods(
  session: AppSession,
): Pick<Implementation, 'history.list' | 'history.verify' | 'history.export'> {
  return {
    'history.export': async ({ filter, format }) => {
      const vault = session.requireVault();
      await vault.refresh();
      const events = queryHistory(vault.eventBlocks, filter);
      const stamp = session.now().toISOString().replace(/[:.]/g, '-');
      if (format === 'json') {
        return {
          fileName: `rekey-history-${stamp}.json`,
          mimeType: 'application/json',
          content: `${JSON.stringify(events, null, 2)}\n`,
        };
      }
      const header = ['seq', 'time_utc', 'source', 'kind', 'secret', 'summary', 'hash'];
      const rows = events.map((e) => [
        String(e.seq),
        e.at,
        e.source,
        e.kind,
        e.ref ?? '',
        e.summary,
        e.hash,
      ]);
      const content = [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n');
      return {
        fileName: `rekey-history-${stamp}.csv`,
        mimeType: 'text/csv',
        content: `${content}\r\n`,
      };
    },
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
