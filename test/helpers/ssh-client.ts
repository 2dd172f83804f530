import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { afterEach } from 'vitest';
import { type SshConnector, type SshEndpoint, connectSsh } from '../../src/main/connectors/ssh';
import type { SshdServer } from './sshd-server';

/** Connector tests against the private sshd of `sshd.ts`: endpoints, failures, waiting. */

/** An endpoint for the test server: its pinned key, the plain client key, overridable. */
export function endpointOf(server: SshdServer, overrides: Partial<SshEndpoint> = {}): SshEndpoint {
  return {
    name: 'vps-test',
    address: '127.0.0.1',
    port: server.port,
    user: server.user,
    auth: { kind: 'key', privateKey: readFileSync(server.clientKeys.plain, 'utf8') },
    pinnedFingerprint: server.hostKeyFingerprint,
    readyTimeoutMs: 10_000,
    ...overrides,
  };
}

export async function failureOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a failure, but the operation succeeded');
}

/** The message of an error and of every cause behind it. */
export function messagesOf(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) {
    parts.push(current.message, String(current));
  }
  return parts.join('\n');
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Every process's command line on this machine (the sshd under test runs here). */
export function processArgs(): string {
  return execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
}

/** How many logins the server has accepted so far. */
export function acceptedLogins(server: SshdServer): number {
  return server
    .log()
    .split('\n')
    .filter((line) => line.startsWith('Accepted publickey')).length;
}

/** Connections opened by a test, closed after it whatever happens. */
export function useConnections() {
  const open: SshConnector[] = [];
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((connector) => connector.close()));
  });
  return async (endpoint: SshEndpoint) => {
    const connector = await connectSsh(endpoint);
    open.push(connector);
    return connector;
  };
}

/** A TCP server that accepts connections and never says a word (no SSH banner). */
export async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
