import { useState } from 'react';
import {
  INCIDENT_STATUSES,
  type IncidentDetail,
  type IncidentStatus,
} from '../../../../shared/incident-api';
import { call, errorMessage } from '../../api/client';
import { useIncidents } from '../../stores/incidents';
import { useUi } from '../../stores/ui';
import { CloseIncidentDialog } from './CloseIncidentDialog';

const LABELS: Record<IncidentStatus, string> = {
  open: 'Open',
  contained: 'Contained',
  resolved: 'Resolved',
  closed: 'Closed…',
};

const HINTS: Record<IncidentStatus, string> = {
  open: 'Still happening, or not understood yet',
  contained: 'It cannot get worse: the leak is stopped, the host cut off',
  resolved: 'Everything exposed is replaced and checked',
  closed: 'Written up: asks for a summary and the follow-ups',
};

/** open → contained → resolved → closed, each a timeline entry; closing asks for the write-up. */
export function StatusControls({ detail }: { detail: IncidentDetail }) {
  const apply = useIncidents((state) => state.apply);
  const toast = useUi((state) => state.toast);
  const [closing, setClosing] = useState(false);
  const [busy, setBusy] = useState<IncidentStatus | null>(null);

  const change = async (status: IncidentStatus) => {
    if (status === detail.status || busy) return;
    if (status === 'closed') return setClosing(true);
    setBusy(status);
    try {
      apply(await call('incidents.setStatus', { id: detail.id, status }));
      toast('success', `Incident marked ${status}`);
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <div className="segmented" role="group" aria-label="Status" data-testid="status-controls">
        {INCIDENT_STATUSES.map((status, index) => {
          const reached = INCIDENT_STATUSES.indexOf(detail.status) >= index;
          return (
            <button
              key={status}
              className="segment"
              aria-pressed={detail.status === status}
              aria-busy={busy === status}
              data-reached={reached}
              data-status={status}
              title={HINTS[status]}
              onClick={() => void change(status)}
              data-testid={`status-${status}`}
            >
              {status === 'closed' && detail.status === 'closed' ? 'Closed' : LABELS[status]}
            </button>
          );
        })}
      </div>
      {closing ? <CloseIncidentDialog detail={detail} onClose={() => setClosing(false)} /> : null}
    </>
  );
}
