import type { PlannedAction, PlannedCheck, PlannedTarget } from '../vault/rotation-records';

/**
 * One line per planned step, for the wizard, the CLI and the history: what it does, where.
 * Commands are shown by their program and arguments; values never, environment by name only.
 */

export function describeTarget(target: PlannedTarget): string {
  if (target.format === 'kubernetes') {
    const inner = target.inner ? `${target.inner.key} in ` : '';
    const derived = Object.keys(target.derived ?? {});
    const keys = derived.length ? ` (with ${derived.join(', ')})` : '';
    return `${inner}key ${target.key}${keys} of Secret ${target.path} on ${target.host}`;
  }
  const key = target.key ? ` ${target.key} in` : '';
  return `${key} ${target.path} on ${target.host}`.trim();
}

function describeCheck(check: PlannedCheck): string {
  switch (check.type) {
    case 'http':
      return `${check.method} ${check.url} answers ${check.status.join(' or ')}${
        check.fromHost ? ` (from ${check.host})` : ''
      }`;
    case 'tcp':
      return `${check.address}:${check.port} accepts connections${check.fromHost ? ` (from ${check.host})` : ''}`;
    case 'command':
      return `\`${check.argv.join(' ')}\` on ${check.host} exits ${check.exitCode}`;
    case 'sql-login':
      return `PostgreSQL role ${check.role} logs in with the new value`;
    case 'fingerprint':
      return `The new value is in place: ${check.targets.map(describeTarget).join('; ')}`;
    case 'old-rejected':
      return `The old value is refused: ${describeCheck(check.probe)}`;
  }
}

export function describeAction(action: PlannedAction, ref: (secretId: string) => string): string {
  switch (action.kind) {
    case 'generate':
      return `Generate a new value for ${ref(action.secretId)} and keep it as pending`;
    case 'write':
      return `Write ${ref(action.secretId)} into ${describeTarget(action.target)}`;
    case 'exec':
      return `Run \`${action.argv.join(' ')}\` on ${action.host}`;
    case 'migrate':
      return `Re-encrypt data for ${ref(action.secretId)}: \`${action.argv.join(' ')}\` on ${action.host}`;
    case 'sql':
      return `Set the password of PostgreSQL role ${action.role} on ${action.host}`;
    case 'redis':
      return action.action === 'add-password'
        ? `Add the new password of Redis user ${action.user} (the old one stays valid) on ${action.host}`
        : `Remove the old password of Redis user ${action.user} on ${action.host}`;
    case 'restart': {
      const { restart } = action;
      if (restart.via === 'compose') {
        return `${restart.recreate ? 'Recreate' : 'Restart'} ${restart.services.join(', then ')} (compose in ${restart.projectDir} on ${action.host})`;
      }
      if (restart.via === 'systemd') return `Restart ${restart.unit} on ${action.host}`;
      if (restart.via === 'kubernetes') {
        const workloads = restart.workloads.map(
          (w) => `${w.kind} ${w.namespace === null ? '' : `${w.namespace}/`}${w.name}`,
        );
        const one = workloads.length === 1;
        return `Restart ${workloads.join(', then ')} on ${action.host} and wait for ${one ? 'its rollout' : 'each rollout'}`;
      }
      return `Restart with \`${restart.argv.join(' ')}\` on ${action.host}`;
    }
    case 'verify':
      return `Check: ${describeCheck(action.check)}`;
    case 'watch':
      return `Watch for ${Math.round(action.durationMs / 1000)} s: ${describeCheck(action.check)}`;
    case 'confirm':
      return `Confirm: ${action.text}`;
  }
}
