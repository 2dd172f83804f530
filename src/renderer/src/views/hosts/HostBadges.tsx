import type { HostSummary } from '../../../../shared/model';
import { Icon } from '../../components/icons';

/** `root@203.0.113.7:22`, the way OpenSSH users write an endpoint. */
export function endpointText(host: Pick<HostSummary, 'user' | 'address' | 'port'>): string {
  // An IPv6 address needs brackets before the port, or the colons run together.
  const address = host.address.includes(':') ? `[${host.address}]` : host.address;
  return `${host.user}@${address}:${host.port}`;
}

/** The first characters after `SHA256:`: enough to recognise a key at a glance. */
export function shortFingerprint(fingerprint: string): string {
  return `${fingerprint.replace(/^SHA256:/, '').slice(0, 8)}…`;
}

export function loginText(host: Pick<HostSummary, 'auth'>): string {
  return host.auth.kind === 'key' ? 'vault key' : 'ssh-agent';
}

/** Trusted (with the start of the pinned fingerprint) or not trusted yet. */
export function HostKeyBadge({ hostKey }: { hostKey: HostSummary['hostKey'] }) {
  if (!hostKey) {
    return (
      <span className="badge warn" data-testid="host-key-state">
        <Icon name="alert" size={12} /> not trusted
      </span>
    );
  }
  return (
    <span className="badge ok" title={hostKey.fingerprint} data-testid="host-key-state">
      <Icon name="shield" size={12} /> trusted{' '}
      <span className="mono">{shortFingerprint(hostKey.fingerprint)}</span>
    </span>
  );
}
