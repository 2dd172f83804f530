import type { Finding, HealthSeverity } from '../../shared/health-api';
import { hostFinding } from './finding';

/**
 * Listening TCP sockets from `ss -tlnH` and the well-known ports that must not face the
 * network: databases, caches, metrics and management APIs. Only sockets bound to a
 * non-loopback address count; a service on 127.0.0.1 or ::1 is reachable from the host alone.
 */

export interface Listener {
  address: string;
  port: number;
}

export interface WellKnownPort {
  service: string;
  role: 'database' | 'cache' | 'metrics' | 'management';
  severity: HealthSeverity;
}

export const WELL_KNOWN_PORTS: ReadonlyMap<number, WellKnownPort> = new Map([
  [5432, { service: 'PostgreSQL', role: 'database', severity: 'high' }],
  [3306, { service: 'MySQL/MariaDB', role: 'database', severity: 'high' }],
  [27017, { service: 'MongoDB', role: 'database', severity: 'high' }],
  [6379, { service: 'Redis', role: 'cache', severity: 'high' }],
  [11211, { service: 'Memcached', role: 'cache', severity: 'high' }],
  [9090, { service: 'Prometheus', role: 'metrics', severity: 'medium' }],
  [9100, { service: 'node_exporter', role: 'metrics', severity: 'medium' }],
  [9187, { service: 'postgres_exporter', role: 'metrics', severity: 'medium' }],
  [9121, { service: 'redis_exporter', role: 'metrics', severity: 'medium' }],
  [6789, { service: 'LiveKit Prometheus metrics', role: 'metrics', severity: 'medium' }],
  [9000, { service: 'Synapse metrics (common listener port)', role: 'metrics', severity: 'low' }],
  [7880, { service: 'LiveKit API without TLS', role: 'management', severity: 'low' }],
  [2375, { service: 'Docker API without TLS', role: 'management', severity: 'critical' }],
  [2379, { service: 'etcd', role: 'management', severity: 'high' }],
  [8500, { service: 'Consul', role: 'management', severity: 'medium' }],
  [10250, { service: 'kubelet', role: 'management', severity: 'high' }],
]);

/**
 * Parses `ss -tlnH` (state, Recv-Q, Send-Q, local address:port, peer, [process]). Addresses
 * come as `0.0.0.0:5432`, `*:6379`, `[::]:9090`, `[::1]:5432`, `127.0.0.53%lo:53` or, from
 * older versions, `:::22`; lines that do not parse are skipped.
 */
export function parseSsListeners(output: string): Listener[] {
  const listeners: Listener[] = [];
  for (const line of output.split('\n')) {
    const columns = line.trim().split(/\s+/);
    const local = columns[3];
    if (!local) continue;
    const colon = local.lastIndexOf(':');
    if (colon <= 0) continue;
    const port = Number(local.slice(colon + 1));
    if (!Number.isInteger(port) || port < 1 || port > 65535) continue;
    const address = local
      .slice(0, colon)
      .replace(/^\[(.*)\]$/, '$1')
      .replace(/%.*$/, '');
    listeners.push({ address, port });
  }
  return listeners;
}

export function isLoopback(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, '');
  return /^127\./.test(v4) || address === '::1' || address.toLowerCase() === 'localhost';
}

export function exposedPortFindings(host: string, listeners: readonly Listener[]): Finding[] {
  const findings = new Map<string, Finding>();
  for (const listener of listeners) {
    const known = WELL_KNOWN_PORTS.get(listener.port);
    if (!known || isLoopback(listener.address)) continue;
    const where = listener.address === '*' ? '0.0.0.0' : listener.address;
    const detail = `${listener.port}@${where}`;
    findings.set(
      detail,
      hostFinding('exposed-port', known.severity, host, detail, {
        title: `${known.service} (${known.role}) listens on ${where}:${listener.port}`,
        why: `A ${known.role} port on a non-loopback address can be reached from the network: ${
          known.role === 'metrics'
            ? 'metrics reveal internals and are rarely authenticated'
            : 'one weak or leaked credential (or none) opens it to anyone who can reach the host'
        }.`,
        fix: `Bind it to 127.0.0.1 (or a private Docker network: "127.0.0.1:${listener.port}:${listener.port}" in compose, not "${listener.port}:${listener.port}"), or firewall the port.`,
      }),
    );
  }
  return [...findings.values()];
}
