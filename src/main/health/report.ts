import { type Finding, type HealthReport, SEVERITY_RANK } from '../../shared/health-api';

/** Most severe first; snoozed reminders after the rest; then by subject and id. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const subject = (finding: Finding) =>
    finding.subject.type === 'secret' ? finding.subject.ref : finding.subject.name;
  return [...findings].sort(
    (a, b) =>
      Number(a.snoozed !== null) - Number(b.snoozed !== null) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      subject(a).localeCompare(subject(b)) ||
      a.id.localeCompare(b.id),
  );
}

/** Counts by kind of the findings that count (snoozed ones left out), for tiles and summaries. */
export function countByKind(report: HealthReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of report.findings) {
    if (finding.snoozed) continue;
    counts[finding.kind] = (counts[finding.kind] ?? 0) + 1;
  }
  return counts;
}
