import { RekeyError } from '../../shared/errors';
import { isTargetFormat } from '../../shared/model';
import { namespaceProblem, secretNameProblem } from '../kube/secret-ref';
import type { PlannedAction, PlannedCheck, PlannedTarget } from '../vault/rotation-records';
import type { PlaybookSecret } from './playbook-schema';
import type { Probe, VerifyCheck } from './playbook-checks';
import type { Step } from './playbook-steps';
import { expandTemplate, placeholdersIn, rewriteTemplate } from './templates';

/**
 * Turns one playbook secret's steps into planned actions for one deployment: variables filled
 * in, targets bound to hosts and paths. Secret placeholders stay as written (`${secret.pending}`)
 * so the plan, which the vault keeps, holds no value.
 */

export interface Binding {
  secretId: string;
  playbookId: string;
  variables: ReadonlyMap<string, string>;
  /** Host of each of the playbook secret's targets, by target id. */
  hostOf(targetId: string): string;
}

/** A plain template with its variables filled in; it holds no secret placeholder. */
export function plain(text: string | number, binding: Binding): string {
  const found = placeholdersIn(String(text));
  for (const placeholder of found.ok ? found.placeholders : []) {
    if (placeholder.kind === 'variable' && !binding.variables.has(placeholder.name)) {
      throw new RekeyError(
        'INVALID_INPUT',
        `Playbook ${binding.playbookId} needs a value for ${placeholder.name} here: give it to the deployment (rekey deployment playbook NAME ${binding.playbookId} --var ${placeholder.name}=...)`,
      );
    }
  }
  return expandTemplate(String(text), { variables: binding.variables });
}

/** Variables filled in, secret placeholders (and literal `${`) kept for the moment of use. */
export function withSecrets(text: string, binding: Binding): string {
  const escape = (literal: string) => literal.replaceAll('${', '$${');
  const rewritten = rewriteTemplate(text, escape, (placeholder) =>
    placeholder.kind === 'secret'
      ? `\${secret.${placeholder.label}}`
      : escape(plain(`\${${placeholder.name}}`, binding)),
  );
  if (rewritten === null) throw new RekeyError('INVALID_INPUT', 'not a valid template');
  return rewritten;
}

function optional<T, R>(value: T | undefined, map: (value: T) => R): R | undefined {
  return value === undefined ? undefined : map(value);
}

function envWithSecrets(env: Record<string, string> | undefined, binding: Binding) {
  return optional(env, (given) =>
    Object.fromEntries(
      Object.entries(given).map(([name, text]) => [name, withSecrets(text, binding)]),
    ),
  );
}

export function plannedTarget(secret: PlaybookSecret, id: string, binding: Binding): PlannedTarget {
  const target = secret.targets.find((candidate) => candidate.id === id);
  if (!target) throw new RekeyError('INVALID_INPUT', `${secret.name} has no target ${id}`);
  if (!isTargetFormat(target.format)) {
    throw new RekeyError('INVALID_INPUT', `unknown format ${target.format}`);
  }
  const path = plain(target.path, binding);
  if (target.format === 'kubernetes') assertSecretPath(path, `${secret.name} (target ${id})`);
  return {
    host: binding.hostOf(target.id),
    path,
    format: target.format,
    key: target.key === undefined ? '' : plain(target.key, binding),
    mode: target.mode === undefined ? null : Number.parseInt(target.mode, 8),
    ...(target.inner && {
      inner: { format: target.inner.format, key: plain(target.inner.key, binding) },
    }),
    ...(target.derived_keys && {
      derived: Object.fromEntries(
        Object.entries(target.derived_keys).map(([key, text]) => [
          plain(key, binding),
          withSecrets(text, binding),
        ]),
      ),
    }),
  };
}

/**
 * A Kubernetes target's `namespace/name` or `name`, checked once its variables are filled in,
 * so a bad name stops the plan before anything changes.
 */
