import { type SshConnector, connectSsh } from './ssh-connector';
import type { SshEndpoint } from './ssh-endpoint';

/**
 * One connection per host for a run: every step that touches the same host shares it, and
 * concurrent first uses wait for the same connection instead of opening several. A connection
 * that is lost is dropped from the pool, so the next step reconnects (and re-verifies).
 */
export class SshPool {
  private readonly connections = new Map<string, Promise<SshConnector>>();

  get(endpoint: SshEndpoint): Promise<SshConnector> {
    const key = poolKey(endpoint);
    const existing = this.connections.get(key);
    if (existing) return existing;
    const connecting = connectSsh(endpoint);
    this.connections.set(key, connecting);
    const forget = () => {
      if (this.connections.get(key) === connecting) this.connections.delete(key);
    };
    connecting.then((connector) => connector.onClose(forget), forget);
    return connecting;
  }

  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.allSettled(all.map(async (connecting) => (await connecting).close()));
  }
}

/** Same address, login, pin and route = same connection; credentials are not part of it. */
function poolKey(endpoint: SshEndpoint): string {
  const { name, address, port, user, pinnedFingerprint, auth, jump } = endpoint;
  return JSON.stringify([
    name,
    address,
    port,
    user,
    pinnedFingerprint,
    auth.kind,
    jump ? poolKey(jump) : null,
  ]);
}
