import type { EntryView } from '../../../../shared/incident-api';
import { call } from '../../api/client';
import { formatTime } from '../../components/badges';
import { Dialog, DialogActions } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
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
  const { submit, busy, error } = useSubmit(async () => {
    apply(await call('incidents.removeEntry', { id: incidentId, entryId: entry.id }));
    onClose();
  });

  return (
    <Dialog
      title="Remove entry"
      onClose={onClose}
      testId="remove-entry-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Remove"
          tone="danger"
          busy={busy}
          testId="confirm-remove-entry"
        />
      }
    >
      <p>
        This entry of {formatTime(entry.at)} leaves the timeline and the report. The vault&apos;s
        history keeps a record that it was written and removed.
      </p>
      <blockquote className="quoted">{entry.text}</blockquote>
      <FormError message={error} />
    </Dialog>
  );
}
