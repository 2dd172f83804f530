import type { HostSummary } from '../../../../shared/model';
import { call } from '../../api/client';
import { Dialog, DialogActions } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useHosts } from '../../stores/hosts';
import { useUi } from '../../stores/ui';

/**
 * Removing a host forgets its login key and pinned host key. The core refuses while a
 * deployment, a jump chain or a secret's target still names it, and says which: shown here.
 */
export function RemoveHostDialog({ host, onClose }: { host: HostSummary; onClose(): void }) {
  const load = useHosts((state) => state.load);
  const select = useHosts((state) => state.select);
  const toast = useUi((state) => state.toast);

  const { submit, busy, error } = useSubmit(async () => {
    await call('hosts.remove', { name: host.name });
    select(null);
    await load();
    toast('success', `Removed host ${host.name}`);
    onClose();
  });

  return (
    <Dialog
      title="Remove host"
      onClose={onClose}
      testId="remove-host-dialog"
      footer={
        <DialogActions
          onCancel={onClose}
          onConfirm={() => void submit()}
          label="Remove"
          tone="danger"
          busy={busy}
          testId="confirm-remove-host"
        />
      }
    >
      <p>
        Rekey forgets <strong className="mono">{host.name}</strong>
        {host.auth.kind === 'key' ? ', the login key it keeps for it' : ''} and its pinned host key.
        Nothing changes on the server
        {host.auth.kind === 'key'
          ? ': remove the public key from its authorized_keys yourself if it should not be used again.'
          : '.'}
      </p>
      <FormError message={error} />
    </Dialog>
  );
}
