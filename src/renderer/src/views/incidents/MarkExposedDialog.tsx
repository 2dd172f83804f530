import { useState } from 'react';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useIncidents } from '../../stores/incidents';
import { useSession } from '../../stores/session';
import { useUi } from '../../stores/ui';
import { IncidentChoice } from './IncidentChoice';
import { onEnter } from './keys';
import { SeveritySelect } from './SeveritySelect';
import { fromLocalInput, toLocalInput } from './time';

/**
 * "This value leaked": flags the secret's current version as exposed, opens an incident (or
 * adds it to one already open) and goes to it, where the leak response waits.
 */
export function MarkExposedDialog({ refName, onClose }: { refName: string; onClose(): void }) {
  const [incident, setIncident] = useState('');
  const [severity, setSeverity] = useState(1);
  const [text, setText] = useState('');
  const [now] = useState(() => toLocalInput(new Date()));
  const [detectedAt, setDetectedAt] = useState(now);
  const navigate = useSession((state) => state.navigate);
  const toast = useUi((state) => state.toast);

  const { submit, busy, error } = useSubmit(async (fail) => {
    // Left at "now" (to the minute), it is now to the second.
    const detected = detectedAt === now || !detectedAt ? null : fromLocalInput(detectedAt);
    if (detectedAt && detectedAt !== now && !detected) return fail('Enter a valid time');
    const result = await call('incidents.exposed', {
      ref: refName,
      incident: incident || undefined,
      severity,
      text: text.trim(),
      detectedAt: detected ?? undefined,
    });
    const store = useIncidents.getState();
    onClose();
    store.apply(result.incident);
    await store.open(result.incident.id, result.incident);
    store.setResponse(result.ref, result.steps);
    navigate('incidents');
    toast('info', `${refName} is marked exposed: follow the response to replace it`);
  });

  return (
    <Dialog
      title={`Mark ${refName} as exposed`}
      onClose={onClose}
      testId="mark-exposed-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Mark as exposed"
          tone="danger"
          busy={busy}
          testId="confirm-exposed"
        />
      }
    >
      <p className="muted">
        Its current value counts as known to others from now on: the secret is flagged compromised,
        and the incident lists what to do until the value is replaced everywhere. Nothing changes on
        your servers yet.
      </p>
      <div className="stack" onKeyDown={(event) => onEnter(event, submit)}>
        <div className="grid-2">
          <Field label="Incident">
            <IncidentChoice value={incident} onChange={setIncident} testId="exposed-incident" />
          </Field>
          <Field label="Severity" hint={incident ? 'The incident keeps its own.' : undefined}>
            <SeveritySelect
              value={severity}
              onChange={setSeverity}
              disabled={incident !== ''}
              testId="exposed-severity"
            />
          </Field>
        </div>
        <Field label="What happened" hint="How it leaked and how you found out.">
          <textarea
            className="textarea"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="e.g. the .env was in a public GitHub repository for two days"
            data-testid="exposed-text"
          />
        </Field>
        <Field label="Detected at" hint="Your local time.">
          <input
            className="input"
            type="datetime-local"
            value={detectedAt}
            onChange={(e) => setDetectedAt(e.target.value)}
            data-testid="exposed-detected-at"
          />
        </Field>
      </div>
      <FormError message={error} />
    </Dialog>
  );
}
