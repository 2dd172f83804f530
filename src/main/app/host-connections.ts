import { RekeyError } from '../../shared/errors';
import { LOCAL_HOST } from '../../shared/model';
import type { Connector } from '../connectors/connector';
import { LocalConnector } from '../connectors/local';
import { HostKeyError, type SshEndpoint, SshPool, probeHostKey } from '../connectors/ssh';
import { findHost, recordHostKeyRefused } from '../vault/host-changes';
import type { HostRecord, VaultState } from '../vault/state';
import type { AppSession } from './session';

/**
 * The SSH side of a session: one connection per host, kept while the vault is unlocked (the
 * keys it logged in with are in the vault) and closed when it locks. A refused host key is
 * written to the history before the error reaches the user.
 */

type ProbeTarget = Parameters<typeof probeHostKey>[0];

export class HostConnections {
  #pool = new SshPool();

  constructor(private readonly session: AppSession) {
    session.onLock(() => {
      const pool = this.#pool;
      this.#pool = new SshPool();
      void pool.closeAll();
    });
  }

  async connect(name: string) {
    const vault = this.session.requireVault();
    await vault.refresh();
    const endpoint = endpointOf(vault.state, findHost(vault.state, name));
    try {
      return await this.#pool.get(endpoint);
    } catch (error) {
      if (error instanceof HostKeyError && error.code === 'HOST_KEY_MISMATCH' && error.expected) {
        const { expected, presented } = error;
        await vault.transact((t) => recordHostKeyRefused(t, error.host, expected, presented));
      }
      throw error;
    }
  }

  /** A connector for `local` (this machine) or a host of the vault. */
  async connector(name: string): Promise<Connector> {
    return name === LOCAL_HOST ? new LocalConnector() : this.connect(name);
  }

  async probe(name: string) {
    const vault = this.session.requireVault();
    await vault.refresh();
    const host = findHost(vault.state, name);
    const endpoint = endpointOf(vault.state, host);
    const target: ProbeTarget = {
      name: endpoint.name,
      address: endpoint.address,
      port: endpoint.port,
      user: endpoint.user,
      ...(endpoint.jump ? { jump: endpoint.jump } : {}),
    };
    return { host, key: await probeHostKey(target) };
  }
}

/** The connection settings of a host and, recursively, of its jump hosts. */
export function endpointOf(state: Readonly<VaultState>, host: HostRecord, depth = 0): SshEndpoint {
  if (depth > 8) throw new RekeyError('INVALID_INPUT', `Jump chain of ${host.name} is too long`);
  const auth: SshEndpoint['auth'] =
    host.auth.kind === 'key'
      ? {
          kind: 'key',
          privateKey: host.auth.privateKey.reveal(),
          ...(host.auth.passphrase ? { passphrase: host.auth.passphrase.reveal() } : {}),
        }
      : { kind: 'agent', socket: agentSocket(host.name) };
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    auth,
    pinnedFingerprint: host.hostKey?.fingerprint ?? null,
    ...(host.jump ? { jump: endpointOf(state, findHost(state, host.jump), depth + 1) } : {}),
  };
}

function agentSocket(host: string): string {
  const socket = process.env['SSH_AUTH_SOCK'];
  if (!socket) {
    throw new RekeyError(
      'AUTH_FAILED',
      `Host ${host} logs in with ssh-agent, but no agent is running (SSH_AUTH_SOCK is not set)`,
    );
  }
  return socket;
}
