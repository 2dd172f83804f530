import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  generateLoginKey,
  importLoginKey,
  publicKeyFingerprint,
} from '../../src/main/connectors/login-keys';
import { verifyHistory } from '../../src/main/history/verify';
import { isWellFormedEd25519 } from '../../src/main/vault/ssh-ed25519';
import {
  addHost,
  findHost,
  recordHostKeyRefused,
  removeHost,
  setDeploymentHosts,
  trustHostKey,
  updateHost,
} from '../../src/main/vault/host-changes';
import { ensureDeployment } from '../../src/main/vault/changes';
import type { Vault } from '../../src/main/vault/vault';
import { RekeyError } from '../../src/shared/errors';
import { useTempDirs } from '../helpers/temp';
import { createVault, openVault } from '../helpers/vault';

const ENDPOINT = { address: '127.0.0.1', port: 2222, user: 'deploy', jump: null };
const PIN_A = `SHA256:${'A'.repeat(43)}`;
const PIN_B = `SHA256:${'B'.repeat(43)}`;

function keygen(dir: string, name: string, passphrase: string): string {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'ops', '-f', path]);
  return path;
}

function failure(run: () => unknown): RekeyError {
  try {
    run();
  } catch (error) {
    if (error instanceof RekeyError) return error;
    throw error;
  }
  throw new Error('expected a RekeyError');
}

function verified(vault: Vault): string[] {
  return verifyHistory(vault.vaultIdBytes, vault.eventBlocks, vault.state, vault.recordCount)
    .problems;
}

describe('login keys', () => {
  const tempDir = useTempDirs();

  it('generates ed25519 keys that OpenSSH reads, with the fingerprint ssh-keygen prints', () => {
    const dir = tempDir();
    const login = generateLoginKey('rekey@test');
    const path = join(dir, 'id');
    writeFileSync(path, login.privateKey, { mode: 0o600 });
    const derived = execFileSync('ssh-keygen', ['-y', '-f', path], { encoding: 'utf8' });
    expect(derived.split(' ').slice(0, 2)).toEqual(login.publicKey.split(' ').slice(0, 2));
    const printed = execFileSync('ssh-keygen', ['-l', '-f', path], { encoding: 'utf8' });
    expect(printed.split(' ')[1]).toBe(publicKeyFingerprint(login.publicKey));
  });

  it('never hands out a pair of the kind ssh2 writes with a byte missing', () => {
    // A pair ssh2 generated with a leading zero byte dropped from its seed or public key:
    // OpenSSH refuses it ("error in libcrypto"), and so does the check.
    const broken = readFileSync(
      fileURLToPath(new URL('../fixtures/ssh/ssh2-dropped-zero-ed25519.key', import.meta.url)),
      'utf8',
    );
    const dir = tempDir();
    const brokenPath = join(dir, 'broken');
    writeFileSync(brokenPath, broken, { mode: 0o600 });
    expect(() => execFileSync('ssh-keygen', ['-y', '-f', brokenPath], { stdio: 'pipe' })).toThrow();
    expect(isWellFormedEd25519(broken)).toBe(false);
    // About one pair in 150 comes out like that: 400 pairs, every one read by OpenSSH.
    for (let i = 0; i < 400; i++) {
      const login = generateLoginKey('rekey@test');
      expect(isWellFormedEd25519(login.privateKey)).toBe(true);
      const path = join(dir, `id-${i}`);
      writeFileSync(path, login.privateKey, { mode: 0o600 });
      const derived = execFileSync('ssh-keygen', ['-y', '-f', path], { encoding: 'utf8' });
      expect(derived.split(' ')[1]).toBe(login.publicKey.split(' ')[1]);
    }
  });

  it('imports a passphrase-protected OpenSSH key and keeps it as written', () => {
    const dir = tempDir();
    const path = keygen(dir, 'id_protected', 'open sesame 42');
    const text = readFileSync(path, 'utf8');
    const login = importLoginKey(text, 'open sesame 42');
    expect(login.privateKey).toBe(text);
    expect(login.publicKey.split(' ').slice(0, 2)).toEqual(
      readFileSync(`${path}.pub`, 'utf8').split(' ').slice(0, 2),
    );
  });

  it('says what is wrong with a key, never echoing it or its passphrase', () => {
    const dir = tempDir();
    const text = readFileSync(keygen(dir, 'id', 'right passphrase'), 'utf8');
    const missing = failure(() => importLoginKey(text, null));
    expect(missing.message).toMatch(/passphrase-protected/);
    const wrong = failure(() => importLoginKey(text, 'wrong passphrase'));
    expect(wrong.message).toMatch(/does not open/);
    expect(wrong.message).not.toContain('wrong passphrase');
    const garbage = failure(() => importLoginKey('not-a-key-0123456789', null));
    expect(garbage.code).toBe('INVALID_INPUT');
    expect(garbage.message).not.toContain('not-a-key-0123456789');
    const pub = failure(() => importLoginKey(readFileSync(join(dir, 'id.pub'), 'utf8'), null));
    expect(pub.code).toBe('INVALID_INPUT');
  });
});

