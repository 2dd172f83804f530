import { useEffect } from 'react';
import { useIncidents } from '../../stores/incidents';
import { useSession } from '../../stores/session';
import { SeverityBadge, StatusBadge } from './badges';
import { openIncident } from './navigate';

/** The dashboard's card of incidents not closed yet; absent when there is none. */
export function OpenIncidentsCard() {
  const active = useIncidents((state) => state.active);
  const loadActive = useIncidents((state) => state.loadActive);
  const revision = useSession((state) => state.revision);
  const navigate = useSession((state) => state.navigate);

  useEffect(() => {
    void loadActive();
  }, [loadActive, revision]);

  if (active.length === 0) return null;
  return (
    <section className="card open-incidents" data-testid="open-incidents">
      <div className="card-header">
        <h2>Open incidents</h2>
        <button className="button ghost small" onClick={() => navigate('incidents')}>
          All incidents
        </button>
      </div>
      <ul className="event-list">
        {active.map((incident) => (
          <li key={incident.id} data-id={incident.id} data-testid="open-incident">
            <button className="link open-incident-title" onClick={() => openIncident(incident.id)}>
              <SeverityBadge severity={incident.severity} />
              <span className="event-summary">{incident.title}</span>
            </button>
            <span className="row">
              <StatusBadge status={incident.status} />
              {incident.stillExposed > 0 ? (
                <span className="badge danger" data-testid="open-incident-exposed">
                  {incident.stillExposed} still exposed
                </span>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
