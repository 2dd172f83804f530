import { RekeyError } from '../../shared/errors';
import type { RotationRun } from '../../shared/rotation-api';
import { type NewValue } from '../vault/changes';
import { findRun } from '../vault/rotation-changes';
import { setDeploymentPlaybook } from '../vault/playbook-changes';
import type { Vault } from '../vault/vault';
import { previewTargets } from '../rotation/dry-run';
import { RotationEngine } from '../rotation/engine';
import { type RunPlan, findPlaybook, planRotation } from '../rotation/planner';
import { resolveVariables } from '../rotation/playbook-variables';
import type { ClusterAccess } from '../rotation/run-context';
import { clusterClient } from './clusters';
import type { Implementation } from './handle';
import type { HostConnections } from './host-connections';
import { planView, runSummary, runView } from './run-view';
import { deploymentSummary, prepareValue } from './secrets';
import type { AppSession } from './session';

/**
 * Rotation as the contract offers it. A run started from a window goes on in the background
 * and reports each transition as a `rotation.progress` event; a confirm step waits here until
 * the user ticks it (rotations.confirm), or for ever if they never do: the run then stays
 * `running` until the app ends, and is found interrupted on the next open.
 */

type RotationMethods =
  | 'deployments.setPlaybook'
  | 'rotations.plan'
  | 'rotations.preview'
  | 'rotations.start'
  | 'rotations.get'
  | 'rotations.list'
  | 'rotations.resume'
  | 'rotations.confirm';

interface Awaiting {
  index: number;
  text: string;
  answer(confirmed: boolean): void;
}

export function rotationMethods(
  session: AppSession,
  connections: HostConnections,
): Pick<Implementation, RotationMethods> {
  const awaiting = new Map<string, Awaiting>();
  const unlocked = async (): Promise<Vault> => {
    const vault = session.requireVault();
    await vault.refresh();
    return vault;
  };
  const engineFor = (vault: Vault) =>
    new RotationEngine({
      vault,
      connector: (host) => connections.connector(host),
      cluster: clustersOf(vault),
      confirm: ({ runId, index, text }) =>
        new Promise<boolean>((resolve) => {
          awaiting.set(runId, {
            index,
            text,
            answer: (confirmed) => {
              awaiting.delete(runId);
              resolve(confirmed);
            },
          });
          session.emit({ type: 'rotation.progress', runId });
        }),
      onProgress: ({ runId }) => session.emit({ type: 'rotation.progress', runId }),
    });
  const view = (vault: Vault, runId: string): RotationRun => {
    const waiting = awaiting.get(runId);
    return runView(
      vault.state,
      findRun(vault, runId),
      waiting ? { index: waiting.index, text: waiting.text } : null,
    );
  };
  /** Runs the run to its end, or in the background (its failures are in the run's record). */
  const carryOut = async (vault: Vault, engine: RotationEngine, runId: string, wait: boolean) => {
    // An ended run changed the inventory (the new value current, or the pending one dropped).
    const work = engine.proceed(runId).finally(() => session.emit({ type: 'vault.changed' }));
    if (wait) await work;
    else work.catch(() => undefined);
    return view(vault, runId);
  };

  return {
    'deployments.setPlaybook': async ({ name, playbook, variables, targetHosts }) => {
      const vault = await unlocked();
      if (playbook !== null) {
        resolveVariables(findPlaybook(vault.state, playbook), variables, { allowMissing: true });
      }
      await vault.transact((t) =>
        setDeploymentPlaybook(t, name, { playbook, variables, targetHosts }),
      );
      const deployment = vault.state.deployments.get(name);
      if (!deployment) throw new RekeyError('NOT_FOUND', `No deployment ${name}`);
      const count = [...vault.state.secrets.values()].filter((s) => s.deployment === name).length;
      return deploymentSummary(deployment, count);
    },
    'rotations.plan': async ({ refs }) => planView(planRotation((await unlocked()).state, refs)),
    'rotations.preview': async ({ refs }) => {
      const vault = await unlocked();
      const plan = planRotation(vault.state, refs);
      const targets = await previewTargets(plan, {
        connector: (host) => connections.connector(host),
        cluster: clustersOf(vault),
        redact: (text) => vault.redactor.redact(text),
      });
      return { plan: planView(plan), targets };
    },
    'rotations.start': async ({ refs, confirmed, guardedConfirmation, value, wait }) => {
      const vault = await unlocked();
      const plan = planRotation(vault.state, refs);
      if (value && plan.secrets.length !== 1) {
        throw new RekeyError('INVALID_INPUT', 'A value can be given when one secret rotates');
      }
      const guardedConfirmed =
        plan.guarded.length > 0 &&
        plan.guarded.every((guard) => guardedConfirmation?.split(/[\s,]+/).includes(guard.ref));
      const newValues = await newValuesFor(plan, value);
      const engine = engineFor(vault);
      const runId = await engine.stage(plan, { confirmed, newValues, guardedConfirmed });
      return carryOut(vault, engine, runId, wait);
    },
    'rotations.get': async ({ runId }) => view(await unlocked(), runId),
    'rotations.list': async () => {
      const vault = await unlocked();
      return [...vault.state.rotations.values()]
        .map((run) => runSummary(vault.state, run))
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    },
    'rotations.resume': async ({ runId, mode, wait }) => {
      const vault = await unlocked();
      const engine = engineFor(vault);
      await engine.takeUp(runId, mode);
      return carryOut(vault, engine, runId, wait);
    },
    'rotations.confirm': async ({ runId, index, confirmed }) => {
      const vault = await unlocked();
      const waiting = awaiting.get(runId);
      if (!waiting || waiting.index !== index) {
        throw new RekeyError('INVALID_INPUT', `Run ${runId} is not waiting for step ${index + 1}`);
      }
      waiting.answer(confirmed);
      return view(vault, runId);
    },
  };
}

/** Kubernetes clients for one run (or preview): each cluster's kubeconfig read once. */
function clustersOf(vault: Vault): (name: string) => Promise<ClusterAccess> {
  const opened = new Map<string, Promise<ClusterAccess>>();
  return (name) => {
    let access = opened.get(name);
    if (!access) {
      access = clusterClient(vault, name);
      opened.set(name, access);
      // A kubeconfig that could not be read may be fixed before the next try.
      access.catch(() => opened.delete(name));
    }
    return access;
  };
}

async function newValuesFor(
  plan: RunPlan,
  value: Parameters<typeof prepareValue>[0] | undefined,
): Promise<Map<string, NewValue>> {
  const values = new Map<string, NewValue>();
  for (const secret of plan.secrets) {
    const ref = `${secret.deployment}/${secret.name}`;
    const spec = plan.generators.get(secret.id) ?? undefined;
    values.set(
      secret.id,
      await prepareValue(
        value ?? { kind: 'generate', ...(spec ? { spec } : {}) },
        ref,
        secret.metadata,
      ),
    );
  }
  return values;
}
