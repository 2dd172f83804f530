import { type Finding, HEALTH_SEVERITIES, type HealthReport } from '../../shared/health-api';

/**
 * The health report as Markdown, for a ticket or a review: grouped by secret and host, each
 * finding with why it matters and how to fix it. Built from findings only, so it holds no
 * value (the front door's redactor passes over it once more anyway).
 */

function escape(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function subjectOf(finding: Finding): string {
  return finding.subject.type === 'secret'
    ? `Secret ${finding.subject.ref}`
    : `Host ${finding.subject.name}`;
}

export function markdownReport(report: HealthReport): string {
  const lines: string[] = ['# Rekey health report', ''];
  lines.push(`Generated ${report.generatedAt} for ${report.secrets} secrets.`);
  const { dueDays, backupDays, neverRotatedDays } = report.thresholds;
  lines.push(
    `Thresholds: due within ${dueDays} days; guarded secrets backed up within ${backupDays} days; never rotated after ${neverRotatedDays} days.`,
    '',
  );
  const counted = report.findings.filter((finding) => finding.snoozed === null);
  const bySeverity = HEALTH_SEVERITIES.map(
    (severity) =>
      `${counted.filter((finding) => finding.severity === severity).length} ${severity}`,
  );
  lines.push(`Findings: ${bySeverity.join(', ')}.`, '');
  if (report.hosts === null) {
    lines.push('Hosts were not checked (run with host checks to include them).', '');
  } else {
    lines.push('## Hosts checked', '');
    for (const host of report.hosts) {
      lines.push(
        `- ${escape(host.host)}: ${host.error ? `not fully checked: ${escape(host.error)}` : `${host.filesChecked} files, ${host.listeners} listeners`}`,
      );
    }
    lines.push('');
  }
  if (report.findings.length === 0) {
    lines.push('No findings.', '');
    return lines.join('\n');
  }
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const key = subjectOf(finding);
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  for (const [subject, findings] of groups) {
    lines.push(`## ${escape(subject)}`, '');
    for (const finding of findings) {
      const snoozed = finding.snoozed
        ? ` (snoozed until ${finding.snoozed.until}${finding.snoozed.reason ? `: ${escape(finding.snoozed.reason)}` : ''})`
        : '';
      lines.push(`### [${finding.severity}] ${escape(finding.title)}${snoozed}`, '');
      lines.push(`- Why it matters: ${escape(finding.why)}`);
      lines.push(`- How to fix: ${escape(finding.fix)}`);
      lines.push(`- Finding: \`${finding.id}\``, '');
    }
  }
  return lines.join('\n');
}
