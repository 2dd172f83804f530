import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { RekeyError } from '../../../shared/errors';
import {
  type Finding,
  HEALTH_SEVERITIES,
  type HealthReport,
  type HealthSeverity,
  findingsAtOrAbove,
} from '../../../shared/health-api';
import { action, collect } from '../command';
import type { CliContext, CliIo } from '../context';
import { parseDays, table } from '../format';
import { promptTerminal } from '../password';
import { ExitWith, HEALTH_FINDINGS_EXIT_CODE, SECRETS_DUE_EXIT_CODE } from './exit-codes';

/**
 * `rekey health` (the report; host checks over SSH with --hosts), `rekey health fix` (chmod
 * 600 of a secret file), `rekey due` (rotations and backups due, for cron) and
 * `rekey secret snooze` (leave a secret out of reminders for a while, with a reason).
 */

function subjectOf(finding: Finding): string {
  return finding.subject.type === 'secret' ? finding.subject.ref : `host ${finding.subject.name}`;
}

function printReport(context: CliContext, report: HealthReport): void {
  if (report.hosts) {
    for (const host of report.hosts) {
      if (host.error) context.warn(`${host.host}: ${host.error}`);
    }
  }
  if (report.findings.length === 0) {
    context.print(
      `No findings for ${report.secrets} secrets${report.hosts ? ` and ${report.hosts.length} hosts` : ''}.`,
    );
    return;
  }
  context.print(
    table(
      ['SEVERITY', 'SUBJECT', 'FINDING', 'FIX'],
      report.findings.map((finding) => [
        finding.snoozed ? `${finding.severity} (snoozed)` : finding.severity,
        subjectOf(finding),
        finding.title,
        finding.fixAction?.kind === 'rotate'
          ? `rekey rotate ${finding.fixAction.ref}`
          : finding.fixAction?.kind === 'tighten-mode'
            ? `rekey health fix ${finding.fixAction.host} ${finding.fixAction.path}`
            : '-',
      ]),
    ),
  );
  if (!report.hosts)
    context.notice('Hosts not checked: add --hosts to check them over SSH (read-only).');
}

