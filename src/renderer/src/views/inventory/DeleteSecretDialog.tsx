import { useState } from 'react';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useSecrets } from '../../stores/secrets';
import { useUi } from '../../stores/ui';

/** Removing needs the name typed out; the versions stay in the history either way. */
export function DeleteSecretDialog({ refName, onClose }: { refName: string; onClose(): void }) {
  const [typed, setTyped] = useState('');
  const select = useSecrets((state) => state.select);
  const load = useSecrets((state) => state.load);
  const toast = useUi((state) => state.toast);

  const { submit, busy, error } = useSubmit(async () => {
    await call('secrets.remove', { ref: refName });
    await select(null);
    await load();
    toast('success', `Removed ${refName} from the inventory`);
    onClose();
  });

  return (
    <Dialog
      title="Delete secret"
      onClose={onClose}
      testId="delete-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Delete"
          tone="danger"
          busy={busy}
          disabled={typed !== refName}
          testId="confirm-delete"
        />
      }
    >
      <p>
        <strong className="mono">{refName}</strong> leaves the inventory. Its versions stay in the
        history, and nothing changes on your servers.
      </p>
      <Field label="Type its name to confirm">
        <input
          className="input mono"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          data-testid="confirm-delete-name"
        />
      </Field>
      <FormError message={error} />
    </Dialog>
  );
}
