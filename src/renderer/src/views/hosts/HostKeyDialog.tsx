import { useCallback, useEffect, useState } from 'react';
import type { HostKeyProbe } from '../../../../shared/api';
import type { HostSummary } from '../../../../shared/model';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { useHosts } from '../../stores/hosts';
import { useUi } from '../../stores/ui';

/** Where OpenSSH keeps the server's public host key of each algorithm. */
function hostKeyFile(algorithm: string): string {
  if (algorithm === 'ssh-rsa' || algorithm.startsWith('rsa-')) return 'ssh_host_rsa_key.pub';
  if (algorithm.startsWith('ecdsa-')) return 'ssh_host_ecdsa_key.pub';
  return 'ssh_host_ed25519_key.pub';
}

/**
 * Pinning a host key: look at what the host presents now, compare it on the server, then
 * trust exactly the fingerprint that was shown. The core looks again before pinning, so a
 * key that changed while the dialog was open is refused, and that refusal is shown here.
 */
export function HostKeyDialog({ host, onClose }: { host: HostSummary; onClose(): void }) {
  const [probe, setProbe] = useState<HostKeyProbe | null>(null);
  const [probeError, setProbeError] = useState<string | null>(null);
  const [trustError, setTrustError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useHosts((state) => state.load);
  const toast = useUi((state) => state.toast);

  const look = useCallback(async () => {
    setProbe(null);
    setProbeError(null);
    setTrustError(null);
    try {
      setProbe(await call('hosts.probe', { name: host.name }));
    } catch (error) {
      setProbeError(errorMessage(error));
    }
  }, [host.name]);

  useEffect(() => {
    void look();
  }, [look]);

  const trust = async (shown: HostKeyProbe) => {
    if (busy) return;
    setBusy(true);
    setTrustError(null);
    try {
      await call('hosts.trust', { name: host.name, fingerprint: shown.fingerprint });
      await load();
      toast('success', `Trusted the host key of ${host.name}`);
      onClose();
    } catch (error) {
      setTrustError(errorMessage(error));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Host key of ${host.name}`}
      onClose={onClose}
      testId="host-key-dialog"
      footer={
        <HostKeyActions
          host={host}
          probe={probe}
          busy={busy}
          onLookAgain={() => void look()}
          onTrust={(shown) => void trust(shown)}
          onClose={onClose}
        />
      }
    >
      {probeError ? <FormError message={probeError} /> : null}
      {!probe && !probeError ? (
        <p className="muted" aria-busy="true">
          Connecting to {host.address}:{host.port} to see its host key…
        </p>
      ) : null}
      {probe?.status === 'unknown' ? <UnknownKey probe={probe} /> : null}
      {probe?.status === 'match' ? <MatchingKey probe={probe} /> : null}
      {probe?.status === 'changed' ? (
        <ChangedKey
          probe={probe}
          hostName={host.name}
          busy={busy}
          onReplace={() => void trust(probe)}
        />
      ) : null}
      <FormError message={trustError} />
    </Dialog>
  );
}

function HostKeyActions(props: {
  host: HostSummary;
  probe: HostKeyProbe | null;
  busy: boolean;
  onLookAgain(): void;
  onTrust(probe: HostKeyProbe): void;
  onClose(): void;
}) {
  const { probe } = props;
  return (
    <>
      <button className="button" onClick={props.onLookAgain} data-testid="probe-again">
        <Icon name="refresh" /> Look again
      </button>
      <span className="spacer" />
      <button className="button" onClick={props.onClose}>
        {probe?.status === 'unknown' ? 'Cancel' : 'Close'}
      </button>
      {probe?.status === 'unknown' ? (
        <button
          className="button primary"
          aria-busy={props.busy}
          onClick={() => props.onTrust(probe)}
          data-testid="trust-host-key"
        >
          <Icon name="shield" /> Trust
        </button>
      ) : null}
    </>
  );
}

function Fingerprint({ probe }: { probe: HostKeyProbe }) {
  return (
    <div className="fingerprint-box">
      <span className="faint mono" data-testid="probed-algorithm">
        {probe.algorithm}
      </span>
      <span className="fingerprint" data-testid="probed-fingerprint">
        {probe.fingerprint}
      </span>
    </div>
  );
}

function CompareHint({ algorithm }: { algorithm: string }) {
  return (
    <p className="muted">
      Compare it with what the server itself says. On the server, run{' '}
      <code className="command">ssh-keygen -lf /etc/ssh/{hostKeyFile(algorithm)}</code> and check
      that the <code>SHA256:</code> part is the same, character for character.
    </p>
  );
}

function UnknownKey({ probe }: { probe: HostKeyProbe }) {
  return (
    <>
      <p>Rekey has not trusted this host yet. It presents this key:</p>
      <Fingerprint probe={probe} />
      <CompareHint algorithm={probe.algorithm} />
      <p className="field-hint">
        Once trusted, Rekey refuses to connect if the host ever presents another key.
      </p>
    </>
  );
}

function MatchingKey({ probe }: { probe: HostKeyProbe }) {
  return (
    <>
      <div className="notice ok" data-testid="host-key-status" data-status="match">
        <Icon name="check" /> This key is already trusted: it is the one pinned for this host.
      </div>
      <Fingerprint probe={probe} />
    </>
  );
}

function ChangedKey(props: {
  probe: HostKeyProbe;
  hostName: string;
  busy: boolean;
  onReplace(): void;
}) {
  const { probe, hostName } = props;
  const [typed, setTyped] = useState('');
  return (
    <>
      <div
        className="host-key-warning"
        role="alert"
        data-testid="host-key-status"
        data-status="changed"
      >
        <strong>
          <Icon name="alert" /> The host key of {hostName} has changed
        </strong>
        <dl className="meta-list fingerprints">
          <dt>Pinned</dt>
          <dd className="mono" data-testid="pinned-fingerprint">
            {probe.pinned}
          </dd>
          <dt>Presented now</dt>
          <dd className="mono" data-testid="presented-fingerprint">
            {probe.fingerprint}
          </dd>
        </dl>
        <span>
          Rekey refuses to connect until you decide. Either someone is intercepting the connection
          (a man-in-the-middle) and would see every secret Rekey writes there, or the server was
          reinstalled or its keys regenerated. Replace the pin only if you know it is the second.
        </span>
      </div>
      <Fingerprint probe={probe} />
      <CompareHint algorithm={probe.algorithm} />
      <Field label={`Type ${hostName} to replace the pin with the key presented now`}>
        <input
          className="input mono"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          data-testid="confirm-replace-name"
        />
      </Field>
      <div className="row">
        <span className="spacer" />
        <button
          className="button danger solid"
          disabled={typed !== hostName}
          aria-busy={props.busy}
          onClick={props.onReplace}
          data-testid="replace-host-key"
        >
          Replace the pin
        </button>
      </div>
    </>
  );
}
