import type { EntryView } from '../../../../shared/incident-api';
import { call } from '../../api/client';
import { formatTime } from '../../components/badges';
import { ConfirmRemoveDialog } from '../../components/ConfirmRemoveDialog';
import { useIncidents } from '../../stores/incidents';

/** Takes an entry off the timeline; the history still records that it was there. */
export function RemoveEntryDialog({
  incidentId,
  entry,
  onClose,
}: {
  incidentId: string;
  entry: EntryView;
  onClose(): void;
}) {
  const apply = useIncidents((state) => state.apply);
  return (
    <ConfirmRemoveDialog
      title="Remove entry"
      testId="remove-entry-dialog"
      confirmTestId="confirm-remove-entry"
      remove={async () =>
        apply(await call('incidents.removeEntry', { id: incidentId, entryId: entry.id }))
      }
      onClose={onClose}
    >
      <p>
        This entry of {formatTime(entry.at)} leaves the timeline and the report. The vault&apos;s
        history keeps a record that it was written and removed.
      </p>
      <blockquote className="quoted">{entry.text}</blockquote>
    </ConfirmRemoveDialog>
  );
}
