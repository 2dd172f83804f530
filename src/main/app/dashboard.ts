import type { Dashboard } from '../../shared/api';
import { queryHistory } from '../history/query';
import type { Implementation } from './handle';
import type { AppSession } from './session';
import { summarize } from './views';

const LATEST_EVENTS = 12;
const ATTENTION = 8;
const REASON_ORDER = ['compromised', 'overdue', 'weak', 'due'] as const;

export function dashboardMethods(session: AppSession): Pick<Implementation, 'dashboard.summary'> {
  return {
    'dashboard.summary': async () => {
      const vault = session.requireVault();
      await vault.refresh();
      const now = session.now();
      const counts: Dashboard['counts'] = {
        secrets: 0,
        deployments: vault.state.deployments.size,
        due: 0,
        overdue: 0,
        weak: 0,
        compromised: 0,
        noPolicy: 0,
      };
      const rows = new Map<string, Dashboard['rotationByDeployment'][number]>();
      const attention: Dashboard['attention'] = [];
      for (const name of vault.state.deployments.keys()) {
        rows.set(name, {
          deployment: name,
          ok: 0,
          due: 0,
          overdue: 0,
          manual: 0,
          noPolicy: 0,
          oldestDays: null,
        });
      }
      for (const secret of vault.state.secrets.values()) {
        const summary = summarize(vault, secret, now);
        const row = rows.get(secret.deployment);
        const reason = summary.compromised
          ? 'compromised'
          : summary.rotation === 'overdue'
            ? 'overdue'
            : summary.weak
              ? 'weak'
              : summary.rotation === 'due'
                ? 'due'
                : null;
        if (reason) attention.push({ ref: summary.ref, reason, ageDays: summary.ageDays });
        counts.secrets++;
        if (summary.weak) counts.weak++;
        if (summary.compromised) counts.compromised++;
        if (!row) continue;
        if (summary.ageDays !== null)
          row.oldestDays = Math.max(row.oldestDays ?? 0, summary.ageDays);
        switch (summary.rotation) {
          case 'ok':
            row.ok++;
            break;
          case 'due':
            row.due++;
            counts.due++;
            break;
          case 'overdue':
            row.overdue++;
            counts.overdue++;
            break;
          case 'manual':
            row.manual++;
            break;
          case 'no-policy':
            row.noPolicy++;
            counts.noPolicy++;
            break;
        }
      }
      return {
        counts,
        rotationByDeployment: [...rows.values()].sort((a, b) =>
          a.deployment.localeCompare(b.deployment),
        ),
        latestEvents: queryHistory(vault.eventBlocks, { limit: LATEST_EVENTS }),
        attention: attention
          .sort(
            (a, b) =>
              REASON_ORDER.indexOf(a.reason) - REASON_ORDER.indexOf(b.reason) ||
              (b.ageDays ?? 0) - (a.ageDays ?? 0),
          )
          .slice(0, ATTENTION),
      };
    },
  };
}
