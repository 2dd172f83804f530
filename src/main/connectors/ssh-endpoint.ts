/** How to reach one SSH host and how to know it is the right one. */
export interface SshEndpoint {
  /** The host's name in Rekey, used in every message. */
  name: string;
  address: string;
  port: number;
  user: string;
  auth: SshAuth;
  /**
   * The trusted host key, `SHA256:...` as OpenSSH prints it. null = not pinned yet: the
   * connection is refused with HOST_KEY_UNKNOWN naming the presented fingerprint, for the
   * user to confirm (see probeHostKey).
   */
  pinnedFingerprint: string | null;
  /** Connect through this host (an SSH tunnel from it), which is verified with its own pin. */
  jump?: SshEndpoint;
  /** TCP connect + handshake + login must finish within this; default 20 s. */
  readyTimeoutMs?: number;
  /** SSH keepalive period; the connection counts as lost after 3 unanswered; default 15 s. */
  keepaliveIntervalMs?: number;
  /**
   * Commands run at the same time on this connection (each needs a channel; sshd allows
   * MaxSessions = 10 by default, one of which is the SFTP session); default 8.
   */
  maxConcurrentCommands?: number;
}

export type SshAuth =
  { kind: 'key'; privateKey: string; passphrase?: string } | { kind: 'agent'; socket: string };

/** What probeHostKey needs: no credentials, no pin (a jump host still needs both). */
export type SshProbeEndpoint = Omit<SshEndpoint, 'pinnedFingerprint' | 'auth'>;

/** `name (user@address:port)`, how messages name a host. */
export function describeEndpoint(endpoint: SshProbeEndpoint): string {
  const address = endpoint.address.includes(':') ? `[${endpoint.address}]` : endpoint.address;
  return `${endpoint.name} (${endpoint.user}@${address}:${endpoint.port})`;
}