export function registerHealthCommands(program: Command, io: CliIo): void {
  const health = program
    .command('health')
    .description(
      'findings about secrets (weak, reused, due, without a backup...) and, with --hosts, hosts',
    )
    .option(
      '--hosts',
      'also check hosts over SSH (read-only): listeners, file modes, git, .env.example',
    )
    .option('--host <name>', 'with --hosts: only this host (repeatable)', collect)
    .option('--within <days>', 'rotation deadlines this close count as due (default 14)')
    .option('--backup-days <days>', 'guarded secrets need a backup this recent (default 7)')
    .addOption(
      new Option(
        '--fail-on <severity>',
        `exit ${HEALTH_FINDINGS_EXIT_CODE} when a finding is at or above this`,
      )
        .choices(HEALTH_SEVERITIES)
        .default('high'),
    )
    .option('--markdown <file>', 'also write the report as Markdown to this file (mode 600)')
    .option('--json', 'print the report as JSON')
    .action(
      action(
        io,
        async (
          context,
          flags: {
            hosts?: boolean;
            host?: string[];
            within?: string;
            backupDays?: string;
            failOn: HealthSeverity;
            markdown?: string;
            json?: boolean;
          },
        ) => {
          if (flags.host && !flags.hosts) {
            throw new RekeyError('INVALID_INPUT', '--host needs --hosts');
          }
          await context.unlock();
          const report = await context.call('health.report', {
            hosts: flags.hosts ?? false,
            ...(flags.host ? { only: flags.host } : {}),
            ...(flags.within ? { dueDays: parseDays(flags.within) } : {}),
            ...(flags.backupDays ? { backupDays: parseDays(flags.backupDays) } : {}),
          });
          if (flags.json) context.printJson(report);
          else printReport(context, report);
          if (flags.markdown) {
            const exported = await context.call('health.export', { report });
            await writeFile(flags.markdown, exported.content, { mode: 0o600 });
            context.notice(`Markdown report written to ${flags.markdown}`);
          }
          const counted = findingsAtOrAbove(report.findings, flags.failOn);
          if (counted.length > 0) {
            throw new ExitWith(
              HEALTH_FINDINGS_EXIT_CODE,
              `${counted.length} finding${counted.length === 1 ? '' : 's'} at or above ${flags.failOn}`,
            );
          }
        },
      ),
    );

  health
    .command('fix <host> <path>')
    .description('tighten a secret file of a host to mode 600 (over SSH; recorded in the history)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (context, host: string, path: string, flags: { yes?: boolean; json?: boolean }) => {
          if (!flags.yes) {
            if (!io.stdin.isTTY) {
              throw new RekeyError(
                'INVALID_INPUT',
                'health fix needs --yes when not run from a terminal',
              );
            }
            const answer = await promptTerminal(`chmod 600 ${path} on ${host}? [y/N] `, false);
            if (!/^y(es)?$/i.test(answer.trim()))
              throw new RekeyError('INVALID_INPUT', 'Not confirmed; nothing was changed');
          }
          await context.unlock();
          const fixed = await context.call('health.fix', { action: 'tighten-mode', host, path });
          if (flags.json) context.printJson(fixed);
          else
            context.print(
              `${fixed.path} on ${fixed.host}: mode ${fixed.modeBefore} -> ${fixed.modeAfter}`,
            );
        },
      ),
    );

  program
    .command('due')
    .description('rotations due or overdue (snoozed secrets left out) and backups due, for cron')
    .option('--within <days>', 'rotation deadlines this close count as due (default 14)')
    .option('--backup-days <days>', 'a backup older than this is due (default 7)')
    .option('--fail-if-any', `exit with code ${SECRETS_DUE_EXIT_CODE} when anything is due`)
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          flags: { within?: string; backupDays?: string; failIfAny?: boolean; json?: boolean },
        ) => {
          await context.unlock();
          const items = await context.call('health.due', {
            ...(flags.within ? { dueDays: parseDays(flags.within) } : {}),
            ...(flags.backupDays ? { backupDays: parseDays(flags.backupDays) } : {}),
          });
          if (flags.json) context.printJson(items);
          else if (items.length === 0) context.print('Nothing is due.');
          else context.print(items.map((item) => item.text).join('\n'));
          if (flags.failIfAny && items.length > 0) {
            throw new ExitWith(
              SECRETS_DUE_EXIT_CODE,
              `${items.length} reminder${items.length === 1 ? ' is' : 's are'} due`,
            );
          }
        },
      ),
    );

  program.commands
    .find((command) => command.name() === 'secret')
    ?.command('snooze <ref>')
    .description('leave a secret out of due reminders for N days, with a reason (--clear ends it)')
    .option('--days <days>', 'how long (7, 2w)')
    .option('--reason <text>', 'why (kept in the history)', '')
    .option('--clear', 'end the snooze now')
    .option('--json', 'print the secret as JSON')
    .action(
      action(
        io,
        async (
          context,
          ref: string,
          flags: { days?: string; reason: string; clear?: boolean; json?: boolean },
        ) => {
          if (Boolean(flags.clear) === (flags.days !== undefined)) {
            throw new RekeyError('INVALID_INPUT', 'Give either --days N or --clear');
          }
          await context.unlock();
          const secret = await context.call('secrets.snooze', {
            ref,
            ...(flags.days !== undefined ? { days: parseDays(flags.days) } : {}),
            reason: flags.reason,
            clear: flags.clear ?? false,
          });
          if (flags.json) context.printJson(secret);
          else if (secret.snooze)
            context.print(`Snoozed ${secret.ref} until ${secret.snooze.until}`);
          else context.print(`${secret.ref} is no longer snoozed`);
        },
      ),
    );
}
