import { useEffect } from 'react';
import { SEVERITY_NAMES } from '../../../../shared/incident-api';
import { useIncidents } from '../../stores/incidents';

/** '' opens a new incident; otherwise the id of one not closed yet, to join. */
export function IncidentChoice(props: {
  value: string;
  onChange(id: string): void;
  testId: string;
}) {
  const active = useIncidents((state) => state.active);
  const loadActive = useIncidents((state) => state.loadActive);
  useEffect(() => {
    void loadActive();
  }, [loadActive]);

  return (
    <select
      className="select"
      value={props.value}
      onChange={(event) => props.onChange(event.target.value)}
      aria-label="Incident"
      data-testid={props.testId}
    >
      <option value="">Open a new incident</option>
      {active.length ? (
        <optgroup label="Join an incident">
          {active.map((incident) => (
            <option key={incident.id} value={incident.id}>
              {incident.title} ({incident.status}, {SEVERITY_NAMES[incident.severity]})
            </option>
          ))}
        </optgroup>
      ) : null}
    </select>
  );
}
