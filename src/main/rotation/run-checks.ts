import { isRekeyError } from '../../shared/errors';
import { formatByName } from '../formats/format';
import type { PlannedCheck, PlannedProbe, PlannedTarget } from '../vault/rotation-records';
import { canLogin } from './actions/postgres';
import { heldKubeValue } from './kube-actions';
import { describeTarget } from './plan-titles';
import { httpCheck, httpCheckFromHost, tcpCheck, tcpCheckFromHost } from './actions/network';
import { type RunValues, type StepContext, fill, fillEnv, sameValue } from './run-context';

/**
 * The checks of verify and watch steps. A check reports ok or not with a redacted detail; it
 * throws only when it cannot run at all (a host unreachable is a failed check, not a crash).
 */

export interface CheckOutcome {
  ok: boolean;
  detail: string;
}

const CHECK_TIMEOUT_MS = 15_000;

export async function runCheck(
  check: PlannedCheck,
  values: RunValues,
  context: StepContext,
): Promise<CheckOutcome> {
  try {
    return await attempt(check, values, context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, detail: context.redact(message) };
  }
}

async function attempt(
  check: PlannedCheck,
  values: RunValues,
  context: StepContext,
): Promise<CheckOutcome> {
  switch (check.type) {
    case 'fingerprint':
      return fingerprints(check.targets, values.pending, context);
    case 'old-rejected': {
      // The probe is written for the new value; with the old one in its place it must fail.
      const outcome = await probe(check.probe, { ...values, pending: values.current }, context);
      return outcome.ok
        ? { ok: false, detail: `the old value is still accepted (${outcome.detail})` }
        : { ok: true, detail: `the old value is refused (${outcome.detail})` };
    }
    case 'tcp': {
      const outcome = check.fromHost
        ? await tcpCheckFromHost(
            await context.connector(check.host),
            check.address,
            check.port,
            CHECK_TIMEOUT_MS,
          )
        : await tcpCheck(check.address, check.port, CHECK_TIMEOUT_MS);
      return { ok: outcome.ok, detail: context.redact(outcome.detail) };
    }
    default:
      return probe(check, values, context);
  }
}

async function probe(
  check: PlannedProbe,
  values: RunValues,
  context: StepContext,
): Promise<CheckOutcome> {
  switch (check.type) {
    case 'http': {
      const request = {
        url: check.url,
        method: check.method,
        headers: fillEnv(check.headers, values),
        body: check.body === undefined ? undefined : fill(check.body, values),
        status: check.status,
        bodyContains: check.bodyContains,
        timeoutMs: CHECK_TIMEOUT_MS,
      };
      const outcome = check.fromHost
        ? await httpCheckFromHost(await context.connector(check.host), request)
        : await httpCheck(request);
      return { ok: outcome.ok, detail: context.redact(outcome.detail) };
    }
    case 'command': {
      const connector = await context.connector(check.host);
      const result = await connector.exec({
        argv: check.argv,
        stdin: check.stdin === undefined ? undefined : fill(check.stdin, values),
        env: fillEnv(check.env, values),
        cwd: check.cwd,
        timeoutMs: CHECK_TIMEOUT_MS,
      });
      const exited = result.code === check.exitCode;
      const contains =
        check.stdoutContains === undefined || result.stdout.includes(check.stdoutContains);
      const what = `\`${check.argv[0] ?? ''}\` exited ${result.code ?? result.signal ?? '?'}`;
      if (exited && contains) return { ok: true, detail: what };
      const why = exited
        ? `its output lacks "${check.stdoutContains ?? ''}"`
        : `expected ${check.exitCode}`;
      const stderr = result.stderr.trim().split('\n').slice(-3).join(' / ');
      return { ok: false, detail: context.redact(`${what}; ${why}${stderr ? `: ${stderr}` : ''}`) };
    }
    case 'sql-login': {
      const connector = await context.connector(check.host);
      const ok = await canLogin(
        connector,
        {
          connection: check.connection,
          via: check.via,
          redact: context.redact,
          timeoutMs: CHECK_TIMEOUT_MS,
        },
        check.role,
        values.pending,
      );
      return { ok, detail: ok ? `role ${check.role} logged in` : `role ${check.role} was refused` };
    }
  }
}

/** Every target holds `expected`: read on its host, compared by hash, never shown. */
export async function fingerprints(
  targets: readonly PlannedTarget[],
  expected: string,
  context: StepContext,
): Promise<CheckOutcome> {
  const wrong: string[] = [];
  for (const target of targets) {
    const held = await heldValue(target, context);
    if (held === undefined || !sameValue(held, expected)) {
      wrong.push(describeTarget(target));
    }
  }
  return wrong.length === 0
    ? { ok: true, detail: `${targets.length} target(s) hold the expected value` }
    : { ok: false, detail: `not the expected value: ${wrong.join('; ')}` };
}

/** The value a target holds now; undefined when the file or the key is missing. */
export async function heldValue(
  target: PlannedTarget,
  context: StepContext,
): Promise<string | undefined> {
  if (target.format === 'kubernetes') return heldKubeValue(target, context);
  const connector = await context.connector(target.host);
  let text: string;
  try {
    text = (await connector.readFile(target.path)).toString('utf8');
  } catch (error) {
    if (isRekeyError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
  return formatByName(target.format).get(text, target.key);
}

const CHECK_INTERVAL_MS = 500;

/** Runs the check until it passes or `withinMs` has passed (services take time to start). */
export async function checkWithin(
  check: PlannedCheck,
  values: RunValues,
  withinMs: number,
  context: StepContext,
): Promise<CheckOutcome> {
  const deadline = context.now() + withinMs;
  for (;;) {
    const outcome = await runCheck(check, values, context);
    if (outcome.ok || context.now() >= deadline) return outcome;
    await context.sleep(Math.min(CHECK_INTERVAL_MS, Math.max(0, deadline - context.now())));
  }
}
