import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { RekeyError, isRekeyError } from '../../shared/errors';
import type { Connector } from '../connectors/connector';
import { type NewValue, addVersion } from '../vault/changes';
import {
  type RunOwner,
  dropPending,
  findRun,
  finishRun,
  promotePending,
  recordStep,
  resumeRun,
  startRun,
} from '../vault/rotation-changes';
import type { PlannedAction, StepState } from '../vault/rotation-records';
import type { RotationRecord } from '../vault/rotation-state';
import { refOf } from '../vault/state';
import { newId } from '../vault/transaction';
import type { Vault } from '../vault/vault';
import type { RunPlan } from './planner';
import { runForward, runUndo } from './run-actions';
import { checkWithin, heldValue } from './run-checks';
import { describeTarget } from './plan-titles';
import { manualKubeUndo } from './kube-actions';
import { type ClusterAccess, type StepContext, runValues, sameValue } from './run-context';

/**
 * The rotation state machine. A run is planned, staged (every new value stored as `pending`
 * and fsynced together with the plan, before anything remote changes), then each step runs
 * with its start and its end recorded in the vault. The first failure turns the run around:
 * every step that ran or may have run is undone in reverse order, restarts run again, and the
 * old state is checked. A run ends `rotated` (pending becomes current), `rolled-back`, or
 * `needs-attention` with exact instructions. A run cut short by a crash is found on the next
 * open (its owner process is gone) and can be resumed or rolled back from its records.
 */

export interface RunProgress {
  runId: string;
  index: number;
  state: StepState;
  detail: string;
}

export interface EngineOptions {
  vault: Vault;
  connector(host: string): Promise<Connector>;
  /** Kubernetes clusters, by name; without it Kubernetes targets and restarts fail. */
  cluster?(name: string): Promise<ClusterAccess>;
  /** Manual confirm steps; without it they are refused. */
  confirm?(request: { runId: string; index: number; text: string }): Promise<boolean>;
  onProgress?(progress: RunProgress): void;
  sleep?(ms: number): Promise<void>;
}

export interface StartInput {
  /** Checklist item ids the user confirmed; every item of the plan must be among them. */
  confirmed: readonly string[];
  /** The new value of each secret (by id), prepared by the caller (generated or entered). */
  newValues: ReadonlyMap<string, NewValue>;
  /** The user typed the confirmation that rotates guarded secrets anyway (an incident). */
  guardedConfirmed?: boolean;
}

/** Runs this process is carrying out now: theirs is not an interrupted run. */
const active = new Set<string>();

