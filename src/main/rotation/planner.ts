import { RekeyError, isRekeyError } from '../../shared/errors';
import { type GeneratorSpec, LOCAL_HOST, isTargetFormat, splitRef } from '../../shared/model';
import { findSecret } from '../vault/changes';
import type { PlannedAction, PlannedStep } from '../vault/rotation-records';
import { type DeploymentRecord, type SecretRecord, type VaultState, refOf } from '../vault/state';
import { builtinPlaybook } from './builtin-playbooks';
import { type ChecklistItem, checklistItem } from './checklist';
import { type Playbook, type PlaybookSecret, loadPlaybook } from './playbook';
import { resolveVariables } from './playbook-variables';
import { type Binding, assertSecretPath, plannedActions } from './plan-steps';
import { describeAction } from './plan-titles';

/**
 * What a rotation of some secrets of one deployment will do, before anything is done: the
 * steps bound to hosts and paths, the checklist to confirm, and what stands in the way
 * (guarded secrets). Secrets of a deployment with a playbook rotate by its procedure; others
 * by their targets alone (write each, check each), which restarts nothing.
 */

export interface GuardedSecret {
  ref: string;
  reason: string;
}

export interface RunPlan {
  deployment: string;
  secrets: SecretRecord[];
  /** `playbook synctv` or `targets`. */
  procedure: string;
  steps: PlannedStep[];
  checklist: ChecklistItem[];
  guarded: GuardedSecret[];
  /** Things the user should know before starting, e.g. that nothing is restarted. */
  warnings: string[];
  /** How each secret's new value is drawn: the playbook's generator, else the secret's. */
  generators: ReadonlyMap<string, GeneratorSpec | null>;
}

export function findPlaybook(state: Readonly<VaultState>, id: string): Playbook {
  const builtin = builtinPlaybook(id);
  if (builtin) return builtin;
  const saved = state.playbooks.get(id);
  if (!saved) throw new RekeyError('NOT_FOUND', `No playbook "${id}"`);
  return loadPlaybook(saved.text, `${id}.yaml`);
}

/**
 * Whether the deployment's playbook guards the secret (SyncTV's OPAQUE setup secret, Synapse's
 * signing key...). A playbook that no longer loads guards nothing; planning reports it.
 */
export function guardedByPlaybook(state: Readonly<VaultState>, secret: SecretRecord): boolean {
  const binding = state.deployments.get(secret.deployment)?.playbook;
  if (!binding) return false;
  try {
    const playbook = findPlaybook(state, binding.id);
    return playbook.secrets.find((entry) => entry.name === secret.name)?.guarded ?? false;
  } catch {
    return false;
  }
}

interface SecretProcedure {
  secret: SecretRecord;
  actions: PlannedAction[];
  checklist: ChecklistItem[];
  guardReason: string | null;
  procedure: string;
  warnings: string[];
  generator: GeneratorSpec | null;
}

export function planRotation(state: Readonly<VaultState>, refs: readonly string[]): RunPlan {
  if (refs.length === 0)
    throw new RekeyError('INVALID_INPUT', 'Name at least one secret to rotate');
  const unique = [...new Set(refs)];
  const deployments = new Set(unique.map((ref) => splitRef(ref).deployment));
  if (deployments.size > 1) {
    throw new RekeyError(
      'INVALID_INPUT',
      `One run rotates secrets of one deployment; these belong to ${[...deployments].join(', ')}`,
    );
  }
  const secrets = unique.map((ref) => findSecret(state, ref));
  const deploymentName = secrets[0]?.deployment ?? '';
  const deployment = state.deployments.get(deploymentName);
  if (!deployment) throw new RekeyError('NOT_FOUND', `No deployment ${deploymentName}`);
  const procedures = secrets.map((secret) => procedureFor(state, deployment, secret));
  const procedureNames = [...new Set(procedures.map((procedure) => procedure.procedure))];
  const refById = new Map(secrets.map((secret) => [secret.id, refOf(secret)]));
  const ref = (secretId: string) => refById.get(secretId) ?? secretId;
  return {
    deployment: deployment.name,
    secrets,
    procedure: procedureNames.join(' + '),
    steps: mergeActions(procedures.map((procedure) => procedure.actions)).map((action) => ({
      title: describeAction(action, ref),
      action,
    })),
    checklist: uniqueItems(procedures.flatMap((procedure) => procedure.checklist)),
    guarded: procedures.flatMap((procedure) =>
      procedure.guardReason === null
        ? []
        : [{ ref: refOf(procedure.secret), reason: procedure.guardReason }],
    ),
    warnings: [...new Set(procedures.flatMap((procedure) => procedure.warnings))],
    generators: new Map(procedures.map((procedure) => [procedure.secret.id, procedure.generator])),
  };
}

