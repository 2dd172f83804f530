import type { Finding, HealthReport, HealthThresholds, HostCheck } from '../../shared/health-api';
import { RekeyError } from '../../shared/errors';
import { LOCAL_HOST } from '../../shared/model';
import { clearSnooze, recordModeFix, snoozeSecret } from '../health/changes';
import { hostFinding } from '../health/finding';
import { type HostTarget, checkHost, isDotenv } from '../health/host-checks';
import { markdownReport } from '../health/markdown';
import { sortFindings } from '../health/report';
import { secretFindings } from '../health/secret-findings';
import { type ReminderItem, describeItem, reminderItems } from '../reminders/due-items';
import { findSecret } from '../vault/changes';
import { type VaultState, currentVersion, refOf } from '../vault/state';
import type { Vault } from '../vault/vault';
import type { Implementation } from './handle';
import type { HostConnections } from './host-connections';
import type { AppSession } from './session';
import { detail } from './views';

/**
 * The health report, its one fix and the reminders' snooze as the contract offers them.
 * Secret findings come from the vault alone; host checks connect over SSH (read-only) only
 * when asked. Values are compared here, in the main process; findings carry none.
 */

type HealthMethodName =
  'health.report' | 'health.due' | 'health.fix' | 'health.export' | 'secrets.snooze';

export function thresholdsOf(
  session: AppSession,
  input: { dueDays?: number | undefined; backupDays?: number | undefined },
): HealthThresholds {
  const preferences = session.preferences.current.preferences;
  return {
    dueDays: input.dueDays ?? preferences.reminderDays,
    backupDays: input.backupDays ?? preferences.backupWarnDays,
    neverRotatedDays: preferences.neverRotatedDays,
  };
}

/** Hosts that hold file targets of secrets, or that deployments run on: what to check. */
export function hostsToCheck(state: Readonly<VaultState>): string[] {
  const names = new Set<string>();
  for (const secret of state.secrets.values()) {
    for (const target of secret.metadata.targets) names.add(target.host);
  }
  for (const deployment of state.deployments.values()) {
    for (const host of deployment.hosts) names.add(host);
  }
  return [...names].filter((name) => name === LOCAL_HOST || state.hosts.has(name)).sort();
}

function targetsOn(state: Readonly<VaultState>, host: string): HostTarget[] {
  const targets: HostTarget[] = [];
  for (const secret of state.secrets.values()) {
    for (const target of secret.metadata.targets) {
      if (target.host !== host) continue;
      // The value is needed only to compare with a .env.example; it never leaves this process.
      const value = isDotenv(target) ? (currentVersion(secret)?.value.reveal() ?? null) : null;
      targets.push({ ref: refOf(secret), target, value });
    }
  }
  return targets;
}