export function currentOwner(): RunOwner {
  return { pid: process.pid, machine: hostname() };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, only not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A run that is not finished and whose process is gone (or never finished it). */
export function isInterrupted(run: RotationRecord): boolean {
  if (run.outcome !== null || active.has(run.id)) return false;
  if (run.owner.machine !== hostname()) return false;
  return run.owner.pid === process.pid || !processAlive(run.owner.pid);
}

/** Secrets that must not start another run: theirs is unfinished or needs attention. */
export function busySecrets(runs: Iterable<RotationRecord>): Map<string, string> {
  const busy = new Map<string, string>();
  for (const run of runs) {
    if (run.outcome === null || run.outcome === 'needs-attention') {
      for (const secretId of run.secretIds) busy.set(secretId, run.id);
    }
  }
  return busy;
}

export class RotationEngine {
  readonly #options: EngineOptions;

  constructor(options: EngineOptions) {
    this.#options = options;
  }

  get #vault(): Vault {
    return this.#options.vault;
  }

  /**
   * `step` is kept up to date by the caller, so a confirm knows which step asks and progress
   * lands on the step that reports it. Progress records are written one after the other;
   * `settled()` waits for them before the step's end is recorded.
   */
  #context(runId: string, step: StepCursor): StepContext & { settled(): Promise<void> } {
    const vault = this.#vault;
    let progress: Promise<void> = Promise.resolve();
    return {
      connector: (host) => this.#options.connector(host),
      cluster: (name) => {
        const cluster = this.#options.cluster;
        if (!cluster) {
          throw new RekeyError('INTERNAL', `No access to Kubernetes clusters here (${name})`);
        }
        return cluster(name);
      },
      progress: (detail) => {
        const { index, state } = step;
        if (index < 0) return;
        // Progress is only shown: a record that fails to land must not fail the step.
        progress = progress
          .then(() => this.#record(runId, index, state, detail))
          .catch(() => undefined);
      },
      settled: () => progress,
      values: (secretId) => runValues(vault.state, secretId),
      redact: (text) => vault.redactor.redact(text),
      confirm: (text) =>
        this.#options.confirm?.({ runId, index: step.index, text }) ?? Promise.resolve(false),
      sleep: this.#options.sleep ?? ((ms) => delay(ms)),
      now: () => Date.now(),
    };
  }

  /** Records the plan and the new values, then runs it to its end. */
  async start(plan: RunPlan, input: StartInput): Promise<RotationRecord> {
    return this.proceed(await this.stage(plan, input));
  }

  /**
   * Checks the plan can start, then records it with every new value as `pending` in one
   * fsynced record, before anything remote changes. Returns the run's id.
   */
  async stage(plan: RunPlan, input: StartInput): Promise<string> {
    checkStartable(plan, input);
    const runId = `r_${newId('s').slice(2)}`;
    active.add(runId);
    try {
      await this.#vault.transact((transaction) => {
        const busy = busySecrets(transaction.state.rotations.values());
        for (const secret of plan.secrets) {
          const other = busy.get(secret.id);
          if (other) {
            throw new RekeyError(
              'CONFLICT',
              `${refOf(secret)} is in rotation run ${other}, which has not finished: resume or roll it back first`,
            );
          }
          if (!secret.versions.some((version) => version.labels.includes('current'))) {
            throw new RekeyError(
              'INVALID_INPUT',
              `${refOf(secret)} has no current value to rotate`,
            );
          }
        }
        const run = startRun(transaction, {
          runId,
          deployment: plan.deployment,
          secrets: plan.secrets,
          procedure: plan.procedure,
          steps: plan.steps,
          confirmed: [...input.confirmed],
          owner: currentOwner(),
        });
        plan.steps.forEach((step, index) => {
          if (step.action.kind !== 'generate') return;
          const secret = transaction.state.secrets.get(step.action.secretId);
          const value = input.newValues.get(step.action.secretId);
          if (!secret || !value) throw new RekeyError('INTERNAL', 'no new value prepared');
          addVersion(
            transaction,
            secret,
            value,
            (text) => this.#vault.fingerprint(text),
            'pending',
          );
          recordStep(
            transaction,
            run,
            index,
            'done',
            `stored as pending, fp:${this.#vault.fingerprint(value.value)}`,
          );
        });
      });
    } catch (error) {
      active.delete(runId);
      throw error;
    }
    return runId;
  }

  /** Takes up an interrupted run (or retries the rollback of one that needs attention). */
  async resume(runId: string, mode: 'resume' | 'rollback'): Promise<RotationRecord> {
    await this.takeUp(runId, mode);
    return this.proceed(runId);
  }

  /** Claims an interrupted run for this process; refusals (still running, ended) throw here. */
  async takeUp(runId: string, mode: 'resume' | 'rollback'): Promise<void> {
    await this.#vault.transact((transaction) => {
      const run = findRun(transaction, runId);
      if (run.outcome === 'rotated' || run.outcome === 'rolled-back') {
        throw new RekeyError('CONFLICT', `Run ${runId} has already ended ${run.outcome}`);
      }
      if (run.outcome !== 'needs-attention' && !isInterrupted(run)) {
        throw new RekeyError(
          'CONFLICT',
          `Run ${runId} is still running (process ${run.owner.pid} on ${run.owner.machine})`,
        );
      }
      if (mode === 'resume' && (run.direction === 'rollback' || run.outcome !== null)) {
        throw new RekeyError(
          'CONFLICT',
          `Run ${runId} was rolling back; it can only be rolled back (rekey rotate rollback ${runId})`,
        );
      }
      if (mode === 'resume') {
        const cut = run.steps.findIndex(
          (step, index) =>
            step.action.kind === 'migrate' && run.stepStates[index]?.state === 'running',
        );
        if (cut !== -1) {
          throw new RekeyError(
            'CONFLICT',
            `Step ${cut + 1} (a data migration) was cut short; running it again could re-encrypt twice. Roll back instead.`,
          );
        }
      }
      resumeRun(transaction, run, currentOwner(), mode);
      active.add(runId);
    });
  }

  /** Runs a staged or taken-up run to its end: forward, or back once it has turned. */
  async proceed(runId: string): Promise<RotationRecord> {
    active.add(runId);
    try {
      return this.#run(runId).direction === 'rollback'
        ? await this.#rollback(runId, 'rollback asked for')
        : await this.#forward(runId);
    } finally {
      active.delete(runId);
    }
  }

  #run(runId: string): RotationRecord {
    return findRun(this.#vault, runId);
  }

  async #record(
    runId: string,
    index: number,
    state: StepState,
    detail: string,
    backupPath?: string | null,
  ): Promise<void> {
    const redacted = this.#vault.redactor.redact(detail);
    await this.#vault.transact((transaction) =>
      recordStep(transaction, findRun(transaction, runId), index, state, redacted, backupPath),
    );
    this.#options.onProgress?.({ runId, index, state, detail: redacted });
  }

  async #forward(runId: string): Promise<RotationRecord> {
    const at: StepCursor = { index: 0, state: 'running' };
    const context = this.#context(runId, at);
    const { steps } = this.#run(runId);
    for (let index = 0; index < steps.length; index += 1) {
      const step = steps[index];
      at.index = index;
      if (!step || this.#run(runId).stepStates[index]?.state === 'done') continue;
      await this.#record(runId, index, 'running', '');
      try {
        const result = await runForward(step.action, context);
        await context.settled();
        await this.#record(runId, index, 'done', result.detail, result.backupPath);
      } catch (error) {
        const reason = messageOf(error, context);
        await context.settled();
        await this.#record(runId, index, 'failed', reason);
        return this.#rollback(runId, `step ${index + 1} failed: ${reason}`);
      }
    }
    await this.#vault.transact((transaction) => {
      const run = findRun(transaction, runId);
      for (const secretId of run.secretIds) {
        const secret = transaction.state.secrets.get(secretId);
        const pending = secret?.versions.find((version) => version.labels.includes('pending'));
        if (secret && pending) promotePending(transaction, secret, pending);
      }
      finishRun(transaction, run, 'rotated', `${run.steps.length} steps done`);
    });
    return this.#run(runId);
  }

  /**
   * Undoes, newest first, every step that ran or may have run; restarts again what was
   * restarted; then checks that the old value is back everywhere it was written.
   */
  async #rollback(runId: string, reason: string): Promise<RotationRecord> {
    const at: StepCursor = { index: -1, state: 'undoing' };
    const context = this.#context(runId, at);
    const run = this.#run(runId);
    const problems: string[] = [];
    const touched = (index: number) => {
      const state = run.stepStates[index]?.state;
      return state !== undefined && state !== 'undone';
    };
    const restarts: number[] = [];
    for (let index = run.steps.length - 1; index >= 0; index -= 1) {
      const action = run.steps[index]?.action;
      if (!action || !touched(index)) continue;
      if (action.kind === 'restart') {
        restarts.unshift(index);
        continue;
      }
      if (!hasUndo(action)) continue;
      const recorded = this.#run(runId).stepStates[index];
      if (action.kind === 'migrate' && recorded?.state !== 'done') {
        const text = `step ${index + 1} (${run.steps[index]?.title ?? 'migration'}) was cut short or failed: the data may be partly re-encrypted; restore it from your backup`;
        await this.#record(runId, index, 'undo-failed', text);
        problems.push(text);
        continue;
      }
      await this.#record(runId, index, 'undoing', '');
      try {
        const done = await runUndo(action, recorded?.backupPath, context);
        await this.#record(runId, index, 'undone', done ?? 'nothing to undo');
      } catch (error) {
        const text = `${messageOf(error, context)}; by hand: ${manualUndo(action, recorded?.backupPath, run)}`;
        await this.#record(runId, index, 'undo-failed', text);
        problems.push(`step ${index + 1}: ${text}`);
      }
    }
    for (const index of restarts) {
      const action = run.steps[index]?.action;
      if (action?.kind !== 'restart') continue;
      await this.#record(runId, index, 'undoing', 'restarting with the old values');
      at.index = index;
      try {
        const result = await runForward(action, context);
        await context.settled();
        await this.#record(runId, index, 'undone', result.detail);
      } catch (error) {
        const text = messageOf(error, context);
        await context.settled();
        await this.#record(runId, index, 'undo-failed', text);
        problems.push(`restart (step ${index + 1}) failed: ${text}`);
      }
    }
    problems.push(...(await this.#checkOldState(run, context)));
    await this.#vault.transact((transaction) => {
      const current = findRun(transaction, runId);
      if (problems.length > 0) {
        finishRun(
          transaction,
          current,
          'needs-attention',
          `${sentence(reason)} Rolling back left work to do by hand (the new values stay pending in the vault):\n- ${problems.join('\n- ')}`,
        );
        return;
      }
      for (const secretId of current.secretIds) {
        const secret = transaction.state.secrets.get(secretId);
        const pending = secret?.versions.find((version) => version.labels.includes('pending'));
        if (secret && pending) dropPending(transaction, secret, pending);
      }
      finishRun(
        transaction,
        current,
        'rolled-back',
        `${sentence(reason)} The old values are back in place.`,
      );
    });
    return this.#run(runId);
  }

  /** After a rollback: every written target holds the old value, and the checks still pass. */
  async #checkOldState(run: RotationRecord, context: StepContext): Promise<string[]> {
    const problems: string[] = [];
    const checked = new Set<string>();
    for (const [index, step] of run.steps.entries()) {
      const { action } = step;
      if (action.kind !== 'write' || run.stepStates[index] === null) continue;
      const key = JSON.stringify(action.target);
      if (checked.has(key)) continue;
      checked.add(key);
      try {
        const { current } = context.values(action.secretId);
        const held = await heldValue(action.target, context);
        // A target that holds nothing was never written (a write that failed creates nothing).
        if (held !== undefined && !sameValue(held, current)) {
          problems.push(
            `${describeTarget(action.target)} does not hold the old value (it should be back)`,
          );
        }
      } catch (error) {
        problems.push(
          `cannot check ${describeTarget(action.target)}: ${messageOf(error, context)}`,
        );
      }
    }
    for (const [index, step] of run.steps.entries()) {
      const { action } = step;
      // Only checks that passed with the new value say something about the old state.
      if (action.kind !== 'verify' || run.stepStates[index]?.state !== 'done') continue;
      if (action.check.type === 'old-rejected' || action.check.type === 'fingerprint') continue;
      // Written for the new value: with the old one in its place it must pass again.
      const { pending, current } = context.values(action.secretId);
      const swapped = { pending: current, current: pending };
      const outcome = await checkWithin(action.check, swapped, action.withinMs, context);
      if (!outcome.ok)
        problems.push(`with the old value, "${step.title}" fails: ${outcome.detail}`);
    }
    return problems;
  }
}

