import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RekeyError } from '../../shared/errors';
import { DEPLOYMENT_NAME } from '../../shared/model';
import { knownHostKeys } from '../connectors/known-hosts';
import { importLoginKey } from '../connectors/login-keys';
import { type SshConfigHost, readSshConfig } from '../connectors/ssh-config-import';
import type { HostAuth } from '../vault/events';
import { addHost, trustHostKey } from '../vault/host-changes';
import type { Vault } from '../vault/vault';

/**
 * Takes hosts over from the user's OpenSSH setup: names, addresses, ports, users and jump
 * hosts from `~/.ssh/config`; an unprotected IdentityFile becomes the host's login key (a
 * protected one stays with ssh-agent); a key `known_hosts` already trusts becomes the pin,
 * since the user confirmed it to OpenSSH before. Without `add` nothing is written: a preview.
 */

export interface ImportSshConfigInput {
  configPath?: string | undefined;
  knownHostsPath?: string | undefined;
  add?: string[] | undefined;
}

interface Candidate {
  name: string;
  address: string;
  port: number;
  user: string;
  jump: string | null;
  login: 'key' | 'agent';
  note: string | null;
  pinned: string | null;
  exists: boolean;
}

const expandHome = (path: string) =>
  path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RekeyError('IO', `Cannot read ${path}: ${(error as Error).message}`);
  }
}

async function loginFor(host: SshConfigHost): Promise<{ auth: HostAuth; note: string | null }> {
  for (const file of host.identityFiles) {
    const text = await readOptional(expandHome(file));
    if (text === null) continue;
    try {
      return { auth: importLoginKey(text, null), note: null };
    } catch (error) {
      const reason = error instanceof RekeyError ? error.message : 'unreadable';
      return { auth: { kind: 'agent' }, note: `${file}: ${reason}; logs in with ssh-agent` };
    }
  }
  return { auth: { kind: 'agent' }, note: null };
}

export async function importSshConfig(vault: Vault, input: ImportSshConfigInput) {
  const configPath = expandHome(input.configPath ?? '~/.ssh/config');
  const config = await readOptional(configPath);
  if (config === null) throw new RekeyError('NOT_FOUND', `No OpenSSH config at ${configPath}`);
  const knownHosts =
    (await readOptional(expandHome(input.knownHostsPath ?? '~/.ssh/known_hosts'))) ?? '';

  const hosts = readSshConfig(config).filter((host) => DEPLOYMENT_NAME.test(host.name));
  const names = new Set(hosts.map((host) => host.name));
  const logins = new Map<string, HostAuth>();
  const candidates: Candidate[] = [];
  for (const host of hosts) {
    const { auth, note } = await loginFor(host);
    logins.set(host.name, auth);
    const known = knownHostKeys(knownHosts, host.address, host.port);
    // Several keys for one host (one per algorithm): ssh2 negotiates ed25519 first.
    const pin = known.find((key) => key.algorithm === 'ssh-ed25519') ?? known[0] ?? null;
    const jump =
      host.jump && (names.has(host.jump) || vault.state.hosts.has(host.jump)) ? host.jump : null;
    const jumpNote =
      host.jump && !jump ? `jump host ${host.jump} is not a known host; add it first` : null;
    candidates.push({
      name: host.name,
      address: host.address,
      port: host.port,
      user: host.user ?? 'root',
      jump,
      login: auth.kind,
      note: [note, jumpNote].filter(Boolean).join('; ') || null,
      pinned: pin?.fingerprint ?? null,
      exists: vault.state.hosts.has(host.name),
    });
  }

  const wanted = new Set(input.add ?? []);
  const unknown = [...wanted].filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new RekeyError('NOT_FOUND', `Not in ${configPath}: ${unknown.join(', ')}`);
  }
  const chosen = ordered(candidates.filter((c) => wanted.has(c.name) && !c.exists));
  if (chosen.length > 0) {
    await vault.transact((t) => {
      for (const candidate of chosen) {
        const { name, address, port, user, jump } = candidate;
        addHost(t, name, { address, port, user, jump }, logins.get(name) ?? { kind: 'agent' });
        const pin = knownHostKeys(knownHosts, address, port).find(
          (key) => key.fingerprint === candidate.pinned,
        );
        if (pin) trustHostKey(t, name, pin);
      }
    });
  }
  return { candidates, added: chosen.map((candidate) => candidate.name) };
}

/** Jump hosts before the hosts that go through them. */
function ordered(candidates: Candidate[]): Candidate[] {
  const byName = new Map(candidates.map((candidate) => [candidate.name, candidate]));
  const result: Candidate[] = [];
  const visit = (candidate: Candidate, depth: number) => {
    if (result.includes(candidate) || depth > candidates.length) return;
    const jump = candidate.jump ? byName.get(candidate.jump) : undefined;
    if (jump) visit(jump, depth + 1);
    result.push(candidate);
  };
  for (const candidate of candidates) visit(candidate, 0);
  return result;
}