export function assertSecretPath(path: string, what: string): void {
  const parts = path.split('/');
  const problems =
    parts.length > 2
      ? [`"${path}" is not namespace/name or name`]
      : [
          parts.length === 2 ? namespaceProblem(parts[0] ?? '') : null,
          secretNameProblem(parts.at(-1) ?? ''),
        ].filter((problem) => problem !== null);
  if (problems.length > 0) {
    throw new RekeyError('INVALID_INPUT', `${what}: ${problems.join('; ')}`);
  }
}

function portNumber(text: string | number, binding: Binding): number {
  const port = Number(plain(text, binding));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RekeyError('INVALID_INPUT', `"${plain(text, binding)}" is not a port number`);
  }
  return port;
}

/** Host a step runs on: its `on` target's, else the secret's first target's. */
function hostFor(secret: PlaybookSecret, on: string | undefined, binding: Binding): string {
  const id = on ?? secret.targets[0]?.id;
  if (id === undefined) throw new RekeyError('INVALID_INPUT', `${secret.name} has no target`);
  return binding.hostOf(id);
}

function plannedProbe(
  probe: Probe,
  secret: PlaybookSecret,
  binding: Binding,
): Extract<PlannedCheck, { type: 'http' | 'command' | 'sql-login' }> {
  const host = hostFor(secret, probe.on, binding);
  switch (probe.type) {
    case 'http':
      return {
        type: 'http',
        url: plain(probe.url, binding),
        method: probe.method,
        headers: envWithSecrets(probe.headers, binding),
        body: optional(probe.body, (body) => withSecrets(body, binding)),
        status: Array.isArray(probe.status) ? probe.status : [probe.status],
        bodyContains: optional(probe.body_contains, (text) => plain(text, binding)),
        fromHost: probe.from === 'host',
        host,
      };
    case 'command':
      return {
        type: 'command',
        argv: probe.argv.map((arg) => plain(arg, binding)),
        stdin: optional(probe.stdin, (stdin) => withSecrets(stdin, binding)),
        env: envWithSecrets(probe.env, binding),
        cwd: optional(probe.cwd, (cwd) => plain(cwd, binding)),
        exitCode: probe.exit_code,
        stdoutContains: optional(probe.stdout_contains, (text) => plain(text, binding)),
        host,
      };
    case 'sql-login':
      return {
        type: 'sql-login',
        role: plain(probe.role, binding),
        connection: pgConnection(probe.connection, binding),
        via: optional(probe.via, (via) => via.map((arg) => plain(arg, binding))),
        host,
      };
  }
}

function pgConnection(
  connection: { host?: string; port?: string | number; database?: string; user?: string },
  binding: Binding,
) {
  return Object.fromEntries(
    Object.entries(connection).map(([name, text]) => [name, plain(text, binding)]),
  ) as { host?: string; port?: string; database?: string; user?: string };
}

export function plannedCheck(
  check: VerifyCheck,
  secret: PlaybookSecret,
  binding: Binding,
): PlannedCheck {
  switch (check.type) {
    case 'fingerprint': {
      const ids = check.targets ?? secret.targets.map((target) => target.id);
      return { type: 'fingerprint', targets: ids.map((id) => plannedTarget(secret, id, binding)) };
    }
    case 'old-rejected':
      return { type: 'old-rejected', probe: plannedProbe(check.probe, secret, binding) };
    case 'tcp':
      return {
        type: 'tcp',
        address: plain(check.host, binding),
        port: portNumber(check.port, binding),
        fromHost: check.from === 'host',
        host: hostFor(secret, check.on, binding),
      };
    default:
      return plannedProbe(check, secret, binding);
  }
}

const SECOND = 1000;