/** Which step is running and in which state, for progress and confirms. */
interface StepCursor {
  index: number;
  state: StepState;
}

function hasUndo(action: PlannedAction): boolean {
  return (
    action.kind === 'write' ||
    action.kind === 'sql' ||
    action.kind === 'redis' ||
    action.kind === 'migrate' ||
    (action.kind === 'exec' && action.undo !== undefined)
  );
}

/** What a person does when an undo fails, precise enough to follow under stress. */
function manualUndo(
  action: PlannedAction,
  backupPath: string | null | undefined,
  run: RotationRecord,
): string {
  switch (action.kind) {
    case 'write':
      if (action.target.format === 'kubernetes') return manualKubeUndo(action.target);
      return backupPath
        ? `copy ${backupPath} over ${action.target.path} on ${action.target.host}`
        : `set ${action.target.key || 'the content'} of ${action.target.path} on ${action.target.host} back to the current value (rekey secret reveal)`;
    case 'sql':
      return `ALTER ROLE ${action.role} back to the current value`;
    case 'redis':
      return action.action === 'add-password'
        ? `ACL SETUSER ${action.user} <(new value) to remove the new password`
        : `ACL SETUSER ${action.user} >(old value) to accept the old password again`;
    case 'migrate':
      return `run \`${action.argv.join(' ')}\` with the values swapped, or restore the data from backup`;
    case 'exec':
      return `run \`${(action.undo ?? []).join(' ')}\` on ${action.host}`;
    default:
      return `see run ${run.id}`;
  }
}

/** The text as a sentence: one final period, whatever it ended with. */
function sentence(text: string): string {
  return `${text.trimEnd().replace(/[.\s]+$/, '')}.`;
}

function messageOf(error: unknown, context: StepContext): string {
  const message = isRekeyError(error) || error instanceof Error ? error.message : String(error);
  return context.redact(message);
}

function checkStartable(plan: RunPlan, input: StartInput): void {
  const missing = plan.checklist.filter((item) => !input.confirmed.includes(item.id));
  if (missing.length > 0) {
    throw new RekeyError(
      'INVALID_INPUT',
      `Confirm the checklist first; not yet confirmed: ${missing.map((item) => item.id).join(', ')}`,
    );
  }
  if (plan.guarded.length > 0 && !input.guardedConfirmed) {
    throw new RekeyError(
      'INVALID_INPUT',
      `Guarded secrets refuse routine rotation:\n${plan.guarded.map((guard) => `- ${guard.ref}: ${guard.reason}`).join('\n')}`,
    );
  }
}
