import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/shared/errors';
import { type CliRun, type CliVault, initCliVault } from '../helpers/rekey-cli';
import { CLIENT_KEY_PASSPHRASE, useSshd } from '../helpers/sshd';
import { keyFingerprint } from '../helpers/sshd-server';
import { useTempDirs } from '../helpers/temp';

/**
 * `rekey host ...` end to end: the built CLI as a separate process against a real OpenSSH
 * server on a loopback port. The server runs on this machine, so the "remote" files the scan
 * reads are files the test wrote.
 */

const JWT = 'Vb3kq8Hx2Lm9Pz4Rt7Wy1Nc6Df0Gj5Sa';
const LIVEKIT = '3f9c2b7e1d8a4c6b0e5f2a9d7c1b8e4f6a3d0c9b2e7f1a8d';

function ok(run: CliRun): CliRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}`);
  return run;
}

function everything(runs: readonly CliRun[]): string {
  return runs.map((run) => run.stdout + run.stderr).join('\n');
}

describe('rekey host against a real sshd', () => {
  const sshd = useSshd();
  const tempDir = useTempDirs();

  async function vaultWithHost(): Promise<{ vault: CliVault; runs: CliRun[] }> {
    const vault = await initCliVault(tempDir());
    const server = sshd();
    const add = await vault.rekey(
      [
        'host',
        'add',
        'web',
        '--address',
        '127.0.0.1',
        '--port',
        String(server.port),
        '--user',
        server.user,
        '--key-file',
        server.clientKeys.protected,
        '--passphrase-stdin',
      ],
      { stdin: `${CLIENT_KEY_PASSPHRASE}\n` },
    );
    return { vault, runs: [ok(add)] };
  }

  it('adds a host, pins its key only on confirmation, refuses a changed key and re-trusts', async () => {
    const { vault, runs } = await vaultWithHost();
    const server = sshd();
    expect(runs[0]?.stdout).toContain(keyFingerprint(`${server.clientKeys.protected}.pub`));

    const unknown = await vault.rekey(['host', 'test', 'web']);
    expect(unknown.code).toBe(EXIT_CODES.HOST_KEY_UNKNOWN);
    expect(unknown.stderr).toContain(server.hostKeyFingerprint);

    // No terminal and no --trust-fingerprint: nothing is pinned, the user is told how.
    const unconfirmed = await vault.rekey(['host', 'trust', 'web']);
    expect(unconfirmed.code).toBe(EXIT_CODES.HOST_KEY_UNKNOWN);
    expect(unconfirmed.stderr).toContain(`--trust-fingerprint ${server.hostKeyFingerprint}`);

    const wrong = await vault.rekey([
      'host',
      'trust',
      'web',
      '--trust-fingerprint',
      `SHA256:${'x'.repeat(43)}`,
    ]);
    expect(wrong.code).toBe(EXIT_CODES.HOST_KEY_MISMATCH);
    expect(
      JSON.parse(ok(await vault.rekey(['host', 'show', 'web', '--json'])).stdout),
    ).toMatchObject({ hostKey: null });

    runs.push(
      ok(
        await vault.rekey([
          'host',
          'trust',
          'web',
          '--trust-fingerprint',
          server.hostKeyFingerprint,
        ]),
      ),
    );
    const tested = ok(await vault.rekey(['host', 'test', 'web']));
    expect(tested.stdout).toMatch(new RegExp(`logged in as ${server.user} on Linux`));
    runs.push(tested, unknown, unconfirmed, wrong);

    const before = server.hostKeyFingerprint;
    await server.regenerateHostKey();
    const changed = await vault.rekey(['host', 'test', 'web']);
    expect(changed.code).toBe(EXIT_CODES.HOST_KEY_MISMATCH);
    expect(changed.stderr).toContain(before);
    expect(changed.stderr).toContain(server.hostKeyFingerprint);
    const refused = JSON.parse(
      ok(await vault.rekey(['history', '--kind', 'host.key-refused', '--json'])).stdout,
    ) as { summary: string }[];
    expect(refused).toHaveLength(1);
    expect(refused[0]?.summary).toContain(server.hostKeyFingerprint);

    runs.push(
      ok(
        await vault.rekey([
          'host',
          'trust',
          'web',
          '--trust-fingerprint',
          server.hostKeyFingerprint,
        ]),
      ),
    );
    runs.push(ok(await vault.rekey(['host', 'test', 'web'])), changed);
    ok(await vault.rekey(['history', 'verify']));

    // A new address may be another machine: its key must be confirmed again.
    ok(await vault.rekey(['host', 'update', 'web', '--address', 'localhost']));
    const moved = JSON.parse(ok(await vault.rekey(['host', 'show', 'web', '--json'])).stdout) as {
      address: string;
      hostKey: unknown;
    };
    expect(moved).toMatchObject({ address: 'localhost', hostKey: null });
    ok(await vault.rekey(['secret', 'add', 'stack/token', '--generate', 'hex:16']));
    ok(await vault.rekey(['deployment', 'hosts', 'stack', 'web', 'local']));
    const inUse = await vault.rekey(['host', 'rm', 'web']);
    expect(inUse.code).toBe(EXIT_CODES.INVALID_INPUT);
    expect(inUse.stderr).toContain('deployment stack');
    ok(await vault.rekey(['deployment', 'hosts', 'stack', 'local']));
    runs.push(ok(await vault.rekey(['host', 'rm', 'web'])));
    expect(JSON.parse(ok(await vault.rekey(['host', 'list', '--json'])).stdout)).toEqual([]);

    const privateKey = readFileSync(server.clientKeys.protected, 'utf8');
    expect(everything(runs)).not.toContain(CLIENT_KEY_PASSPHRASE);
    expect(everything(runs)).not.toContain(privateKey.split('\n')[1] as string);
    // A dozen CLI processes and SSH logins in a row: more than 30 s on a loaded machine.
  }, 90_000);

  it('scans config files over SSH and adopts the findings with their targets', async () => {
    const { vault } = await vaultWithHost();
    const server = sshd();
    ok(
      await vault.rekey(['host', 'trust', 'web', '--trust-fingerprint', server.hostKeyFingerprint]),
    );

    const srv = join(tempDir(), 'srv');
    mkdirSync(join(srv, 'synctv'), { recursive: true });
    mkdirSync(join(srv, 'livekit', 'node_modules'), { recursive: true });
    writeFileSync(
      join(srv, 'synctv', 'config.yaml'),
      `# SyncTV\nserver:\n  listen: 0.0.0.0:8080\njwt:\n  secret: ${JWT}\n  expire: 48h\n`,
    );
    writeFileSync(
      join(srv, 'livekit', 'livekit.yaml'),
      `port: 7880\nkeys:\n  APIdemo1234: ${LIVEKIT}\n`,
    );
    writeFileSync(
      join(srv, 'livekit', '.env'),
      `LIVEKIT_URL=wss://livekit.example.org\nLIVEKIT_KEY=APIdemo1234\nLIVEKIT_SECRET=${LIVEKIT}\n`,
    );
    writeFileSync(
      join(srv, 'livekit', 'node_modules', 'config.yaml'),
      `jwt:\n  secret: never-read-0123456789\n`,
    );

    const scanned = ok(await vault.rekey(['host', 'scan', 'web', '--dir', srv, '--json']));
    const report = JSON.parse(scanned.stdout) as {
      findings: { path: string; key: string; service: string | null; suggestedName: string }[];
    };
    expect(report.findings.map((f) => [f.path.slice(srv.length), f.key, f.service])).toEqual([
      ['/livekit/.env', 'LIVEKIT_SECRET', 'lk-jwt-service'],
      ['/livekit/livekit.yaml', 'keys.APIdemo1234', 'livekit'],
      ['/synctv/config.yaml', 'jwt.secret', 'synctv'],
    ]);
    expect(scanned.stdout + scanned.stderr).not.toContain(JWT);
    expect(scanned.stdout + scanned.stderr).not.toContain(LIVEKIT);

    const adopted = ok(
      await vault.rekey([
        'host',
        'scan',
        'web',
        '--dir',
        srv,
        '--deployment',
        'stack',
        '--all-new',
      ]),
    );
    expect(adopted.stdout).toContain('Added 2: stack/api.secret, stack/jwt.secret');
    expect(adopted.stdout).toContain('New target for: stack/api.secret');
    expect(adopted.stdout + adopted.stderr).not.toContain(LIVEKIT);

    const shown = JSON.parse(
      ok(await vault.rekey(['secret', 'show', 'stack/api.secret', '--json'])).stdout,
    ) as {
      metadata: {
        service: string;
        difficulty: string;
        targets: { host: string; path: string; format: string; key: string }[];
      };
    };
    expect(shown.metadata.service).toBe('livekit');
    expect(shown.metadata.targets).toEqual([
      { host: 'web', path: join(srv, 'livekit', '.env'), format: 'dotenv', key: 'LIVEKIT_SECRET' },
      {
        host: 'web',
        path: join(srv, 'livekit', 'livekit.yaml'),
        format: 'yaml',
        key: 'keys.APIdemo1234',
      },
    ]);
    const revealed = ok(await vault.rekey(['secret', 'reveal', 'stack/jwt.secret']));
    expect(revealed.stdout.trim()).toBe(JWT);

    // A second scan knows what it found before.
    const again = JSON.parse(
      ok(await vault.rekey(['host', 'scan', 'web', '--dir', srv, '--json'])).stdout,
    ) as { findings: { trackedBy: string | null }[] };
    expect(again.findings.map((f) => f.trackedBy)).toEqual([
      'stack/api.secret',
      'stack/api.secret',
      'stack/jwt.secret',
    ]);
  });

  it('takes hosts over from ~/.ssh/config with pins from a known_hosts that ssh-keyscan wrote', async () => {
    const vault = await initCliVault(tempDir());
    const server = sshd();
    const dir = tempDir();
    const config = join(dir, 'config');
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(
      config,
      `Host stack-vps\n  HostName 127.0.0.1\n  Port ${server.port}\n  User ${server.user}\n  IdentityFile ${server.clientKeys.plain}\n\nHost locked\n  HostName 127.0.0.1\n  Port ${server.port}\n  IdentityFile ${server.clientKeys.protected}\n\nHost *.example.org\n  User nobody\n`,
    );
    const scan = spawnSync(
      'ssh-keyscan',
      ['-p', String(server.port), '-t', 'ed25519', '127.0.0.1'],
      { encoding: 'utf8' },
    );
    writeFileSync(knownHosts, scan.stdout);

    const preview = JSON.parse(
      ok(
        await vault.rekey([
          'host',
          'import-ssh-config',
          '--config',
          config,
          '--known-hosts',
          knownHosts,
          '--json',
        ]),
      ).stdout,
    ) as {
      candidates: { name: string; login: string; pinned: string | null; note: string | null }[];
      added: string[];
    };
    expect(preview.added).toEqual([]);
    expect(preview.candidates.map((c) => [c.name, c.login, c.pinned])).toEqual([
      ['stack-vps', 'key', server.hostKeyFingerprint],
      ['locked', 'agent', server.hostKeyFingerprint],
    ]);
    expect(preview.candidates[1]?.note).toMatch(/passphrase-protected/);
    expect(JSON.parse(ok(await vault.rekey(['host', 'list', '--json'])).stdout)).toEqual([]);

    ok(
      await vault.rekey([
        'host',
        'import-ssh-config',
        '--config',
        config,
        '--known-hosts',
        knownHosts,
        '--add',
        'stack-vps',
      ]),
    );
    // The pin came from known_hosts: the first connection needs no confirmation.
    expect(ok(await vault.rekey(['host', 'test', 'stack-vps'])).stdout).toContain(
      `logged in as ${server.user}`,
    );
  });
});
