import type { MethodName, MethodOutput } from '../../shared/api';
import { RekeyError, type Result } from '../../shared/errors';
import type { AppEvent } from '../../shared/methods';
import { backupMethods } from './backups';
import { clusterMethods } from './clusters';
import { dashboardMethods } from './dashboard';
import { type InnerCall, demoMethods } from './demo';
import { generatorMethods } from './generator';
import { type CallContext, type Implementation, handle } from './handle';
import { healthMethods } from './health';
import { historyMethods } from './history';
import { HostConnections } from './host-connections';
import { hostMethods } from './hosts';
import { importEnv } from './import-env';
import { incidentMethods } from './incidents';
import { interchangeMethods } from './interchange';
import { playbookMethods } from './playbooks';
import { preferenceMethods } from './preferences';
import { rotationMethods } from './rotations';
import { secretMethods } from './secrets';
import { type AppOptions, AppSession } from './session';
import { strengthMethods } from './strength';
import { vaultMethods } from './vault';

/** The contract implemented once; every front door talks to the core through `call`. */
export interface RekeyApp {
  session: AppSession;
  call<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Loads preferences (and the last vault path when none was given); call once at start. */
  start(): Promise<void>;
}

/** Calls that change the inventory: other windows and tabs are told to refresh. */
const CHANGING: ReadonlySet<MethodName> = new Set([
  'secrets.add',
  'secrets.update',
  'secrets.setValue',
  'secrets.remove',
  'secrets.importEnv',
  'vault.compact',
  'vault.rememberDevice',
  'vault.forgetDevice',
  'deployments.setHosts',
  'deployments.setPlaybook',
  'playbooks.add',
  'playbooks.remove',
  'rotations.start',
  'rotations.resume',
  'hosts.add',
  'hosts.update',
  'hosts.remove',
  'hosts.trust',
  'hosts.importSshConfig',
  'hosts.adopt',
  'demo.create',
  'backups.create',
  'backups.verify',
  'backups.restore',
  'keys.generate',
  'keys.import',
  'clusters.add',
  'clusters.update',
  'clusters.remove',
  'clusters.adopt',
  'incidents.open',
  'incidents.update',
  'incidents.link',
  'incidents.setStatus',
  'incidents.addEntry',
  'incidents.editEntry',
  'incidents.removeEntry',
  'incidents.followUp',
  'incidents.exposed',
  'incidents.respond',
  'incidents.hostCompromised',
  'interchange.apply',
  'interchange.export',
  'secrets.snooze',
  'health.fix',
]);

/** Calls a window may make on its own (status checks): they do not postpone the idle lock. */
const PASSIVE: ReadonlySet<MethodName> = new Set(['app.info', 'vault.status', 'preferences.get']);

export function createApp(options: AppOptions, pinnedVaultPath = true): RekeyApp {
  const session = new AppSession(options);
  // One SSH connection per host for the whole session, closed when the vault locks.
  const connections = new HostConnections(session);
  const context: CallContext = { redactor: () => session.vault?.redactor ?? null };
  /** For methods built from other methods (the demo): the same checks, errors thrown. */
  const inner: InnerCall = async (method, input) => {
    const result = await handle(implementation, method, input, context);
    if (!result.ok) throw new RekeyError(result.error.code, result.error.message);
    return result.value;
  };
  const implementation: Implementation = {
    ...preferenceMethods(session),
    ...vaultMethods(session),
    ...dashboardMethods(session),
    ...secretMethods(session),
    'secrets.importEnv': async (input) => importEnv(session.requireVault(), input),
    ...hostMethods(session, connections),
    ...historyMethods(session),
    ...generatorMethods(),
    ...strengthMethods(),
    ...playbookMethods(session),
    ...rotationMethods(session, connections),
    ...backupMethods(session, connections),
    ...incidentMethods(session),
    ...interchangeMethods(session),
    ...clusterMethods(session),
    ...healthMethods(session, connections),
    ...demoMethods(session, inner),
  };
  return {
    session,
    onEvent: (listener) => session.events.subscribe(listener),
    start: async () => {
      const stored = await session.preferences.load();
      if (!pinnedVaultPath && stored.lastVaultPath) session.vaultPath = stored.lastVaultPath;
    },
    call: async (method, input) => {
      if (!PASSIVE.has(method)) session.touch();
      const result = await handle(implementation, method, input, context);
      if (result.ok && CHANGING.has(method)) session.emit({ type: 'vault.changed' });
      return result;
    },
  };
}

export type { AppOptions } from './session';
