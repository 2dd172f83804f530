/**
 * The names of the API contract's methods, without their schemas: what the preload needs to
 * build `window.rekey` without bundling a schema library into the sandbox. `api.ts` is
 * type-checked against this list, so the two cannot drift apart.
 */
export const METHOD_NAMES = [
  'app.info',
  'vault.status',
  'vault.create',
  'vault.unlock',
  'vault.unlockWithKeychain',
  'vault.rememberDevice',
  'vault.forgetDevice',
  'vault.lock',
  'vault.setPath',
  'vault.changePassword',
  'vault.compact',
  'preferences.get',
  'preferences.update',
  'dashboard.summary',
  'deployments.list',
  'deployments.setHosts',
  'deployments.setPlaybook',
  'hosts.list',
  'hosts.get',
  'hosts.add',
  'hosts.update',
  'hosts.remove',
  'hosts.probe',
  'hosts.trust',
  'hosts.test',
  'hosts.importSshConfig',
  'hosts.scan',
  'hosts.adopt',
  'secrets.list',
  'secrets.get',
  'secrets.add',
  'secrets.update',
  'secrets.setValue',
  'secrets.remove',
  'secrets.reveal',
  'secrets.copy',
  'secrets.importEnv',
  'history.list',
  'history.verify',
  'history.export',
  'playbooks.list',
  'playbooks.get',
  'playbooks.validate',
  'playbooks.add',
  'playbooks.remove',
  'rotations.plan',
  'rotations.preview',
  'rotations.start',
  'rotations.get',
  'rotations.list',
  'rotations.resume',
  'rotations.confirm',
  'demo.create',
  'backups.create',
  'backups.verify',
  'backups.databases',
  'backups.destination',
  'backups.restore',
  'backups.list',
  'keys.list',
  'keys.generate',
  'keys.import',
  'keys.export',
  'clusters.list',
  'clusters.contexts',
  'clusters.add',
  'clusters.update',
  'clusters.remove',
  'clusters.test',
  'clusters.scan',
  'clusters.adopt',
  'incidents.list',
  'incidents.get',
  'incidents.open',
  'incidents.update',
  'incidents.link',
  'incidents.setStatus',
  'incidents.addEntry',
  'incidents.editEntry',
  'incidents.removeEntry',
  'incidents.followUp',
  'incidents.export',
  'incidents.exposed',
  'incidents.response',
  'incidents.respond',
  'incidents.hostCompromised',
  'generator.generate',
  'strength.check',
  'interchange.preview',
  'interchange.apply',
  'interchange.export',
  'health.report',
  'health.due',
  'health.fix',
  'health.export',
  'secrets.snooze',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

/** `vault.unlock` -> `vault`: the namespaces of `window.rekey`. */
export type Namespace = MethodName extends `${infer N}.${string}` ? N : never;

/** Events the core pushes to every connected window or tab. */
export type AppEvent =
  | { type: 'vault.locked'; reason: 'user' | 'idle' | 'suspend' | 'lock-screen' }
  | { type: 'vault.unlocked' }
  | { type: 'vault.changed' }
  | { type: 'kdf.progress'; fraction: number }
  /** A step of a rotation run changed state (or the run ended): fetch it with rotations.get. */
  | { type: 'rotation.progress'; runId: string }
  /** Bytes bundled so far of a backup being made (totalBytes once the dumps are done). */
  /**
   * A bundle being made (plaintext bytes bundled), verified or restored (bytes of the
   * encrypted file read; `part` is `verifying` or `restoring ...`).
   */
  | { type: 'backup.progress'; part: string; bytes: number; totalBytes: number | null }
  /** Host checks of a health report: `done` of `total` hosts checked, `host` the one now. */
  | { type: 'health.progress'; host: string | null; done: number; total: number };
