import type { Command } from 'commander';
import type { ClusterFinding, ClusterScanReport } from '../../../shared/cluster-api';
import { action, collect } from '../command';
import { type CliContext, CliFailure, type CliIo } from '../context';
import { table } from '../format';

/**
 * `rekey cluster scan`: the keys of a namespace's Secrets as findings (strength and
 * fingerprint, never a value), who reads them, and adoption of picked ones, like
 * `rekey host scan`.
 */

interface ScanFlags {
  namespace?: string;
  deployment?: string;
  pick: string[];
  allNew?: boolean;
  json?: boolean;
}

function status(finding: ClusterFinding): string {
  if (finding.trackedBy) return `tracked by ${finding.trackedBy}`;
  const parts: string[] = [];
  if (finding.sameValueAs.length > 0) parts.push(`same value as ${finding.sameValueAs.join(', ')}`);
  if (finding.sameValueIn.length > 0) parts.push(`same value in ${finding.sameValueIn.join(', ')}`);
  return parts.join('; ') || 'new';
}

function picksOf(report: ClusterScanReport, flags: ScanFlags) {
  const numbers = flags.allNew
    ? report.findings.flatMap((finding, index) => (finding.trackedBy ? [] : [index + 1]))
    : flags.pick.map(Number);
  if (numbers.length > 0 && !flags.deployment) {
    throw new CliFailure(
      'INVALID_INPUT',
      'Say which deployment the secrets join: --deployment NAME',
    );
  }
  return numbers.map((number) => {
    const finding = report.findings[number - 1];
    if (!finding) throw new CliFailure('INVALID_INPUT', `No finding number ${number}`);
    return { path: finding.path, key: finding.key, name: finding.suggestedName };
  });
}

function printReport(context: CliContext, report: ClusterScanReport): void {
  context.print(
    table(
      ['#', 'SECRET', 'KEY', 'STRENGTH', 'FINGERPRINT', 'READ BY', 'STATUS'],
      report.findings.map((f, index) => [
        String(index + 1),
        f.path,
        f.key,
        f.strength.rating + (f.strength.problems.length > 0 ? ` (${f.strength.problems[0]})` : ''),
        `fp:${f.fingerprint}`,
        f.workloads.map((use) => `${use.kind}/${use.name} (${use.via.join(',')})`).join(', ') ||
          '-',
        status(f),
      ]),
    ),
  );
  const owned = report.secrets.filter((secret) => secret.owners.length > 0);
  for (const secret of owned) {
    const owners = secret.owners.map((owner) => `${owner.kind} ${owner.name}`).join(', ');
    context.print(`${secret.path} is owned by ${owners}`);
  }
  const skippedSecrets = report.skipped.filter((item) => !item.path.includes('#'));
  context.print(
    `\nNamespace ${report.namespace}: ${report.secrets.length} Secrets read, ` +
      `${report.findings.length} keys found, ${skippedSecrets.length} system Secrets skipped` +
      (skippedSecrets.length > 0
        ? ` (${[...new Set(skippedSecrets.map((item) => item.reason))].join(', ')})`
        : '') +
      '.',
  );
  for (const item of report.skipped.filter((entry) => entry.path.includes('#')))
    context.notice(`skipped ${item.path}: ${item.reason}`);
  if (report.workloadsError) context.notice(`workloads not listed: ${report.workloadsError}`);
}

export function registerClusterScan(cluster: Command, io: CliIo): void {
  cluster
    .command('scan <name>')
    .description("list the keys of a namespace's Secrets as findings, and who reads them")
    .option('--namespace <name>', "the namespace to scan (default: the cluster's)")
    .option('--deployment <name>', 'with --pick/--all-new: the deployment the secrets join')
    .option('--pick <n>', 'add finding number n to the inventory (repeatable)', collect, [])
    .option('--all-new', 'add every finding no secret tracks yet')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, name: string, flags: ScanFlags) => {
        await context.unlock();
        const report = await context.call('clusters.scan', {
          name,
          ...(flags.namespace ? { namespace: flags.namespace } : {}),
        });
        const picks = picksOf(report, flags);
        const adopted =
          picks.length > 0 && flags.deployment
            ? await context.call('clusters.adopt', { name, deployment: flags.deployment, picks })
            : null;
        if (flags.json) return context.printJson({ ...report, adopted });
        printReport(context, report);
        if (adopted) {
          context.print(`Added ${adopted.added.length}: ${adopted.added.join(', ') || '-'}`);
          if (adopted.targetAdded.length > 0)
            context.print(`New target for: ${adopted.targetAdded.join(', ')}`);
          for (const skipped of adopted.skipped)
            context.notice(`not added ${skipped.name}: ${skipped.reason}`);
        } else if (report.findings.length > 0) {
          context.print('Add findings with --deployment NAME --pick N (or --all-new).');
        }
      }),
    );
}
