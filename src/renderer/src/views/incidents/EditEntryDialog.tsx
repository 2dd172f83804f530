import { useState } from 'react';
import type { EntryKind, EntryView } from '../../../../shared/incident-api';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useIncidents } from '../../stores/incidents';
import { KindSelect } from './KindSelect';
import { fromLocalInput, toLocalInput } from './time';

/** Rewords, re-times or re-kinds an entry; the earlier wording stays in its revisions. */
export function EditEntryDialog({
  incidentId,
  entry,
  onClose,
}: {
  incidentId: string;
  entry: EntryView;
  onClose(): void;
}) {
  const initialAt = toLocalInput(new Date(entry.at));
  const [kind, setKind] = useState<EntryKind>(entry.kind);
  const [text, setText] = useState(entry.text);
  const [at, setAt] = useState(initialAt);
  const apply = useIncidents((state) => state.apply);

  const { submit, busy, error } = useSubmit(async (fail) => {
    if (!text.trim()) return fail('An entry needs some text');
    // Only what changed is sent: an untouched time keeps its seconds.
    const changedAt = at !== initialAt ? fromLocalInput(at) : null;
    if (at !== initialAt && !changedAt) return fail('Enter a valid time');
    apply(
      await call('incidents.editEntry', {
        id: incidentId,
        entryId: entry.id,
        kind: kind !== entry.kind ? kind : undefined,
        text: text.trim() !== entry.text ? text.trim() : undefined,
        at: changedAt ?? undefined,
      }),
    );
    onClose();
  });

  return (
    <Dialog
      title="Edit entry"
      onClose={onClose}
      testId="edit-entry-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Save"
          busy={busy}
          testId="save-entry"
        />
      }
    >
      <div className="grid-2">
        <Field label="Kind">
          <KindSelect value={kind} onChange={setKind} testId="edit-entry-kind" />
        </Field>
        <Field label="Happened at" hint="Your local time.">
          <input
            className="input"
            type="datetime-local"
            value={at}
            onChange={(e) => setAt(e.target.value)}
            data-testid="edit-entry-at"
          />
        </Field>
      </div>
      <Field
        label="Text"
        hint="The earlier wording stays in the entry's revisions and the history."
      >
        <textarea
          className="textarea"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={4}
          data-testid="edit-entry-text"
        />
      </Field>
      <FormError message={error} />
    </Dialog>
  );
}
