import { useState } from 'react';
import type { IncidentDetail } from '../../../../shared/incident-api';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useIncidents } from '../../stores/incidents';

/**
 * The incident's words: its title, the summary (what happened, its impact, what was done) and
 * the owner's note (who handles it, how to reach them). Only what changed is sent.
 */
export function EditDetailsDialog({
  detail,
  onClose,
}: {
  detail: IncidentDetail;
  onClose(): void;
}) {
  const [title, setTitle] = useState(detail.title);
  const [summary, setSummary] = useState(detail.summary);
  const [ownerNote, setOwnerNote] = useState(detail.ownerNote);
  const apply = useIncidents((state) => state.apply);

  const { submit, busy, error } = useSubmit(async (fail) => {
    if (!title.trim()) return fail('The incident needs a title');
    const changes = {
      ...(title.trim() !== detail.title ? { title: title.trim() } : {}),
      ...(summary !== detail.summary ? { summary } : {}),
      ...(ownerNote !== detail.ownerNote ? { ownerNote } : {}),
    };
    if (Object.keys(changes).length > 0) {
      apply(await call('incidents.update', { id: detail.id, ...changes }));
    }
    onClose();
  });

  return (
    <Dialog
      title="Incident details"
      onClose={onClose}
      testId="incident-details-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Save"
          busy={busy}
          testId="save-incident-details"
        />
      }
    >
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field label="Title" error={error}>
          <input
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            data-testid="incident-title-input"
          />
        </Field>
        <Field label="Summary" hint="What happened, its impact, what was done">
          <textarea
            rows={5}
            value={summary}
            onChange={(event) => setSummary(event.target.value)}
            data-testid="incident-summary-input"
          />
        </Field>
        <Field label="Owner's note" hint="Who handles it and how to reach them">
          <textarea
            rows={3}
            value={ownerNote}
            onChange={(event) => setOwnerNote(event.target.value)}
            data-testid="incident-owner-note-input"
          />
        </Field>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
