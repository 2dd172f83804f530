import { useEffect } from 'react';
import { formatAge } from '../../components/badges';
import { latestByDeployment, useBackups } from '../../stores/backups';
import { useSession } from '../../stores/session';
import { daysSince } from './format';

/**
 * The dashboard's backup card: per deployment, how old its newest bundle is; a warning when it
 * is older than the policy's days (Settings) or there is none.
 */
export function BackupAges() {
  const items = useBackups((state) => state.items);
  const deployments = useBackups((state) => state.deployments);
  const loaded = useBackups((state) => state.loaded);
  const load = useBackups((state) => state.load);
  const revision = useSession((state) => state.revision);
  const navigate = useSession((state) => state.navigate);
  const warnDays = useSession((state) => state.preferences.backupWarnDays);

  useEffect(() => {
    void load();
  }, [load, revision]);

  const latest = latestByDeployment(items);
  const names = [...new Set([...deployments, ...latest.keys()])].sort();
  return (
    <section className="card backup-ages" data-testid="backup-ages">
      <div className="card-header">
        <h2>Last backup, per deployment</h2>
        <span className="faint">warns after {warnDays} days</span>
        <span className="spacer" />
        <button className="button ghost small" onClick={() => navigate('backups')}>
          All backups
        </button>
      </div>
      {loaded && names.length === 0 ? (
        <p className="faint">No deployments yet.</p>
      ) : (
        <ul className="event-list">
          {names.map((name) => {
            const last = latest.get(name);
            const days = last ? daysSince(last.createdAt) : null;
            const warn = days === null || days > warnDays;
            return (
              <li key={name} data-deployment={name} data-state={warn ? 'warn' : 'ok'}>
                <span className="event-summary mono">{name}</span>
                <span className={warn ? 'badge warn' : 'badge ok'}>
                  {days === null ? 'never' : days < 1 ? 'today' : `${formatAge(days)} ago`}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
