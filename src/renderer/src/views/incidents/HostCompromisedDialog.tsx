import { useState } from 'react';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useIncidents } from '../../stores/incidents';
import { type HostCompromised, HostCompromisedResult } from './HostCompromisedResult';
import { IncidentChoice } from './IncidentChoice';
import { SeveritySelect } from './SeveritySelect';

/**
 * "Someone else got into this host": every secret it held counts as exposed. The dialog opens
 * or joins the incident, then shows those secrets ranked by damage and a rotation per deployment.
 */
export function HostCompromisedDialog({ host, onClose }: { host: string; onClose(): void }) {
  const [incident, setIncident] = useState('');
  const [severity, setSeverity] = useState(1);
  const [text, setText] = useState('');
  const [result, setResult] = useState<HostCompromised | null>(null);

  const { submit, busy, error } = useSubmit(async () => {
    const outcome = await call('incidents.hostCompromised', {
      host,
      incident: incident || undefined,
      severity,
      text: text.trim(),
    });
    useIncidents.getState().apply(outcome.incident);
    setResult(outcome);
  });

  if (result) {
    return (
      <Dialog title={`${host} compromised`} onClose={onClose} testId="host-compromised-dialog">
        <HostCompromisedResult result={result} onLeave={onClose} />
      </Dialog>
    );
  }

  return (
    <Dialog
      title={`Host ${host} compromised`}
      onClose={onClose}
      testId="host-compromised-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Record and plan"
          tone="danger"
          busy={busy}
          testId="confirm-host-compromised"
        />
      }
    >
      <p className="muted">
        Every secret with a target on <span className="mono">{host}</span>, or ever written there,
        counts as exposed. Rekey records that in an incident and plans their rotation; nothing
        changes on your servers until you run it.
      </p>
      <div className="grid-2">
        <Field label="Incident">
          <IncidentChoice value={incident} onChange={setIncident} testId="compromised-incident" />
        </Field>
        <Field label="Severity" hint={incident ? 'The incident keeps its own.' : undefined}>
          <SeveritySelect
            value={severity}
            onChange={setSeverity}
            disabled={incident !== ''}
            testId="compromised-severity"
          />
        </Field>
      </div>
      <Field label="What happened" hint="What you saw, and since when.">
        <textarea
          className="textarea"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="e.g. unknown SSH logins in auth.log since Tuesday"
          data-testid="compromised-text"
        />
      </Field>
      <FormError message={error} />
    </Dialog>
  );
}
