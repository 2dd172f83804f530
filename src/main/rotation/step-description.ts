import type { Probe, VerifyCheck } from './playbook-checks';
import type { PlaybookSecret } from './playbook-schema';
import type { Step } from './playbook-steps';
import { formatGeneratorSpec } from '../vault/generate';

/**
 * One line per step for people: a title saying what it achieves, and the detail of what runs
 * or is checked, with the playbook's placeholders as written. Environment variables are named,
 * never shown with their content.
 */

export interface StepDescription {
  title: string;
  detail: string;
}

export function describeStep(step: Step, secret: PlaybookSecret): StepDescription {
  const described = describe(step, secret);
  return { title: step.title ?? described.title, detail: described.detail };
}

function describe(step: Step, secret: PlaybookSecret): StepDescription {
  switch (step.kind) {
    case 'generate':
      return {
        title: 'Generate the new value',
        detail: secret.generator ? formatGeneratorSpec(secret.generator) : '',
      };
    case 'write':
      return {
        title: 'Write the new value',
        detail: step.targets.map((id) => describeTarget(secret, id)).join('; '),
      };
    case 'exec':
      return {
        title: 'Run a command',
        detail: step.undo
          ? `${commandLine(step)}; on rollback: ${step.undo.map(quoteForDisplay).join(' ')}`
          : commandLine(step),
      };
    case 'sql':
      return {
        title: 'Change the PostgreSQL role password',
        detail: `ALTER ROLE ${step.role} WITH PASSWORD (new value, on stdin)${through(step.via, 'psql')}`,
      };
    case 'redis':
      return step.action === 'add-password'
        ? {
            title: 'Add the new password (the old one stays valid)',
            detail: `ACL SETUSER ${step.user} on >(new value); persist: ${step.persist}`,
          }
        : {
            title: 'Remove the old password',
            detail: `ACL SETUSER ${step.user} <(old value); persist: ${step.persist}`,
          };
    case 'restart':
      return describeRestart(step);
    case 'verify':
      return describeCheck(step.check);
    case 'watch': {
      const check = describeCheck(step.check);
      return {
        title: `Watch for ${step.seconds} s: ${check.title}`,
        detail: `${check.detail}, every ${step.interval_seconds} s; ${step.max_failures} failed round(s) allowed`,
      };
    }
    case 'confirm':
      // The item itself is what the user reads and ticks.
      return { title: step.text, detail: '' };
    case 'migrate':
      return {
        title: 'Re-encrypt the data from the old value to the new one',
        detail: commandLine(step),
      };
  }
}

function describeRestart(step: Step & { kind: 'restart' }): StepDescription {
  switch (step.via) {
    case 'compose': {
      const verb = step.recreate ? 'up -d --force-recreate --no-deps' : 'restart';
      return {
        title: `Restart ${step.services.join(', then ')}`,
        detail: step.services
          .map(
            (service) =>
              `docker compose --project-directory ${step.project_dir} ${verb} ${service}`,
          )
          .join('; then '),
      };
    }
    case 'systemd':
      return { title: `Restart ${step.unit}`, detail: `systemctl restart ${step.unit}` };
    case 'command':
      return { title: 'Restart the service', detail: commandLine(step) };
    case 'kubernetes': {
      const names = step.workloads.map(
        (w) => `${w.kind} ${w.namespace === undefined ? '' : `${w.namespace}/`}${w.name}`,
      );
      return {
        title: `Restart ${names.join(', then ')}`,
        detail: names
          .map((name) => `rollout restart ${name}, then wait for its rollout`)
          .join('; then ')
          .concat(` (at most ${step.timeout_seconds} s each)`),
      };
    }
  }
}

function describeCheck(check: VerifyCheck): StepDescription {
  switch (check.type) {
    case 'fingerprint':
      return {
        title: 'The targets hold the new value',
        detail: `the value each target holds, compared by SHA-256 with the new value's (${check.targets?.join(', ') ?? 'every target'})`,
      };
    case 'old-rejected': {
      const probe = describeProbe(check.probe);
      return {
        title: 'The old value is refused',
        detail: `${probe.detail}, run with the old value, must fail`,
      };
    }
    case 'tcp':
      return {
        title: `${check.host}:${check.port} accepts connections`,
        detail: `TCP connection from ${fromWhere(check.from)}`,
      };
    default:
      return describeProbe(check);
  }
}

function describeProbe(probe: Probe): StepDescription {
  switch (probe.type) {
    case 'http': {
      const statuses = Array.isArray(probe.status) ? probe.status.join(' or ') : probe.status;
      const headers = Object.keys(probe.headers ?? {});
      return {
        title: `${probe.url} answers ${statuses}`,
        detail: [
          `${probe.method} ${probe.url} from ${fromWhere(probe.from)}`,
          headers.length > 0 ? `headers ${headers.join(', ')}` : '',
          probe.body_contains !== undefined ? 'body checked' : '',
        ]
          .filter(Boolean)
          .join('; '),
      };
    }
    case 'command':
      return {
        title: `The command exits with ${probe.exit_code}`,
        detail: commandLine(probe),
      };
    case 'sql-login':
      return {
        title: `${probe.role} logs in with the new password`,
        detail: `psql as ${probe.role}${probe.connection.host ? ` on ${probe.connection.host}` : ''}${probe.connection.port ? `:${probe.connection.port}` : ''}${probe.connection.database ? `/${probe.connection.database}` : ''}, password on stdin${through(probe.via, '')}`,
      };
  }
}

function describeTarget(secret: PlaybookSecret, id: string): string {
  const target = secret.targets.find((candidate) => candidate.id === id);
  if (!target) return id;
  return `${target.path}${target.key ? ` ${target.key}` : ''} (${target.format})`;
}

function commandLine(step: {
  argv: readonly string[];
  env?: Readonly<Record<string, string>>;
  stdin?: string;
}): string {
  const env = Object.keys(step.env ?? {});
  return [
    step.argv.map(quoteForDisplay).join(' '),
    env.length > 0 ? `env ${env.join(', ')}` : '',
    step.stdin !== undefined ? 'input on stdin' : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function through(via: readonly string[] | undefined, program: string): string {
  return via ? ` via ${[...via, program].filter(Boolean).map(quoteForDisplay).join(' ')}` : '';
}

function fromWhere(from: 'rekey' | 'host'): string {
  return from === 'host' ? 'the host' : 'this machine';
}

function quoteForDisplay(argument: string): string {
  return /^[\w@%+=:,./${}-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}
