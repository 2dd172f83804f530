import { deploymentSummary } from './secrets';
import { RekeyError } from '../../shared/errors';
import type { LoginChoice } from '../../shared/api';
import type { HostSummary } from '../../shared/model';
import { generateLoginKey, importLoginKey, publicKeyFingerprint } from '../connectors/login-keys';
import type { HostAuth } from '../vault/events';
import {
  addHost,
  findHost,
  removeHost,
  setDeploymentHosts,
  trustHostKey,
  updateHost,
} from '../vault/host-changes';
import type { HostRecord, VaultState } from '../vault/state';
import { adopt, scan } from './discovery';
import type { HostConnections } from './host-connections';
import type { Implementation } from './handle';
import { importSshConfig } from './import-ssh-config';
import type { AppSession } from './session';

type HostMethods =
  | 'deployments.setHosts'
  | 'hosts.list'
  | 'hosts.get'
  | 'hosts.add'
  | 'hosts.update'
  | 'hosts.remove'
  | 'hosts.probe'
  | 'hosts.trust'
  | 'hosts.test'
  | 'hosts.importSshConfig'
  | 'hosts.scan'
  | 'hosts.adopt';

export function summarizeHost(state: Readonly<VaultState>, host: HostRecord): HostSummary {
  const deployments = [...state.deployments.values()]
    .filter((deployment) => deployment.hosts.includes(host.name))
    .map((deployment) => deployment.name);
  let targets = 0;
  for (const secret of state.secrets.values()) {
    if (secret.metadata.targets.some((target) => target.host === host.name)) targets++;
  }
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    auth:
      host.auth.kind === 'key'
        ? {
            kind: 'key',
            publicKey: host.auth.publicKey,
            keyFingerprint: publicKeyFingerprint(host.auth.publicKey),
            passphraseProtected: host.auth.passphrase !== null,
          }
        : { kind: 'agent' },
    jump: host.jump,
    hostKey: host.hostKey,
    deployments,
    targets,
    createdAt: host.createdAt,
    updatedAt: host.updatedAt,
  };
}

export function loginOf(choice: LoginChoice, host: string): HostAuth {
  if (choice.kind === 'agent') return { kind: 'agent' };
  if (choice.kind === 'generate') return generateLoginKey(`rekey@${host}`);
  return importLoginKey(choice.privateKey, choice.passphrase ?? null);
}

export function hostMethods(
  session: AppSession,
  connections: HostConnections,
): Pick<Implementation, HostMethods> {
  const unlocked = async () => {
    const vault = session.requireVault();
    await vault.refresh();
    return vault;
  };
  const summary = (name: string) => {
    const vault = session.requireVault();
    return summarizeHost(vault.state, findHost(vault.state, name));
  };

  return {
    'deployments.setHosts': async ({ name, hosts }) => {
      const vault = await unlocked();
      await vault.transact((t) => setDeploymentHosts(t, name, hosts));
      const deployment = vault.state.deployments.get(name);
      if (!deployment) throw new RekeyError('NOT_FOUND', `No deployment ${name}`);
      const secrets = [...vault.state.secrets.values()].filter((s) => s.deployment === name);
      return deploymentSummary(deployment, secrets.length);
    },
    'hosts.list': async () => {
      const vault = await unlocked();
      return [...vault.state.hosts.values()]
        .map((host) => summarizeHost(vault.state, host))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    'hosts.get': async ({ name }) => {
      await unlocked();
      return summary(name);
    },
    'hosts.add': async ({ name, address, port, user, jump, login }) => {
      const vault = await unlocked();
      const auth = loginOf(login, name);
      await vault.transact((t) =>
        addHost(
          t,
          name,
          { address, port: port ?? 22, user: user ?? 'root', jump: jump ?? null },
          auth,
        ),
      );
      return summary(name);
    },
    'hosts.update': async ({ name, login, ...endpoint }) => {
      const vault = await unlocked();
      const auth = login ? loginOf(login, name) : undefined;
      await vault.transact((t) =>
        updateHost(t, name, {
          ...Object.fromEntries(
            Object.entries(endpoint).filter(([, value]) => value !== undefined),
          ),
          ...(auth ? { auth } : {}),
        }),
      );
      return summary(name);
    },
    'hosts.remove': async ({ name }) => {
      const vault = await unlocked();
      await vault.transact((t) => removeHost(t, name));
      return { name };
    },
    'hosts.probe': async ({ name }) => {
      const { host, key } = await connections.probe(name);
      const pinned = host.hostKey?.fingerprint ?? null;
      const status = pinned === null ? 'unknown' : pinned === key.fingerprint ? 'match' : 'changed';
      return { name, algorithm: key.algorithm, fingerprint: key.fingerprint, pinned, status };
    },
    'hosts.trust': async ({ name, fingerprint }) => {
      // Look again: what gets pinned is what the host presents now, and only if it is the
      // key the user confirmed.
      const { key } = await connections.probe(name);
      if (key.fingerprint !== fingerprint) {
        throw new RekeyError(
          'HOST_KEY_MISMATCH',
          `Host ${name} now presents ${key.fingerprint}, not the ${fingerprint} you confirmed; nothing was pinned`,
        );
      }
      const vault = await unlocked();
      await vault.transact((t) => trustHostKey(t, name, key));
      return summary(name);
    },
    'hosts.test': async ({ name }) => {
      const started = performance.now();
      const connection = await connections.connect(name);
      const [user, system] = await Promise.all([
        connection.exec({ argv: ['id', '-un'], timeoutMs: 30_000 }),
        connection.exec({ argv: ['uname', '-sr'], timeoutMs: 30_000 }),
      ]);
      return {
        name,
        latencyMs: Math.round(performance.now() - started),
        remoteUser: user.stdout.trim(),
        system: system.stdout.trim(),
      };
    },
    'hosts.importSshConfig': async (input) => importSshConfig(await unlocked(), input),
    'hosts.scan': async (input) => scan(session.requireVault(), connections, input),
    'hosts.adopt': async (input) => adopt(session.requireVault(), connections, input),
  };
}
