import { RekeyError, isRekeyError } from '../../shared/errors';
import type { Connector, ExecRequest } from '../connectors/connector';
import { formatByName } from '../formats/format';
import type { PlannedAction, PlannedCheck, PlannedTarget } from '../vault/rotation-records';
import { setRolePassword } from './actions/postgres';
import { addRedisPassword, removeRedisPassword } from './actions/redis';
import { restartWorkloads, undoKubeWrite, writeKubeKey } from './kube-actions';
import { checkWithin, heldValue, runCheck } from './run-checks';
import { type RunValues, type StepContext, fill, fillEnv, sameValue } from './run-context';

/**
 * What each planned step does going forward, and how it is undone. Forward steps throw a
 * RekeyError (message redacted) when they fail; the engine then rolls back.
 */

export interface StepResult {
  detail: string;
  /**
   * Writes: where the replaced file was kept (null: there was none), undefined: not written;
   * for a Kubernetes Secret, the resourceVersion written (kube-actions.ts).
   */
  backupPath?: string | null;
}

const RESTART_TIMEOUT_MS = 300_000;

function failed(context: StepContext, message: string): RekeyError {
  return new RekeyError('REMOTE_FAILED', context.redact(message));
}

async function execOrFail(
  connector: Connector,
  request: ExecRequest,
  exitCode: number,
  context: StepContext,
): Promise<string> {
  const result = await connector.exec(request);
  const program = request.argv.join(' ');
  if (result.code !== exitCode) {
    const stderr = result.stderr.trim().split('\n').slice(-5).join(' / ');
    throw failed(
      context,
      `\`${program}\` on ${connector.name} exited ${result.code ?? result.signal ?? '?'} (expected ${exitCode})${stderr ? `: ${stderr}` : ''}`,
    );
  }
  return `\`${program}\` exited ${exitCode}`;
}

/** Puts `value` at the target's key, keeping every other byte; returns the backup path. */
export async function writeValue(
  target: PlannedTarget,
  value: string,
  context: StepContext,
): Promise<StepResult> {
  if (target.format === 'kubernetes') return writeKubeKey(target, value, context);
  const connector = await context.connector(target.host);
  const format = formatByName(target.format);
  let text = '';
  try {
    text = (await connector.readFile(target.path)).toString('utf8');
  } catch (error) {
    // A bare secret file may be created; a config file that is missing is a wrong path.
    if (!(isRekeyError(error) && error.code === 'NOT_FOUND' && target.format === 'file'))
      throw error;
  }
  const held = text === '' && target.format === 'file' ? undefined : format.get(text, target.key);
  if (held !== undefined && sameValue(held, value)) {
    // Already in place (a resumed run): writing again would back up the new value itself.
    return { detail: `${target.path} on ${target.host} already holds it` };
  }
  const written = await connector.writeFile(target.path, format.set(text, target.key, value), {
    mode: target.mode ?? undefined,
  });
  return {
    detail: `written to ${target.path} on ${target.host}${written.backupPath ? `; backup ${written.backupPath}` : ''}`,
    backupPath: written.backupPath,
  };
}

export async function runForward(action: PlannedAction, context: StepContext): Promise<StepResult> {
  const values =
    'secretId' in action && action.secretId !== null ? context.values(action.secretId) : null;
  const need = (): RunValues => {
    if (!values) throw new RekeyError('INTERNAL', `${action.kind} step without a secret`);
    return values;
  };
  switch (action.kind) {
    case 'generate':
      throw new RekeyError('INTERNAL', 'generate steps are staged by the engine');
    case 'write':
      return writeValue(action.target, need().pending, context);
    case 'exec':
    case 'migrate': {
      const connector = await context.connector(action.host);
      const detail = await execOrFail(
        connector,
        {
          argv: action.argv,
          stdin: action.stdin === undefined ? undefined : fill(action.stdin, need()),
          env: fillEnv(action.env, need()),
          cwd: action.cwd,
          timeoutMs: action.timeoutMs,
        },
        action.kind === 'exec' ? action.exitCode : 0,
        context,
      );
      return { detail };
    }
    case 'sql': {
      const connector = await context.connector(action.host);
      await setRolePassword(connector, sqlAccess(action, context), action.role, need().pending);
      return { detail: `password of role ${action.role} set` };
    }
    case 'redis': {
      const connector = await context.connector(action.host);
      const { pending, current } = need();
      if (action.action === 'add-password') {
        await addRedisPassword(
          connector,
          redisAccess(action, context),
          action.user,
          pending,
          current,
          action.persist,
        );
        return { detail: `user ${action.user} accepts the new and the old password` };
      }
      await removeRedisPassword(
        connector,
        redisAccess(action, context),
        action.user,
        current,
        pending,
        action.persist,
      );
      return { detail: `the old password of user ${action.user} is removed` };
    }
    case 'restart':
      return restart(action, values, context);
    case 'verify':
      return verify(action.check, need(), action.withinMs, context);
    case 'watch':
      return watch(action, need(), context);
    case 'confirm':
      if (!(await context.confirm(action.text))) {
        throw new RekeyError('INVALID_INPUT', `Not confirmed: ${action.text}`);
      }
      return { detail: 'confirmed' };
  }
}

function sqlAccess(action: PlannedAction & { kind: 'sql' }, context: StepContext) {
  return { connection: action.connection, via: action.via, redact: context.redact };
}

function redisAccess(action: PlannedAction & { kind: 'redis' }, context: StepContext) {
  return { host: action.address, port: action.port, via: action.via, redact: context.redact };
}

