import { RekeyError } from '../../shared/errors';
import { LOCAL_HOST } from '../../shared/model';
import type { HostAuth } from './events';
import type { HostRecord, VaultState } from './state';
import type { Transaction } from './transaction';

/**
 * Changes to the hosts a vault knows, as events. A host's private key and its passphrase are
 * introduced to the redactor like any secret value; a pinned host key changes only through an
 * explicit trust, and a refused key is recorded so the history shows the attempt.
 */

export interface HostEndpoint {
  address: string;
  port: number;
  user: string;
  jump: string | null;
}

export function findHost(state: Readonly<VaultState>, name: string): HostRecord {
  const host = state.hosts.get(name);
  if (!host) throw new RekeyError('NOT_FOUND', `No host ${name}`);
  return host;
}

function introduceAuth(transaction: Transaction, auth: HostAuth): void {
  if (auth.kind !== 'key') return;
  transaction.introduce(auth.privateKey);
  if (auth.passphrase !== null) transaction.introduce(auth.passphrase);
}

function checkJump(state: Readonly<VaultState>, name: string, jump: string | null): void {
  if (jump === null) return;
  if (jump === name)
    throw new RekeyError('INVALID_INPUT', `Host ${name} cannot be its own jump host`);
  // A chain that loops back would never connect: refuse it before it is stored.
  const seen = new Set([name]);
  for (let hop: string | null = jump; hop !== null; hop = findHost(state, hop).jump) {
    if (seen.has(hop)) {
      throw new RekeyError('INVALID_INPUT', `Jump hosts of ${name} form a loop through ${hop}`);
    }
    seen.add(hop);
  }
}

export function addHost(
  transaction: Transaction,
  name: string,
  endpoint: HostEndpoint,
  auth: HostAuth,
): HostRecord {
  if (name === LOCAL_HOST) {
    throw new RekeyError('INVALID_INPUT', `"${LOCAL_HOST}" is this machine and always exists`);
  }
  if (transaction.state.hosts.has(name) || transaction.state.clusters.has(name)) {
    throw new RekeyError(
      'ALREADY_EXISTS',
      `${transaction.state.hosts.has(name) ? 'Host' : 'A Kubernetes cluster named'} ${name} already exists`,
    );
  }
  checkJump(transaction.state, name, endpoint.jump);
  introduceAuth(transaction, auth);
  const via = endpoint.jump ? ` via ${endpoint.jump}` : '';
  transaction.record(
    { kind: 'host.added', data: { name, ...endpoint, auth } },
    {
      summary: `Host ${name} added: ${endpoint.user}@${endpoint.address}:${endpoint.port}${via}, ${auth.kind === 'key' ? 'key kept in the vault' : 'ssh-agent'}`,
    },
  );
  return findHost(transaction.state, name);
}

export function updateHost(
  transaction: Transaction,
  name: string,
  changes: Partial<HostEndpoint> & { auth?: HostAuth },
): string[] {
  const host = findHost(transaction.state, name);
  if (changes.jump !== undefined) checkJump(transaction.state, name, changes.jump);
  const { auth, ...endpoint } = changes;
  const endpointChanges = (Object.keys(endpoint) as (keyof HostEndpoint)[]).filter(
    (key) => endpoint[key] !== undefined && endpoint[key] !== host[key],
  );
  const effective: Partial<HostEndpoint> & { auth?: HostAuth } = Object.fromEntries(
    endpointChanges.map((key) => [key, endpoint[key]]),
  );
  const changed: string[] = [...endpointChanges];
  if (auth) {
    introduceAuth(transaction, auth);
    effective.auth = auth;
    changed.push('login');
  }
  if (changed.length === 0) return [];
  const repin =
    effective.address !== undefined || effective.port !== undefined
      ? '; its host key must be confirmed again'
      : '';
  transaction.record(
    { kind: 'host.updated', data: { name, changes: effective } },
    { summary: `Host ${name}: changed ${changed.join(', ')}${repin}` },
  );
  return changed;
}

/** Refuses while anything still names the host, so no target or deployment points nowhere. */
export function removeHost(transaction: Transaction, name: string): void {
  findHost(transaction.state, name);
  const users = usersOf(transaction.state, name);
  if (users.length > 0) {
    throw new RekeyError('INVALID_INPUT', `Host ${name} is still used by ${users.join(', ')}`);
  }
  transaction.record({ kind: 'host.removed', data: { name } }, { summary: `Host ${name} removed` });
}

/** Deployments, jump chains and secret targets that name `host`. */
export function usersOf(state: Readonly<VaultState>, host: string): string[] {
  const users: string[] = [];
  for (const deployment of state.deployments.values()) {
    if (deployment.hosts.includes(host)) users.push(`deployment ${deployment.name}`);
  }
  for (const other of state.hosts.values()) {
    if (other.jump === host) users.push(`host ${other.name} (as its jump host)`);
  }
  for (const secret of state.secrets.values()) {
    if (secret.metadata.targets.some((target) => target.host === host)) {
      users.push(`secret ${secret.deployment}/${secret.name}`);
    }
  }
  return users;
}

export function trustHostKey(
  transaction: Transaction,
  name: string,
  key: { algorithm: string; fingerprint: string },
): void {
  const host = findHost(transaction.state, name);
  const replaced = host.hostKey?.fingerprint ?? null;
  if (replaced === key.fingerprint) return;
  const summary =
    replaced === null
      ? `Host key of ${name} trusted: ${key.algorithm} ${key.fingerprint}`
      : `Host key of ${name} replaced: ${replaced} -> ${key.algorithm} ${key.fingerprint}`;
  transaction.record({ kind: 'host.trusted', data: { name, ...key, replaced } }, { summary });
}

export function recordHostKeyRefused(
  transaction: Transaction,
  name: string,
  expected: string,
  presented: string,
): void {
  transaction.record(
    { kind: 'host.key-refused', data: { name, expected, presented } },
    {
      summary: `Connection to ${name} refused: it presented host key ${presented}, but ${expected} is pinned`,
    },
  );
}

export function setDeploymentHosts(
  transaction: Transaction,
  deployment: string,
  hosts: readonly string[],
): void {
  const record = transaction.state.deployments.get(deployment);
  if (!record) throw new RekeyError('NOT_FOUND', `No deployment ${deployment}`);
  // A deployment runs on SSH hosts, this machine, or Kubernetes clusters.
  for (const host of hosts) {
    if (host !== LOCAL_HOST && !transaction.state.clusters.has(host)) {
      findHost(transaction.state, host);
    }
  }
  const unique = [...new Set(hosts)];
  if (JSON.stringify(unique) === JSON.stringify(record.hosts)) return;
  transaction.record(
    { kind: 'deployment.hosts-set', data: { name: deployment, hosts: unique } },
    {
      summary: `Deployment ${deployment} runs on ${unique.length > 0 ? unique.join(', ') : 'no host'}`,
    },
  );
}
