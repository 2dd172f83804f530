import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownHostKeys } from '../../src/main/connectors/known-hosts';
import { readSshConfig } from '../../src/main/connectors/ssh-config-import';
import { useTempDirs } from '../helpers/temp';

const CONFIG = `# hosts of a small self-hosted stack
Host *
  User admin
  ServerAliveInterval 30

Host bastion
  HostName bastion.example.org
  Port 2201
  User jump

Host matrix-vps1 livekit-vps1
  HostName 10.0.0.5
  IdentityFile ~/.ssh/id_matrix
  ProxyJump ops@bastion:2201

Host *.internal
  User internal

Match host legacy
  User legacy
`;

const tempDirs = useTempDirs();

describe('OpenSSH client config', () => {
  it('resolves concrete hosts as ssh does: first value wins, Host * supplies defaults', () => {
    const hosts = readSshConfig(CONFIG);
    expect(hosts.map((host) => host.name)).toEqual(['bastion', 'matrix-vps1', 'livekit-vps1']);
    expect(hosts[0]).toEqual({
      name: 'bastion',
      address: 'bastion.example.org',
      port: 2201,
      // `Host *` comes first, so its User wins over the later one, as in ssh itself.
      user: 'admin',
      identityFiles: [],
      jump: null,
    });
    expect(hosts[1]).toEqual({
      name: 'matrix-vps1',
      address: '10.0.0.5',
      port: 22,
      user: 'admin',
      identityFiles: ['~/.ssh/id_matrix'],
      jump: 'bastion',
    });
  });

  it('agrees with `ssh -G` on address, port and user', () => {
    const path = join(tempDirs(), 'config');
    writeFileSync(path, CONFIG);
    for (const host of readSshConfig(CONFIG)) {
      const resolved = execFileSync('ssh', ['-G', '-F', path, host.name], { encoding: 'utf8' });
      const field = (name: string) => new RegExp(`^${name} (.*)$`, 'm').exec(resolved)?.[1];
      expect(field('hostname')).toBe(host.address);
      expect(Number(field('port'))).toBe(host.port);
      expect(field('user')).toBe(host.user);
    }
  });
});

describe('known_hosts', () => {
  it('finds pins in plain and hashed lines, for port 22 and other ports, as ssh-keygen does', () => {
    const dir = tempDirs();
    const key = join(dir, 'host_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const [algorithm, blob] = readFileSync(`${key}.pub`, 'utf8').split(' ');
    const printed = execFileSync('ssh-keygen', ['-l', '-f', `${key}.pub`], { encoding: 'utf8' });
    const fingerprint = printed.split(' ')[1];

    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(
      knownHosts,
      [
        `# comment`,
        `10.0.0.5,matrix.example.org ${algorithm} ${blob}`,
        `[10.0.0.6]:2222 ${algorithm} ${blob}`,
        `@revoked 10.0.0.7 ${algorithm} ${blob}`,
        '',
      ].join('\n'),
    );
    const plain = readFileSync(knownHosts, 'utf8');
    expect(knownHostKeys(plain, 'matrix.example.org', 22)).toEqual([{ algorithm, fingerprint }]);
    expect(knownHostKeys(plain, '10.0.0.6', 2222)).toEqual([{ algorithm, fingerprint }]);
    expect(knownHostKeys(plain, '10.0.0.6', 22)).toEqual([]);
    expect(knownHostKeys(plain, '10.0.0.7', 22)).toEqual([]);

    // HashKnownHosts: ssh-keygen -H rewrites the names as |1|salt|hash.
    execFileSync('ssh-keygen', ['-H', '-f', knownHosts], { stdio: 'ignore' });
    const hashed = readFileSync(knownHosts, 'utf8');
    expect(hashed).not.toContain('matrix.example.org');
    expect(knownHostKeys(hashed, 'matrix.example.org', 22)).toEqual([{ algorithm, fingerprint }]);
    expect(knownHostKeys(hashed, '10.0.0.6', 2222)).toEqual([{ algorithm, fingerprint }]);
    expect(knownHostKeys(hashed, 'other.example.org', 22)).toEqual([]);
  });
});
