import { INCIDENT_STATUSES } from '../../../../shared/incident-api';
import { type StatusFilter, useIncidents } from '../../stores/incidents';

const FILTERS: StatusFilter[] = [...INCIDENT_STATUSES, 'all'];

/** Which incidents the list shows: one status, or all of them. */
export function StatusFilterBar() {
  const filter = useIncidents((state) => state.filter);
  const setFilter = useIncidents((state) => state.setFilter);
  return (
    <div className="toolbar" role="toolbar" aria-label="Status" data-testid="incident-filter">
      {FILTERS.map((status) => (
        <button
          key={status}
          className="chip"
          aria-pressed={filter === status}
          onClick={() => void setFilter(status)}
          data-testid={`filter-${status}`}
        >
          {status === 'all' ? 'All' : status[0]?.toUpperCase() + status.slice(1)}
        </button>
      ))}
    </div>
  );
}
