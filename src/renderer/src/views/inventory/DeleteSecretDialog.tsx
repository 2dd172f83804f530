import { useState } from 'react';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useSecrets } from '../../stores/secrets';
import { useUi } from '../../stores/ui';

/** Removing needs the name typed out; the versions stay in the history either way. */
export function DeleteSecretDialog({ refName, onClose }: { refName: string; onClose(): void }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const select = useSecrets((state) => state.select);
  const load = useSecrets((state) => state.load);
  const toast = useUi((state) => state.toast);

  const remove = async () => {
    try {
      await call('secrets.remove', { ref: refName });
      await select(null);
      await load();
      toast('success', `Removed ${refName} from the inventory`);
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <Dialog
      title="Delete secret"
      onClose={onClose}
      testId="delete-dialog"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button danger solid"
            disabled={typed !== refName}
            onClick={() => void remove()}
            data-testid="confirm-delete"
          >
            Delete
          </button>
        </>
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