export function healthMethods(
  session: AppSession,
  connections: HostConnections,
): Pick<Implementation, HealthMethodName> {
  const unlocked = async (): Promise<Vault> => {
    const vault = session.requireVault();
    await vault.refresh();
    return vault;
  };

  const checkHosts = async (vault: Vault, only: readonly string[] | undefined) => {
    const names = hostsToCheck(vault.state).filter((name) => !only || only.includes(name));
    const checks: HostCheck[] = [];
    const findings: Finding[] = [];
    for (const [index, name] of names.entries()) {
      session.emit({ type: 'health.progress', host: name, done: index, total: names.length });
      try {
        const connector = await connections.connector(name);
        const result = await checkHost(connector, name, targetsOn(vault.state, name));
        findings.push(...result.findings);
        checks.push({
          host: name,
          error: result.problems.length > 0 ? result.problems.join('; ') : null,
          filesChecked: result.filesChecked,
          listeners: result.listeners,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        checks.push({ host: name, error: message, filesChecked: 0, listeners: 0 });
        findings.push(
          hostFinding('host-unchecked', 'info', name, 'connect', {
            title: `${name} could not be checked`,
            why: `Its listeners and secret files are unknown to this report: ${message}`,
            fix: `Check the connection (rekey host test ${name}) and run the host checks again.`,
          }),
        );
      }
    }
    session.emit({ type: 'health.progress', host: null, done: names.length, total: names.length });
    return { checks, findings };
  };

  return {
    'health.report': async (input) => {
      const vault = await unlocked();
      const now = session.now();
      const thresholds = thresholdsOf(session, input);
      const findings = secretFindings(
        vault.state,
        (value) => vault.fingerprint(value),
        now,
        thresholds,
      );
      let hosts: HostCheck[] | null = null;
      if (input.hosts) {
        const checked = await checkHosts(vault, input.only);
        hosts = checked.checks;
        findings.push(...checked.findings);
      }
      const report: HealthReport = {
        generatedAt: now.toISOString(),
        thresholds,
        secrets: vault.state.secrets.size,
        hosts,
        findings: sortFindings(findings),
      };
      return report;
    },
    'health.due': async (input) => {
      const vault = await unlocked();
      const thresholds = thresholdsOf(session, input);
      const items = reminderItems(vault.state, session.now(), {
        daysAhead: thresholds.dueDays,
        backupDays: thresholds.backupDays,
      });
      return items.map((item) => ({ ...item, text: describeItem(item) }));
    },
    'health.fix': async ({ host, path }) => {
      const vault = await unlocked();
      const isTarget = [...vault.state.secrets.values()].some((secret) =>
        secret.metadata.targets.some((target) => target.host === host && target.path === path),
      );
      if (!isTarget) {
        throw new RekeyError(
          'INVALID_INPUT',
          `${path} on ${host} is not a target of any secret: Rekey only tightens the files it manages`,
        );
      }
      const connector = await connections.connector(host);
      const before = await connector.stat(path);
      if (!before?.isFile) throw new RekeyError('NOT_FOUND', `No file ${path} on ${host}`);
      const run = await connector.exec({ argv: ['chmod', '600', '--', path], timeoutMs: 15_000 });
      if (run.code !== 0) {
        throw new RekeyError(
          'REMOTE_FAILED',
          `chmod 600 ${path} on ${host} failed: ${run.stderr.trim() || `exit ${String(run.code)}`}`,
        );
      }
      const after = await connector.stat(path);
      const mode = (stat: typeof before | null) =>
        ((stat?.mode ?? 0) & 0o7777).toString(8).padStart(3, '0');
      const fix = { host, path, modeBefore: mode(before), modeAfter: mode(after) };
      if (((after?.mode ?? 0) & 0o077) !== 0) {
        throw new RekeyError('REMOTE_FAILED', `${path} on ${host} is still mode ${fix.modeAfter}`);
      }
      await vault.transact((t) => recordModeFix(t, fix));
      return fix;
    },
    'health.export': async ({ report }) => ({
      fileName: `rekey-health-${report.generatedAt.slice(0, 10)}.md`,
      mimeType: 'text/markdown',
      content: markdownReport(report),
    }),
    'secrets.snooze': async ({ ref, days, reason, clear }) => {
      const vault = await unlocked();
      if (clear === (days !== undefined)) {
        throw new RekeyError('INVALID_INPUT', 'Give either days to snooze, or clear');
      }
      await vault.transact((t) => {
        const secret = findSecret(t.state, ref);
        if (clear) clearSnooze(t, secret);
        else snoozeSecret(t, secret, days ?? 0, reason);
      });
      return detail(vault, findSecret(vault.state, ref), session.now());
    },
  };
}

/** What reminders would say now (the desktop notifications), with the user's thresholds. */
export function currentReminders(session: AppSession): ReminderItem[] {
  const vault = session.vault;
  if (!vault) return [];
  const preferences = session.preferences.current.preferences;
  return reminderItems(vault.state, session.now(), {
    daysAhead: preferences.reminderDays,
    backupDays: preferences.backupWarnDays,
  });
}