/** The planned actions of one playbook step (a write to several targets becomes one each). */
export function plannedActions(
  step: Step,
  secret: PlaybookSecret,
  binding: Binding,
): PlannedAction[] {
  const { secretId } = binding;
  switch (step.kind) {
    case 'generate':
      return [{ kind: 'generate', secretId }];
    case 'write':
      return step.targets.map((id) => ({
        kind: 'write',
        secretId,
        target: plannedTarget(secret, id, binding),
      }));
    case 'exec':
    case 'migrate':
      return [
        {
          secretId,
          host: hostFor(secret, step.on, binding),
          argv: step.argv.map((arg) => plain(arg, binding)),
          stdin: optional(step.stdin, (stdin) => withSecrets(stdin, binding)),
          env: envWithSecrets(step.env, binding),
          cwd: optional(step.cwd, (cwd) => plain(cwd, binding)),
          timeoutMs: step.timeout_seconds * SECOND,
          ...(step.kind === 'exec'
            ? {
                kind: 'exec',
                undo: optional(step.undo, (undo) => undo.map((arg) => plain(arg, binding))),
                exitCode: step.exit_code,
              }
            : { kind: 'migrate' }),
        } as PlannedAction,
      ];
    case 'sql':
      return [
        {
          kind: 'sql',
          secretId,
          host: hostFor(secret, step.on, binding),
          role: plain(step.role, binding),
          connection: pgConnection(step.connection, binding),
          via: optional(step.via, (via) => via.map((arg) => plain(arg, binding))),
        },
      ];
    case 'redis':
      return [
        {
          kind: 'redis',
          secretId,
          host: hostFor(secret, step.on, binding),
          action: step.action,
          user: plain(step.user, binding),
          address: optional(step.connection.host, (text) => plain(text, binding)),
          port: optional(step.connection.port, (text) => plain(text, binding)),
          via: optional(step.via, (via) => via.map((arg) => plain(arg, binding))),
          persist: step.persist,
        },
      ];
    case 'restart':
      return [plannedRestart(step, secret, binding)];
    case 'verify':
      return [
        {
          kind: 'verify',
          secretId,
          check: plannedCheck(step.check, secret, binding),
          withinMs: step.within_seconds * SECOND,
        },
      ];
    case 'watch':
      return [
        {
          kind: 'watch',
          secretId,
          check: plannedCheck(step.check, secret, binding),
          durationMs: step.seconds * SECOND,
          intervalMs: step.interval_seconds * SECOND,
          maxFailures: step.max_failures,
        },
      ];
    case 'confirm':
      return [{ kind: 'confirm', secretId, text: plain(step.text, binding) }];
  }
}

function plannedRestart(
  step: Step & { kind: 'restart' },
  secret: PlaybookSecret,
  binding: Binding,
): PlannedAction {
  const host = hostFor(secret, step.on, binding);
  switch (step.via) {
    case 'compose':
      // No value of any secret: the same restart serves every secret of a run.
      return {
        kind: 'restart',
        secretId: null,
        host,
        restart: {
          via: 'compose',
          projectDir: plain(step.project_dir, binding),
          services: step.services.map((service) => plain(service, binding)),
          recreate: step.recreate,
        },
      };
    case 'systemd':
      return {
        kind: 'restart',
        secretId: null,
        host,
        restart: { via: 'systemd', unit: plain(step.unit, binding) },
      };
    case 'kubernetes':
      return {
        kind: 'restart',
        secretId: null,
        host,
        restart: {
          via: 'kubernetes',
          workloads: step.workloads.map((workload) => {
            const name = plain(workload.name, binding);
            const namespace = optional(workload.namespace, (text) => plain(text, binding));
            const problem =
              secretNameProblem(name) ??
              (namespace === undefined ? null : namespaceProblem(namespace));
            if (problem) {
              const worded = problem.replace('Secret name', `${workload.kind} name`);
              throw new RekeyError('INVALID_INPUT', `${secret.name}: ${worded}`);
            }
            return { kind: workload.kind, namespace: namespace ?? null, name };
          }),
          timeoutMs: step.timeout_seconds * SECOND,
        },
      };
    case 'command': {
      const stdin = optional(step.stdin, (text) => withSecrets(text, binding));
      const env = envWithSecrets(step.env, binding);
      const usesValues = stdin !== undefined || env !== undefined;
      return {
        kind: 'restart',
        secretId: usesValues ? binding.secretId : null,
        host,
        restart: {
          via: 'command',
          argv: step.argv.map((arg) => plain(arg, binding)),
          stdin,
          env,
          cwd: optional(step.cwd, (cwd) => plain(cwd, binding)),
          timeoutMs: step.timeout_seconds * SECOND,
        },
      };
    }
  }
}
