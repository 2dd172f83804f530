import { useState } from 'react';
import type { HostSummary } from '../../../../shared/model';
import { formatTime } from '../../components/badges';
import { Icon } from '../../components/icons';
import { useHosts } from '../../stores/hosts';
import { useUi } from '../../stores/ui';
import { HostCompromisedDialog } from '../incidents/HostCompromisedDialog';
import { ConnectionResult, useConnectionTest } from './ConnectionTest';
import { HostKeyBadge, endpointText, loginText } from './HostBadges';
import { HostDialog } from './HostDialog';
import { HostKeyDialog } from './HostKeyDialog';
import { PublicKeyBox } from './PublicKeyBox';
import { RemoveHostDialog } from './RemoveHostDialog';

/** The selected host beside the table: how Rekey reaches it, logs in and knows it is the one. */
export function HostDetail({ host }: { host: HostSummary }) {
  const select = useHosts((state) => state.select);
  const openDialog = useUi((state) => state.openDialog);
  const [dialog, setDialog] = useState<'key' | 'edit' | 'remove' | 'compromised' | null>(null);
  // A result stays valid only for the endpoint and pin it was measured against.
  const test = useConnectionTest(host.name, `${host.updatedAt}|${host.hostKey?.fingerprint}`);

  return (
    <aside className="detail" data-testid="host-detail" aria-label={`Host ${host.name}`}>
      <div className="detail-header">
        <div className="detail-title">
          <h2 className="spacer mono" data-testid="host-detail-name">
            {host.name}
          </h2>
          <button
            className="button ghost small"
            onClick={() => select(null)}
            aria-label="Close detail"
          >
            <Icon name="close" />
          </button>
        </div>
        <div className="row">
          <HostKeyBadge hostKey={host.hostKey} />
          <span className="badge">{loginText(host)}</span>
        </div>
        <div className="row wrap detail-actions">
          <button
            className="button small"
            onClick={() => test.state.phase !== 'running' && void test.run()}
            aria-busy={test.state.phase === 'running'}
            data-testid="test-connection"
          >
            <Icon name="refresh" /> Test connection
          </button>
          <button
            className="button small"
            onClick={() => setDialog('key')}
            data-testid="trust-host-key-button"
          >
            <Icon name="shield" /> Trust host key…
          </button>
          <button
            className="button small"
            onClick={() => setDialog('edit')}
            data-testid="edit-host"
          >
            <Icon name="edit" /> Edit
          </button>
          {/* Through the shared dialog slot: the palette opens the same scan of this host. */}
          <button
            className="button small"
            onClick={() => openDialog('scan-host')}
            data-testid="scan-host"
          >
            <Icon name="search" /> Scan for secrets…
          </button>
          <button
            className="button small danger"
            onClick={() => setDialog('compromised')}
            title="Someone else got in: every secret it held counts as exposed"
            data-testid="host-compromised"
          >
            <Icon name="alert" /> Host compromised…
          </button>
        </div>
        <ConnectionResult state={test.state} />
      </div>
      <EndpointSection host={host} />
      <LoginSection host={host} />
      <HostKeySection host={host} />
      <UsageSection host={host} />
      <div className="detail-section">
        <div className="row">
          <span className="field-hint spacer">
            Rekey refuses while a deployment, a jump chain or a secret&apos;s target still uses this
            host.
          </span>
          <button
            className="button small danger"
            onClick={() => setDialog('remove')}
            data-testid="remove-host"
          >
            <Icon name="trash" /> Remove host
          </button>
        </div>
      </div>
      {dialog === 'key' ? <HostKeyDialog host={host} onClose={() => setDialog(null)} /> : null}
      {dialog === 'edit' ? <HostDialog host={host} onClose={() => setDialog(null)} /> : null}
      {dialog === 'compromised' ? (
        <HostCompromisedDialog host={host.name} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'remove' ? (
        <RemoveHostDialog host={host} onClose={() => setDialog(null)} />
      ) : null}
    </aside>
  );
}

function EndpointSection({ host }: { host: HostSummary }) {
  return (
    <div className="detail-section">
      <h3>Endpoint</h3>
      <dl className="meta-list" data-testid="host-endpoint">
        <dt>SSH</dt>
        <dd className="mono">{endpointText(host)}</dd>
        <dt>Jump host</dt>
        <dd>{host.jump ?? 'none: direct connection'}</dd>
        <dt>Added</dt>
        <dd>{formatTime(host.createdAt)}</dd>
      </dl>
    </div>
  );
}

function LoginSection({ host }: { host: HostSummary }) {
  const { auth } = host;
  return (
    <div className="detail-section" data-testid="host-login">
      <h3>Login</h3>
      {auth.kind === 'agent' ? (
        <p className="muted">
          Rekey asks your running ssh-agent to log in as <span className="mono">{host.user}</span>;
          no key for this host is stored in the vault.
        </p>
      ) : (
        <>
          <dl className="meta-list">
            <dt>Key</dt>
            <dd>
              kept in the vault
              {auth.passphraseProtected ? ', protected with a passphrase' : ''}
            </dd>
            <dt>Fingerprint</dt>
            <dd className="mono">{auth.keyFingerprint}</dd>
          </dl>
          <PublicKeyBox publicKey={auth.publicKey} user={host.user} />
        </>
      )}
    </div>
  );
}

function HostKeySection({ host }: { host: HostSummary }) {
  const { hostKey } = host;
  return (
    <div className="detail-section" data-testid="host-key">
      <h3>Pinned host key</h3>
      {hostKey ? (
        <dl className="meta-list">
          <dt>Algorithm</dt>
          <dd className="mono">{hostKey.algorithm}</dd>
          <dt>Fingerprint</dt>
          <dd className="mono" data-testid="pinned-host-key">
            {hostKey.fingerprint}
          </dd>
          <dt>Trusted</dt>
          <dd>{formatTime(hostKey.trustedAt)}</dd>
        </dl>
      ) : (
        <div className="notice">
          Not trusted yet: Rekey will not connect until you compare and trust the key this host
          presents (Trust host key…).
        </div>
      )}
    </div>
  );
}

function UsageSection({ host }: { host: HostSummary }) {
  return (
    <div className="detail-section" data-testid="host-usage">
      <h3>Used by</h3>
      <dl className="meta-list">
        <dt>Deployments</dt>
        <dd>{host.deployments.length ? host.deployments.join(', ') : 'none yet'}</dd>
        <dt>Secrets</dt>
        <dd>
          {host.targets === 0
            ? 'no secret has a target here yet'
            : `${host.targets} ${host.targets === 1 ? 'secret lives' : 'secrets live'} here`}
        </dd>
      </dl>
    </div>
  );
}