describe('hosts in the vault', () => {
  const tempDir = useTempDirs();

  it('keeps a host with its key through reopen and compaction, and out of every summary', async () => {
    const vault = await createVault(tempDir());
    const login = importLoginKey(
      readFileSync(keygen(tempDir(), 'id', 'pp-secret-1234'), 'utf8'),
      'pp-secret-1234',
    );
    await vault.transact((t) => addHost(t, 'matrix-vps1', ENDPOINT, login));
    await vault.transact((t) =>
      trustHostKey(t, 'matrix-vps1', { algorithm: 'ssh-ed25519', fingerprint: PIN_A }),
    );
    const history = vault.eventBlocks.map((block) => block.toString('utf8')).join('');
    // The key travels inside the sealed event data, never in a readable summary.
    const summaries = history
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { summary: string }).summary);
    expect(summaries.join('\n')).not.toContain('pp-secret-1234');
    expect(summaries.join('\n')).not.toContain(login.privateKey.split('\n')[1] as string);
    expect(vault.redactor.redact(`oops ${login.privateKey}`)).not.toContain(
      'OPENSSH PRIVATE KEY-----\nb3',
    );

    await vault.compact();
    const reopened = await openVault(vault.path);
    const host = findHost(reopened.state, 'matrix-vps1');
    expect(host).toMatchObject({
      ...ENDPOINT,
      hostKey: { fingerprint: PIN_A, algorithm: 'ssh-ed25519' },
    });
    expect(host.auth.kind === 'key' && host.auth.privateKey.reveal()).toBe(login.privateKey);
    expect(host.auth.kind === 'key' && host.auth.passphrase?.reveal()).toBe('pp-secret-1234');
    expect(verified(reopened)).toEqual([]);
  });

  it('changes a pin only by an explicit trust, and forgets it when the address changes', async () => {
    const vault = await createVault(tempDir());
    await vault.transact((t) => addHost(t, 'edge', ENDPOINT, { kind: 'agent' }));
    await vault.transact((t) =>
      trustHostKey(t, 'edge', { algorithm: 'ssh-ed25519', fingerprint: PIN_A }),
    );
    await vault.transact((t) => recordHostKeyRefused(t, 'edge', PIN_A, PIN_B));
    expect(findHost(vault.state, 'edge').hostKey?.fingerprint).toBe(PIN_A);
    await vault.transact((t) =>
      trustHostKey(t, 'edge', { algorithm: 'ssh-ed25519', fingerprint: PIN_B }),
    );
    expect(findHost(vault.state, 'edge').hostKey?.fingerprint).toBe(PIN_B);
    await vault.transact((t) => updateHost(t, 'edge', { user: 'root' }));
    expect(findHost(vault.state, 'edge').hostKey?.fingerprint).toBe(PIN_B);
    await vault.transact((t) => updateHost(t, 'edge', { address: '10.0.0.9' }));
    expect(findHost(vault.state, 'edge').hostKey).toBeNull();

    const kinds = vault.eventBlocks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; summary: string });
    expect(kinds.filter((e) => e.kind === 'host.key-refused')[0]?.summary).toContain(PIN_B);
    expect(kinds.filter((e) => e.kind === 'host.trusted').at(-1)?.summary).toContain(
      `${PIN_A} -> ssh-ed25519 ${PIN_B}`,
    );
    expect(verified(vault)).toEqual([]);
  });

  it('refuses jump loops, unknown hosts for deployments and removing a host in use', async () => {
    const vault = await createVault(tempDir());
    await vault.transact((t) => addHost(t, 'bastion', ENDPOINT, { kind: 'agent' }));
    await vault.transact((t) =>
      addHost(t, 'inner', { ...ENDPOINT, jump: 'bastion' }, { kind: 'agent' }),
    );
    const loop = await vault
      .transact((t) => updateHost(t, 'bastion', { jump: 'inner' }))
      .catch((e: unknown) => e);
    expect(loop).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/loop/) as unknown,
    });
    const local = await vault
      .transact((t) => addHost(t, 'local', ENDPOINT, { kind: 'agent' }))
      .catch((e: unknown) => e);
    expect(local).toMatchObject({ code: 'INVALID_INPUT' });

    await vault.transact((t) => {
      ensureDeployment(t, 'matrix');
      setDeploymentHosts(t, 'matrix', ['inner', 'local']);
    });
    expect(vault.state.deployments.get('matrix')?.hosts).toEqual(['inner', 'local']);
    const unknown = await vault
      .transact((t) => setDeploymentHosts(t, 'matrix', ['nowhere']))
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'NOT_FOUND' });

    const inUse = await vault.transact((t) => removeHost(t, 'bastion')).catch((e: unknown) => e);
    expect(inUse).toMatchObject({ message: expect.stringContaining('host inner') as unknown });
    await vault.transact((t) => setDeploymentHosts(t, 'matrix', ['local']));
    await vault.transact((t) => removeHost(t, 'inner'));
    await vault.transact((t) => removeHost(t, 'bastion'));
    expect(vault.state.hosts.size).toBe(0);
    expect(verified(vault)).toEqual([]);
  });
});
