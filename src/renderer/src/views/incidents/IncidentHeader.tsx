import { useState } from 'react';
import type { IncidentDetail } from '../../../../shared/incident-api';
import { call, errorMessage } from '../../api/client';
import { formatTime } from '../../components/badges';
import { Icon } from '../../components/icons';
import { useIncidents } from '../../stores/incidents';
import { useUi } from '../../stores/ui';
import { SeverityBadge, StatusBadge } from './badges';
import { EditDetailsDialog } from './EditDetailsDialog';
import { SeveritySelect } from './SeveritySelect';
import { StatusControls } from './StatusControls';

/** The incident's name, how bad it is, where it stands, and the way back to the list. */
export function IncidentHeader({ detail, onBack }: { detail: IncidentDetail; onBack(): void }) {
  const apply = useIncidents((state) => state.apply);
  const toast = useUi((state) => state.toast);
  const [editing, setEditing] = useState(false);

  const setSeverity = async (severity: number) => {
    try {
      apply(await call('incidents.update', { id: detail.id, severity }));
    } catch (error) {
      toast('error', errorMessage(error));
    }
  };

  return (
    <header className="incident-header">
      <div className="row">
        <button
          className="button ghost small"
          onClick={onBack}
          title="Back to all incidents (Esc)"
          data-testid="incident-back"
        >
          ← All incidents
        </button>
        <span className="spacer" />
        <span className="faint">
          opened {formatTime(detail.openedAt)} · updated {formatTime(detail.updatedAt)}
        </span>
      </div>
      <div className="incident-title row">
        <SeverityBadge severity={detail.severity} />
        <h2 className="spacer" data-testid="incident-heading">
          {detail.title}
        </h2>
        <StatusBadge status={detail.status} />
        <button
          className="button small"
          onClick={() => setEditing(true)}
          data-testid="edit-incident-details"
        >
          Edit details…
        </button>
      </div>
      <div className="row wrap">
        <StatusControls detail={detail} />
        <span className="spacer" />
        <label className="row faint">
          <Icon name="alert" size={14} /> Severity
          <SeveritySelect
            value={detail.severity}
            onChange={(severity) => void setSeverity(severity)}
            testId="incident-severity-select"
          />
        </label>
      </div>
      {detail.summary ? (
        <p className="incident-summary" data-testid="incident-summary-text">
          {detail.summary}
        </p>
      ) : null}
      {detail.ownerNote ? (
        <p className="incident-summary faint" data-testid="incident-owner-note">
          Owner: {detail.ownerNote}
        </p>
      ) : null}
      {editing ? <EditDetailsDialog detail={detail} onClose={() => setEditing(false)} /> : null}
    </header>
  );
}