export async function restart(
  action: PlannedAction & { kind: 'restart' },
  values: RunValues | null,
  context: StepContext,
): Promise<StepResult> {
  const { restart: how } = action;
  // A cluster is no host to run commands on: its workloads restart through the API.
  if (how.via === 'kubernetes') return restartWorkloads(action.host, how, context);
  const connector = await context.connector(action.host);
  switch (how.via) {
    case 'compose': {
      for (const service of how.services) {
        const verb = how.recreate ? ['up', '-d', '--force-recreate', '--no-deps'] : ['restart'];
        await execOrFail(
          connector,
          {
            argv: ['docker', 'compose', '--project-directory', how.projectDir, ...verb, service],
            timeoutMs: RESTART_TIMEOUT_MS,
          },
          0,
          context,
        );
      }
      return {
        detail: `${how.services.join(', then ')} ${how.recreate ? 'recreated' : 'restarted'}`,
      };
    }
    case 'systemd':
      await execOrFail(
        connector,
        { argv: ['systemctl', 'restart', how.unit], timeoutMs: RESTART_TIMEOUT_MS },
        0,
        context,
      );
      return { detail: `${how.unit} restarted` };
    case 'command': {
      const filled = values ?? { pending: '', current: '' };
      return {
        detail: await execOrFail(
          connector,
          {
            argv: how.argv,
            stdin: how.stdin === undefined ? undefined : fill(how.stdin, filled),
            env: fillEnv(how.env, filled),
            cwd: how.cwd,
            timeoutMs: how.timeoutMs,
          },
          0,
          context,
        ),
      };
    }
  }
}

export async function verify(
  check: PlannedCheck,
  values: RunValues,
  withinMs: number,
  context: StepContext,
): Promise<StepResult> {
  const outcome = await checkWithin(check, values, withinMs, context);
  if (!outcome.ok) throw failed(context, `check failed: ${outcome.detail}`);
  return { detail: outcome.detail };
}

async function watch(
  action: PlannedAction & { kind: 'watch' },
  values: RunValues,
  context: StepContext,
): Promise<StepResult> {
  const end = context.now() + action.durationMs;
  let rounds = 0;
  let failures = 0;
  for (;;) {
    const outcome = await runCheck(action.check, values, context);
    rounds += 1;
    if (!outcome.ok) {
      failures += 1;
      if (failures > action.maxFailures) {
        throw failed(
          context,
          `${failures} of ${rounds} rounds failed (at most ${action.maxFailures} allowed): ${outcome.detail}`,
        );
      }
    }
    if (context.now() + action.intervalMs > end) break;
    await context.sleep(action.intervalMs);
  }
  return { detail: `${rounds - failures} of ${rounds} rounds passed` };
}

/**
 * Undoes a step that ran (or may have run: a crash leaves a step `running`). Returns what was
 * done, or null when the step changes nothing that needs undoing. Restarts are not undone
 * here: the engine restarts again once everything is restored.
 */
export async function runUndo(
  action: PlannedAction,
  backupPath: string | null | undefined,
  context: StepContext,
): Promise<string | null> {
  switch (action.kind) {
    case 'write': {
      if (action.target.format === 'kubernetes') {
        return undoKubeWrite(action.target, backupPath, context.values(action.secretId), context);
      }
      const { current } = context.values(action.secretId);
      if (backupPath) {
        const connector = await context.connector(action.target.host);
        await connector.restoreBackup(action.target.path, backupPath);
        return `restored ${backupPath} over ${action.target.path} on ${action.target.host}`;
      }
      // No backup known: the write failed, was cut short, or created the file. Writes are
      // atomic, so the target holds the old value, nothing, or the new value to replace.
      const held = await heldValue(action.target, context);
      if (held === undefined || sameValue(held, current)) {
        return `${action.target.path} on ${action.target.host} does not hold the new value`;
      }
      return (await writeValue(action.target, current, context)).detail;
    }
    case 'exec': {
      if (!action.undo) return null;
      const connector = await context.connector(action.host);
      const values = context.values(action.secretId);
      return execOrFail(
        connector,
        {
          argv: action.undo,
          stdin: action.stdin === undefined ? undefined : fill(action.stdin, values),
          env: fillEnv(action.env, values),
          cwd: action.cwd,
          timeoutMs: action.timeoutMs,
        },
        0,
        context,
      );
    }
    case 'migrate': {
      // The same command with the two values swapped re-encrypts back.
      const { pending, current } = context.values(action.secretId);
      const swapped = { pending: current, current: pending };
      const connector = await context.connector(action.host);
      return execOrFail(
        connector,
        {
          argv: action.argv,
          stdin: action.stdin === undefined ? undefined : fill(action.stdin, swapped),
          env: fillEnv(action.env, swapped),
          cwd: action.cwd,
          timeoutMs: action.timeoutMs,
        },
        0,
        context,
      );
    }
    case 'sql': {
      const connector = await context.connector(action.host);
      await setRolePassword(
        connector,
        sqlAccess(action, context),
        action.role,
        context.values(action.secretId).current,
      );
      return `password of role ${action.role} set back`;
    }
    case 'redis': {
      const connector = await context.connector(action.host);
      const { pending, current } = context.values(action.secretId);
      if (action.action === 'add-password') {
        await removeRedisPassword(
          connector,
          redisAccess(action, context),
          action.user,
          pending,
          current,
          action.persist,
        );
        return `the new password of user ${action.user} is removed`;
      }
      await addRedisPassword(
        connector,
        redisAccess(action, context),
        action.user,
        current,
        pending,
        action.persist,
      );
      return `the old password of user ${action.user} is accepted again`;
    }
    case 'generate':
    case 'restart':
    case 'verify':
    case 'watch':
    case 'confirm':
      return null;
  }
}
