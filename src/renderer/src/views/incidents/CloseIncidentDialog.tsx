import { useState } from 'react';
import type { IncidentDetail } from '../../../../shared/incident-api';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useIncidents } from '../../stores/incidents';
import { useUi } from '../../stores/ui';

/** Closing writes the incident up: what happened in a few lines, and what is left to do. */
export function CloseIncidentDialog({
  detail,
  onClose,
}: {
  detail: IncidentDetail;
  onClose(): void;
}) {
  const [summary, setSummary] = useState(detail.summary);
  const [followUps, setFollowUps] = useState('');
  const apply = useIncidents((state) => state.apply);
  const toast = useUi((state) => state.toast);
  const stillExposed = detail.affectedSecrets.filter((secret) => secret.stillExposed);

  const { submit, busy, error } = useSubmit(async (fail) => {
    if (!summary.trim()) return fail('Write a short summary of what happened first');
    apply(
      await call('incidents.setStatus', {
        id: detail.id,
        status: 'closed',
        summary: summary.trim(),
        followUps: followUps
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      }),
    );
    toast('success', 'Incident closed');
    onClose();
  });

  return (
    <Dialog
      title="Close the incident"
      onClose={onClose}
      testId="close-incident-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Close incident"
          busy={busy}
          testId="confirm-close"
        />
      }
    >
      {stillExposed.length ? (
        <div className="notice" role="note">
          {stillExposed.length === 1 ? 'One secret is' : `${stillExposed.length} secrets are`} still
          exposed: {stillExposed.map((secret) => secret.ref).join(', ')}. Closing does not change
          that; add a follow-up to rotate {stillExposed.length === 1 ? 'it' : 'them'}.
        </div>
      ) : null}
      <Field label="Summary" hint="What happened, what it touched, how it was handled.">
        <textarea
          className="textarea"
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
          rows={5}
          data-testid="close-summary"
        />
      </Field>
      <Field label="Follow-ups" hint="One per line: what should still be done. Optional.">
        <textarea
          className="textarea"
          value={followUps}
          onChange={(e) => setFollowUps(e.target.value)}
          placeholder={'Move the .env out of the repository\nAdd a pre-commit secret scanner'}
          data-testid="close-followups"
        />
      </Field>
      <FormError message={error} />
    </Dialog>
  );
}
