import { useEffect } from 'react';
import { LOCAL_HOST } from '../../../shared/model';
import { Icon } from '../components/icons';
import { Shell } from '../components/Shell';
import { selectedHost, useHosts } from '../stores/hosts';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { ClusterSection } from './hosts/ClusterSection';
import { DeploymentHosts } from './hosts/DeploymentHosts';
import { HostDetail } from './hosts/HostDetail';
import { HostDialog } from './hosts/HostDialog';
import { HostTable } from './hosts/HostTable';
import { ScanDialog } from './hosts/ScanDialog';
import { SshConfigDialog } from './hosts/SshConfigDialog';

/** The servers Rekey reaches over SSH, their logins and pinned keys, and who runs where. */
export function Hosts() {
  const hosts = useHosts((state) => state.hosts);
  const loaded = useHosts((state) => state.loaded);
  const error = useHosts((state) => state.error);
  const load = useHosts((state) => state.load);
  const selected = useHosts(selectedHost);
  const revision = useSession((state) => state.revision);
  const dialog = useUi((state) => state.dialog);
  const openDialog = useUi((state) => state.openDialog);

  // Reload whenever the vault changed, here or in another window.
  useEffect(() => {
    void load();
  }, [load, revision]);

  return (
    <Shell
      flush
      actions={
        <>
          <button
            className="button"
            onClick={() => openDialog('scan-local')}
            title="Find the secrets the services on this machine already use"
            data-testid="scan-local"
          >
            <Icon name="search" /> Scan this machine
          </button>
          <button
            className="button"
            onClick={() => openDialog('import-ssh-config')}
            data-testid="import-ssh-config-button"
          >
            <Icon name="upload" /> Import from ~/.ssh/config
          </button>
          <button
            className="button primary"
            onClick={() => openDialog('add-host')}
            data-testid="add-host-button"
          >
            <Icon name="plus" /> Add host
          </button>
        </>
      }
    >
      <div className="inventory" data-testid="screen-hosts">
        <div className="inventory-main">
          {error ? <div className="form-error">{error}</div> : null}
          {loaded && hosts.length === 0 ? (
            <NoHosts />
          ) : (
            <HostTable hosts={hosts} compact={selected !== null} />
          )}
          <ClusterSection />
          <DeploymentHosts />
          <div className="table-footer" data-testid="hosts-footer">
            {hosts.length} {hosts.length === 1 ? 'host' : 'hosts'}
            {hosts.length ? ' · ↑↓ to move, Enter for actions, Esc to close' : ''}
          </div>
        </div>
        {selected ? <HostDetail key={selected.name} host={selected} /> : null}
      </div>
      {dialog === 'add-host' ? <HostDialog onClose={() => openDialog(null)} /> : null}
      {dialog === 'import-ssh-config' ? <SshConfigDialog onClose={() => openDialog(null)} /> : null}
      {dialog === 'scan-host' || dialog === 'scan-local' ? (
        <ScanDialog
          initialHost={dialog === 'scan-host' && selected ? selected.name : LOCAL_HOST}
          onClose={() => openDialog(null)}
        />
      ) : null}
    </Shell>
  );
}

/** First visit: what a host is to Rekey, and the two ways to add one. */
function NoHosts() {
  const openDialog = useUi((state) => state.openDialog);
  return (
    <div className="empty hosts-empty" data-testid="hosts-empty">
      <Icon name="server" size={28} />
      <strong>No hosts yet</strong>
      <p className="muted">
        A host is a server Rekey reaches over SSH to write secrets into its files, restart services
        and check they came back. Rekey logs in with a key kept in the vault (or your ssh-agent) and
        only to servers whose host key you confirmed. <span className="mono">local</span>, this
        machine, is always there.
      </p>
      <div className="row">
        <button className="button" onClick={() => openDialog('import-ssh-config')}>
          Import from ~/.ssh/config
        </button>
        <button className="button primary" onClick={() => openDialog('add-host')}>
          Add host
        </button>
      </div>
    </div>
  );
}
