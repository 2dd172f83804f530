import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { useHealth } from '../../stores/health';
import { useUi } from '../../stores/ui';

/** Confirms `chmod 600` of a secret file on its host before Rekey runs it over SSH. */
export function TightenDialog({
  host,
  path,
  onClose,
}: {
  host: string;
  path: string;
  onClose(): void;
}) {
  const fix = useHealth((state) => state.fix);
  const toast = useUi((state) => state.toast);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await fix(host, path);
      toast(
        'success',
        `${result.path} on ${result.host}: mode ${result.modeBefore} → ${result.modeAfter}`,
      );
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Tighten the file mode"
      onClose={onClose}
      testId="tighten-dialog"
      locked={busy}
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void (busy ? undefined : confirm())}
          label="Run chmod 600"
          testId="confirm-tighten"
          busy={busy}
        />
      }
    >
      <p>
        Rekey will run <code>chmod 600 {path}</code> on <strong>{host}</strong>: only the
        file&apos;s owner can read and write it afterwards. A service that reads it as another user
        (its group) stops reading it: check who reads it first. The change is recorded in the
        history.
      </p>
      <FormError message={error} />
    </Dialog>
  );
}
