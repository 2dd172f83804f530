import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exposedPortFindings, isLoopback, parseSsListeners } from '../../src/main/health/ports';

/**
 * `ss -tlnH` parsing and the exposed-port rule, on a recorded output with every address form
 * ss prints (IPv4, `*`, `[::]`, `[::1]`, `%iface` suffixes, the old `:::port`). Tests never
 * listen on a non-loopback address: the integration test checks a real loopback listener.
 */

const output = readFileSync('test/fixtures/health/ss-tlnH.txt', 'utf8');

describe('ss -tlnH', () => {
  it('parses every address form', () => {
    expect(parseSsListeners(output)).toEqual([
      { address: '0.0.0.0', port: 5432 },
      { address: '127.0.0.1', port: 6379 },
      { address: '127.0.0.53', port: 53 },
      { address: '*', port: 9100 },
      { address: '::', port: 9090 },
      { address: '::1', port: 5432 },
      { address: '0.0.0.0', port: 22 },
      { address: '10.0.0.5', port: 2375 },
      { address: '::', port: 6379 },
      { address: '::ffff:127.0.0.1', port: 9187 },
    ]);
    expect(parseSsListeners('garbage\n\nLISTEN 0 1 nonsense *:*\n')).toEqual([]);
  });

  it('tells loopback from the network', () => {
    expect(['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '*', '::', '10.0.0.5', '192.168.1.2'].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('flags well-known ports on non-loopback addresses only, by role and severity', () => {
    const findings = exposedPortFindings('vps1', parseSsListeners(output));
    expect(findings.map((finding) => [finding.id, finding.severity])).toEqual([
      ['exposed-port:vps1:5432@0.0.0.0', 'high'],
      ['exposed-port:vps1:9100@0.0.0.0', 'medium'],
      ['exposed-port:vps1:9090@::', 'medium'],
      ['exposed-port:vps1:2375@10.0.0.5', 'critical'],
      ['exposed-port:vps1:6379@::', 'high'],
    ]);
    expect(findings[0]).toMatchObject({
      kind: 'exposed-port',
      subject: { type: 'host', name: 'vps1' },
      fixAction: null,
    });
    expect(findings[0]?.title).toContain('PostgreSQL');
    expect(findings[0]?.fix).toContain('127.0.0.1');
  });
});
