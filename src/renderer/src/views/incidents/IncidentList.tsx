import { Icon } from '../../components/icons';
import { useIncidents } from '../../stores/incidents';
import { IncidentTable } from './IncidentTable';
import { StatusFilterBar } from './StatusFilterBar';

/** The list of incidents with its status filter, or what incidents are for when there is none. */
export function IncidentList() {
  const items = useIncidents((state) => state.items);
  const loaded = useIncidents((state) => state.loaded);
  const error = useIncidents((state) => state.error);
  const filter = useIncidents((state) => state.filter);
  const open = useIncidents((state) => state.open);
  const openNew = useIncidents((state) => state.openNew);

  return (
    <div className="inventory-main">
      <StatusFilterBar />
      {error ? <div className="form-error">{error}</div> : null}
      {loaded && items.length === 0 ? (
        filter === 'all' ? (
          <div className="empty incidents-empty" data-testid="incidents-empty">
            <Icon name="alert" size={28} />
            <strong>No incidents yet</strong>
            <p className="muted">
              An incident is the record of something going wrong: a secret pushed to a public
              repository, a server someone else got into, a leaked backup. Rekey keeps its timeline
              (what happened, what you did, when), links the secrets, hosts and deployments
              involved, walks you through rotating what leaked, and writes the post-incident report.
              Rotations, backups and reveals of a linked secret are added to the timeline on their
              own.
            </p>
            <p className="muted">
              From a secret, use <strong>Mark as exposed…</strong>; from a host,{' '}
              <strong>Host compromised…</strong>; or open one by hand.
            </p>
            <button className="button" onClick={() => openNew(true)}>
              New incident…
            </button>
          </div>
        ) : (
          <div className="empty" data-testid="incidents-empty">
            <span>No {filter} incidents.</span>
          </div>
        )
      ) : (
        <IncidentTable items={items} onOpen={(id) => void open(id)} />
      )}
      <div className="table-footer" data-testid="incidents-footer">
        {items.length} {items.length === 1 ? 'incident' : 'incidents'}
        {items.length ? ' · ↑↓ to move, Enter or click to open' : ''} · n for a new one
      </div>
    </div>
  );
}
