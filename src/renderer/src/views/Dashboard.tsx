import { useEffect } from 'react';
import { formatTime } from '../components/badges';
import { Icon } from '../components/icons';
import { RotationChart } from '../components/RotationChart';
import { Shell } from '../components/Shell';
import { useDashboard } from '../stores/dashboard';
import { type Facets, NO_FACETS, useSecrets } from '../stores/secrets';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { BackupAges } from './backup/BackupAges';
import { HealthTiles } from './health/HealthTiles';
import { OpenIncidentsCard } from './incidents/OpenIncidentsCard';

export function Dashboard() {
  const summary = useDashboard((state) => state.summary);
  const error = useDashboard((state) => state.error);
  const load = useDashboard((state) => state.load);
  const revision = useSession((state) => state.revision);
  const theme = useSession((state) => state.preferences.theme);
  const navigate = useSession((state) => state.navigate);
  const setFacets = useSecrets((state) => state.setFacets);
  const openDialog = useUi((state) => state.openDialog);

  useEffect(() => {
    void load();
  }, [load, revision]);

  const selectSecret = useSecrets((state) => state.select);
  const openSecret = async (ref: string) => {
    setFacets(NO_FACETS);
    navigate('inventory');
    await selectSecret(ref);
  };

  const show = (facets: Partial<Facets>) => () => {
    setFacets({ ...NO_FACETS, ...facets });
    navigate('inventory');
  };

  const counts = summary?.counts;
  const tiles = [
    { label: 'Secrets', value: counts?.secrets, tone: '', facets: {}, id: 'secrets' },
    {
      label: 'Overdue for rotation',
      value: counts?.overdue,
      tone: counts?.overdue ? 'danger' : '',
      facets: { rotation: 'overdue' as const },
      id: 'overdue',
    },
    {
      label: 'Due within 14 days',
      value: counts?.due,
      tone: counts?.due ? 'warn' : '',
      facets: { rotation: 'due' as const },
      id: 'due',
    },
    {
      label: 'Weak values',
      value: counts?.weak,
      tone: counts?.weak ? 'warn' : '',
      facets: { strength: 'weak' as const },
      id: 'weak',
    },
    {
      label: 'Compromised',
      value: counts?.compromised,
      tone: counts?.compromised ? 'danger' : '',
      facets: { compromised: true },
      id: 'compromised',
    },
  ];

  return (
    <Shell
      actions={
        <button
          className="button primary"
          onClick={() => (navigate('inventory'), openDialog('add-secret'))}
        >
          <Icon name="plus" /> Add secret
        </button>
      }
    >
      <div data-testid="screen-dashboard">
        {error ? <div className="form-error">{error}</div> : null}
        <div className="tiles">
          {tiles.map((tile) => (
            <button
              key={tile.id}
              className={`tile ${tile.tone}`}
              onClick={show(tile.facets)}
              data-testid={`tile-${tile.id}`}
            >
              <span className="tile-value">{tile.value ?? '–'}</span>
              <span className="tile-label">{tile.label}</span>
            </button>
          ))}
        </div>
        <OpenIncidentsCard />
        <HealthTiles />
        <div className="dashboard-grid">
          <section className="card">
            <div className="card-header">
              <h2>Secret age against policy, per deployment</h2>
              <span className="faint">{counts ? `${counts.noPolicy} without a policy` : ''}</span>
            </div>
            {summary && summary.rotationByDeployment.length > 0 ? (
              <RotationChart rows={summary.rotationByDeployment} theme={theme} />
            ) : (
              <div className="empty">
                <Icon name="shield" size={28} />
                <span>No deployments yet. Add a secret or import a .env file to start.</span>
              </div>
            )}
            <div className="card-header attention-header">
              <h2>Needs a look</h2>
            </div>
            {summary && summary.attention.length > 0 ? (
              <ul className="event-list" data-testid="attention">
                {summary.attention.map((item) => (
                  <li key={item.ref}>
                    <button className="link mono" onClick={() => void openSecret(item.ref)}>
                      {item.ref}
                    </button>
                    <span
                      className={`badge ${item.reason === 'due' || item.reason === 'weak' ? 'warn' : 'danger'}`}
                    >
                      {item.reason}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="faint">Nothing compromised, overdue or weak. Well kept.</p>
            )}
          </section>
          <section className="card">
            <div className="card-header">
              <h2>Latest activity</h2>
              <button className="button ghost small" onClick={() => navigate('history')}>
                All history
              </button>
            </div>
            <ul className="event-list" data-testid="latest-events">
              {summary?.latestEvents.map((event) => (
                <li key={event.seq}>
                  <span className="event-summary">{event.summary}</span>
                  <span className="badge">{event.source}</span>
                  <span className="event-meta">
                    {event.kind} · {formatTime(event.at)}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </div>
        <BackupAges />
      </div>
    </Shell>
  );
}
