import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { formatByName } from '../../src/main/formats/format';
import { ok } from '../helpers/app';
import { valueOf } from '../helpers/rotation-stack';
import { useSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp';
import { waitUntil } from '../helpers/wait';
import { FAST_KDF, PASSWORD } from '../helpers/vault';

/**
 * Rotation over SSH against a real OpenSSH server, and the fault a network brings: the
 * connection dropped in the middle of a run. Rekey reconnects to roll back.
 */

const sshd = useSshd();
const tempDir = useTempDirs();

const PLAYBOOK = `id: test-remote
name: Remote file
service: app
description: A token in a .env on a host.
variables:
  dir: { description: Directory of the .env on the host. }
checklist: [backup]
secrets:
  - name: token
    description: An API token.
    impact: Clients using the old token are refused.
    difficulty: low
    handling: Write it and check it.
    policy: { kind: interval, days: 90 }
    generator: { kind: hex, length: 24 }
    targets:
      - id: env
        format: dotenv
        path: \${dir}/app.env
        key: API_TOKEN
    steps:
      - kind: generate
      - kind: write
        targets: [env]
      - kind: exec
        title: A slow step on the host
        argv: [sleep, '30']
      - kind: verify
        check: { type: fingerprint }
`;

describe('rotation over SSH', () => {
  it('rolls back over a new connection when the connection drops mid-run', async () => {
    const server = sshd();
    const dir = tempDir();
    const envFile = join(dir, 'app.env');
    const old = randomBytes(24).toString('hex');
    writeFileSync(envFile, `# app\nAPI_TOKEN=${old}\nDEBUG=false\n`);
    const before = readFileSync(envFile);
    const app = createApp({ vaultPath: join(dir, 'vault.rekey'), source: 'cli' });
    await ok(app, 'vault.create', { password: PASSWORD, kdf: FAST_KDF });
    await ok(app, 'hosts.add', {
      name: 'vps',
      address: '127.0.0.1',
      port: server.port,
      user: server.user,
      login: { kind: 'import', privateKey: readFileSync(server.clientKeys.plain, 'utf8') },
    });
    await ok(app, 'hosts.trust', { name: 'vps', fingerprint: server.hostKeyFingerprint });
    await ok(app, 'secrets.add', { ref: 'app/token', value: { kind: 'enter', value: old } });
    await ok(app, 'deployments.setHosts', { name: 'app', hosts: ['vps'] });
    await ok(app, 'playbooks.add', { text: PLAYBOOK, fileName: 'test-remote.yaml' });
    await ok(app, 'deployments.setPlaybook', {
      name: 'app',
      playbook: 'test-remote',
      variables: { dir },
    });

    const started = await ok(app, 'rotations.start', {
      refs: ['app/token'],
      confirmed: ['backup'],
    });
    // The new value is on the host and the slow step runs: now the network goes.
    await waitUntil(
      async () =>
        (await ok(app, 'rotations.get', { runId: started.id })).steps[2]?.state === 'running',
      { timeoutMs: 15_000, what: 'the slow step to start' },
    );
    const written = formatByName('dotenv').get(readFileSync(envFile, 'utf8'), 'API_TOKEN');
    expect(written).not.toBe(old);
    expect(server.dropConnections()).toBeGreaterThan(0);
    await waitUntil(
      async () => (await ok(app, 'rotations.get', { runId: started.id })).finishedAt !== null,
      { timeoutMs: 30_000, what: 'the run to end' },
    );

    const run = await ok(app, 'rotations.get', { runId: started.id });
    expect(run.status).toBe('rolled-back');
    expect(run.steps[2]?.state).toBe('failed');
    expect(run.steps[2]?.detail).toMatch(/connection|closed|lost/i);
    expect(readFileSync(envFile)).toEqual(before);
    expect(await valueOf(app, 'app/token')).toBe(old);
    expect(JSON.stringify(run)).not.toContain(written ?? '');
  });
});
