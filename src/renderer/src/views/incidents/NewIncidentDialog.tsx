import { useState } from 'react';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useIncidents } from '../../stores/incidents';
import { useUi } from '../../stores/ui';
import { onEnter } from './keys';
import { SeveritySelect } from './SeveritySelect';
import { fromLocalInput, toLocalInput } from './time';

/** Opens an incident by hand: what it is, how bad, and when it began (now unless told). */
export function NewIncidentDialog({ onClose }: { onClose(): void }) {
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState(2);
  const [summary, setSummary] = useState('');
  const [now] = useState(() => toLocalInput(new Date()));
  const [detectedAt, setDetectedAt] = useState(now);
  const open = useIncidents((state) => state.open);
  const apply = useIncidents((state) => state.apply);
  const toast = useUi((state) => state.toast);

  const { submit, busy, error } = useSubmit(async (fail) => {
    if (!title.trim()) return fail('Give the incident a title');
    // Left at "now" (to the minute), it is now to the second.
    const detected = detectedAt === now ? null : fromLocalInput(detectedAt);
    if (detectedAt !== now && !detected) return fail('Enter a valid time');
    const detail = await call('incidents.open', {
      title: title.trim(),
      severity,
      summary,
      detectedAt: detected ?? undefined,
    });
    apply(detail);
    toast('success', `Opened incident ${detail.title}`);
    onClose();
    await open(detail.id, detail);
  });

  return (
    <Dialog
      title="New incident"
      onClose={onClose}
      testId="new-incident-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Open incident"
          busy={busy}
          testId="create-incident"
        />
      }
    >
      {/* Enter in a one-line field opens the incident. */}
      <div className="stack" onKeyDown={(event) => onEnter(event, submit)}>
        <Field label="Title">
          <input
            className="input"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="e.g. .env of synctv pushed to a public repository"
            maxLength={200}
            data-testid="incident-title"
          />
        </Field>
        <div className="grid-2">
          <Field label="Severity" hint="1 stops everything; 4 can wait for office hours.">
            <SeveritySelect value={severity} onChange={setSeverity} testId="incident-severity" />
          </Field>
          <Field label="Detected at" hint="Your local time.">
            <input
              className="input"
              type="datetime-local"
              value={detectedAt}
              onChange={(e) => setDetectedAt(e.target.value)}
              data-testid="incident-detected-at"
            />
          </Field>
        </div>
        <Field label="Summary" hint="What is known so far; it can be changed later.">
          <textarea
            className="textarea"
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
            data-testid="incident-summary"
          />
        </Field>
      </div>
      <FormError message={error} />
    </Dialog>
  );
}
