import type { HostSummary } from '../../../../shared/model';
import { call } from '../../api/client';
import { ConfirmRemoveDialog } from '../../components/ConfirmRemoveDialog';
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
  return (
    <ConfirmRemoveDialog
      title="Remove host"
      testId="remove-host-dialog"
      confirmTestId="confirm-remove-host"
      remove={async () => {
        await call('hosts.remove', { name: host.name });
        select(null);
        await load();
        toast('success', `Removed host ${host.name}`);
      }}
      onClose={onClose}
    >
      <p>
        Rekey forgets <strong className="mono">{host.name}</strong>
        {host.auth.kind === 'key' ? ', the login key it keeps for it' : ''} and its pinned host key.
        Nothing changes on the server
        {host.auth.kind === 'key'
          ? ': remove the public key from its authorized_keys yourself if it should not be used again.'
          : '.'}
      </p>
    </ConfirmRemoveDialog>
  );
}