function procedureFor(
  state: Readonly<VaultState>,
  deployment: DeploymentRecord,
  secret: SecretRecord,
): SecretProcedure {
  if (deployment.playbook) {
    const playbook = findPlaybook(state, deployment.playbook.id);
    const entry = playbook.secrets.find((candidate) => candidate.name === secret.name);
    if (entry) return playbookProcedure(playbook, entry, deployment, secret);
    if (secret.metadata.targets.length === 0) {
      throw new RekeyError(
        'INVALID_INPUT',
        `Playbook ${playbook.id} has no secret ${secret.name}, and ${refOf(secret)} has no targets to write`,
      );
    }
  }
  return targetsProcedure(secret);
}

function playbookProcedure(
  playbook: Playbook,
  entry: PlaybookSecret,
  deployment: DeploymentRecord,
  secret: SecretRecord,
): SecretProcedure {
  const binding = deployment.playbook;
  if (!binding) throw new RekeyError('INTERNAL', 'deployment without a playbook');
  const defaultHost = deployment.hosts[0] ?? LOCAL_HOST;
  const bound: Binding = {
    secretId: secret.id,
    variables: resolveVariables(playbook, binding.variables, { allowMissing: true }),
    playbookId: playbook.id,
    hostOf: (targetId) => binding.targetHosts[targetId] ?? defaultHost,
  };
  const guardReason = entry.guarded
    ? (entry.guard_reason ?? `${entry.name} is guarded: ${entry.impact}`)
    : null;
  let actions: PlannedAction[];
  try {
    actions = entry.steps.flatMap((step) => plannedActions(step, entry, bound));
  } catch (error) {
    if (guardReason === null || !isRekeyError(error)) throw error;
    throw new RekeyError('INVALID_INPUT', `${refOf(secret)}: ${guardReason}\n${error.message}`);
  }
  // The safe path for a guarded key: its procedure migrates the data with the user's command.
  const migrates = actions.some((action) => action.kind === 'migrate');
  return {
    secret,
    actions,
    checklist: [...playbook.checklist, ...entry.checklist].map(checklistItem),
    guardReason: migrates ? null : guardReason,
    procedure: `playbook ${playbook.id}`,
    warnings: migrates
      ? [
          `${refOf(secret)} is guarded; this run takes the safe path: the data is re-encrypted by the migration command before the new value is used.`,
        ]
      : [],
    generator: entry.generator ?? secret.metadata.generator,
  };
}

/** No playbook: write the new value into every target the secret has, then check each. */
function targetsProcedure(secret: SecretRecord): SecretProcedure {
  const ref = refOf(secret);
  if (secret.metadata.targets.length === 0) {
    throw new RekeyError(
      'INVALID_INPUT',
      `${ref} has no targets and its deployment no playbook: Rekey does not know where it lives`,
    );
  }
  const targets = secret.metadata.targets.map((target) => {
    if (!isTargetFormat(target.format)) {
      throw new RekeyError(
        'INVALID_INPUT',
        `${ref} has a target of unknown format ${target.format}`,
      );
    }
    if (target.format === 'kubernetes') assertSecretPath(target.path, ref);
    return {
      host: target.host,
      path: target.path,
      format: target.format,
      key: target.key,
      mode: null,
      ...(target.inner && { inner: target.inner }),
      ...(target.derived && { derived: target.derived }),
    };
  });
  return {
    secret,
    actions: [
      { kind: 'generate', secretId: secret.id },
      ...targets.map((target) => ({ kind: 'write' as const, secretId: secret.id, target })),
      { kind: 'verify', secretId: secret.id, check: { type: 'fingerprint', targets }, withinMs: 0 },
    ],
    checklist: [checklistItem('backup'), checklistItem('blast-radius'), checklistItem('rollback')],
    guardReason: null,
    procedure: 'targets',
    generator: secret.metadata.generator,
    warnings: [
      `${ref} has no playbook: Rekey writes its targets but restarts nothing, so services keep the old value until they restart.`,
    ],
  };
}

function uniqueItems(items: ChecklistItem[]): ChecklistItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.id) && seen.add(item.id));
}

/**
 * One procedure as written; several in one run: every new value is generated first, then each
 * secret's steps up to its first restart, then the rest, where a restart another secret
 * already asked for is not repeated (one restart at the end serves them all).
 */
export function mergeActions(procedures: PlannedAction[][]): PlannedAction[] {
  if (procedures.length === 1) return procedures[0] ?? [];
  const generates = procedures.flat().filter((action) => action.kind === 'generate');
  const heads: PlannedAction[] = [];
  const tails: PlannedAction[] = [];
  const restarts = new Set<string>();
  for (const actions of procedures) {
    const rest = actions.filter((action) => action.kind !== 'generate');
    const firstRestart = rest.findIndex((action) => action.kind === 'restart');
    const split = firstRestart === -1 ? rest.length : firstRestart;
    heads.push(...rest.slice(0, split));
    for (const action of rest.slice(split)) {
      if (action.kind === 'restart' && action.secretId === null) {
        const key = JSON.stringify([action.host, action.restart]);
        if (restarts.has(key)) continue;
        restarts.add(key);
      }
      tails.push(action);
    }
  }
  return [...generates, ...heads, ...tails];
}
