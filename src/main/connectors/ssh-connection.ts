import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { RekeyError } from '../../shared/errors';
import { type PresentedHostKey, checkHostKey, describeHostKey } from './host-key';
import { type SshEndpoint, type SshProbeEndpoint, describeEndpoint } from './ssh-endpoint';
import { handshakeFailure, tunnelFailure, unreadableKey } from './ssh-errors';

const DEFAULT_READY_TIMEOUT_MS = 20_000;
const DEFAULT_KEEPALIVE_INTERVAL_MS = 15_000;
const KEEPALIVE_COUNT_MAX = 3;
const END_GRACE_MS = 2_000;

/** An authenticated SSH connection to a verified host (and the tunnel it runs in, if any). */
export interface SshLink {
  readonly client: Client;
  /** How messages name the host. */
  readonly label: string;
  isOpen(): boolean;
  /** Calls `listener` once when the connection is gone, closed by us or lost. */
  onClose(listener: () => void): void;
  /** Ends the connection and its tunnel; resolves when both are gone. Safe to call twice. */
  end(): Promise<void>;
}

/** Connects, verifies the host key against the pin, logs in. */
export async function openLink(endpoint: SshEndpoint): Promise<SshLink> {
  const label = describeEndpoint(endpoint);
  const jump = endpoint.jump ? await openLink(endpoint.jump) : null;
  let client: Client;
  try {
    const sock = jump ? await tunnel(jump, endpoint, label) : undefined;
    client = await handshake(endpoint, label, sock, authConfig(endpoint), (presented) =>
      checkHostKey(endpoint.name, label, endpoint.pinnedFingerprint, presented),
    );
  } catch (error) {
    await jump?.end();
    throw error;
  }
  return track(client, label, jump);
}

/**
 * Connects only as far as the key exchange, which is where the server proves it holds its
 * host key, and reports that key; no login is attempted. For first-use confirmation.
 */
export async function probeHostKey(endpoint: SshProbeEndpoint): Promise<PresentedHostKey> {
  const label = describeEndpoint(endpoint);
  const jump = endpoint.jump ? await openLink(endpoint.jump) : null;
  let presented: PresentedHostKey | null = null;
  const enough = new RekeyError(
    'HOST_KEY_UNKNOWN',
    `Probe of ${label} stopped after its host key.`,
  );
  try {
    const sock = jump ? await tunnel(jump, endpoint, label) : undefined;
    const client = await handshake(endpoint, label, sock, {}, (key) => {
      presented = key;
      return enough;
    });
    // Unreachable in practice: the verifier above always refuses.
    client.end();
  } catch (error) {
    if (error !== enough) throw error;
  } finally {
    await jump?.end();
  }
  if (!presented) throw new RekeyError('CONNECTION_LOST', `${label} presented no host key.`);
  return presented;
}

function authConfig(endpoint: SshEndpoint): ConnectConfig {
  const { auth } = endpoint;
  return auth.kind === 'key'
    ? { privateKey: auth.privateKey, passphrase: auth.passphrase, authHandler: ['publickey'] }
    : { agent: auth.socket, authHandler: ['agent'] };
}

/**
 * One ssh2 handshake. The host verifier runs during key exchange, before any credential is
 * sent; when it refuses, the refusal (with the presented fingerprint) is what the caller gets,
 * not ssh2's generic "host denied".
 */
function handshake(
  endpoint: SshProbeEndpoint,
  label: string,
  sock: Duplex | undefined,
  auth: ConnectConfig,
  verify: (presented: PresentedHostKey) => RekeyError | null,
): Promise<Client> {
  const readyTimeout = endpoint.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refusal: RekeyError | null = null;
    let settled = false;
    const fail = (error: RekeyError) => {
      if (settled) return;
      settled = true;
      client.off('ready', onReady);
      // Keep a listener: ssh2 may still emit errors while the socket winds down.
      client.on('error', () => undefined);
      client.end();
      sock?.destroy();
      reject(error);
    };
    const onError = (error: unknown) =>
      fail(refusal ?? handshakeFailure(label, error, readyTimeout));
    const onClose = () =>
      fail(
        refusal ??
          new RekeyError('CONNECTION_LOST', `${label} closed the connection during the handshake.`),
      );
    const onReady = () => {
      if (settled) return;
      settled = true;
      // Commands and SFTP requests are small request/response exchanges: without this,
      // Nagle's algorithm and delayed ACKs add ~40 ms to many of them.
      client.setNoDelay(true);
      client.off('error', onError);
      client.off('close', onClose);
      resolve(client);
    };
    client.once('ready', onReady);
    client.on('error', onError);
    client.once('close', onClose);
    try {
      client.connect({
        host: endpoint.address,
        port: endpoint.port,
        username: endpoint.user,
        sock,
        readyTimeout,
        keepaliveInterval: endpoint.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: KEEPALIVE_COUNT_MAX,
        hostVerifier: (key: Buffer): boolean => {
          refusal = verify(describeHostKey(key));
          return refusal === null;
        },
        ...auth,
      });
    } catch (error) {
      // ssh2 parses the private key synchronously in connect().
      fail(unreadableKey(label, error));
    }
  });
}

/** A TCP connection to the target opened by the jump host, to run the target's SSH over. */
function tunnel(jump: SshLink, target: SshProbeEndpoint, label: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    jump.client.forwardOut('127.0.0.1', 0, target.address, target.port, (error, channel) => {
      if (error) reject(tunnelFailure(jump.label, label, error));
      else resolve(channel);
    });
  });
}

function track(client: Client, label: string, jump: SshLink | null): SshLink {
  let open = true;
  const listeners: (() => void)[] = [];
  const closed = new Promise<void>((resolve) => {
    client.once('close', () => {
      open = false;
      for (const listener of listeners.splice(0)) listener();
      void jump?.end();
      resolve();
    });
  });
  // After the handshake ssh2 reports a dropped socket as an error and then a close; the close
  // is what operations observe, so the error only needs a listener.
  client.on('error', () => undefined);
  return {
    client,
    label,
    isOpen: () => open,
    onClose(listener) {
      if (open) listeners.push(listener);
      else listener();
    },
    async end() {
      if (open) client.end();
      const timer = setTimeout(() => client.destroy(), END_GRACE_MS);
      await closed;
      clearTimeout(timer);
      await jump?.end();
    },
  };
}
