import { SEVERITY_NAMES, type IncidentDetail, type ResponseStep } from '../../shared/incident-api';
import type { IncidentRecord } from '../vault/incident-state';
import { type VaultState, refOf } from '../vault/state';

/**
 * The post-incident report: Markdown for people (summary, impact, the timeline in UTC and local
 * time, the actions taken, rotation results by fingerprint, follow-ups) and JSON for tools. It
 * is built from the incident's view, which carries no value; the caller passes the result
 * through the redactor as well, in case a value was typed into a note.
 */

export interface ReportInput {
  detail: IncidentDetail;
  responses: { ref: string; steps: ResponseStep[] }[];
  rotations: {
    id: string;
    outcome: string;
    startedAt: string;
    finishedAt: string | null;
    secrets: { ref: string; current: string | null }[];
  }[];
  generatedAt: Date;
  timeZone: string;
}

/** The rotation runs an incident's timeline links, with where their secrets stand now. */
export function linkedRotations(
  state: Readonly<VaultState>,
  incident: IncidentRecord,
  fingerprint: (value: string) => string,
): ReportInput['rotations'] {
  const ids = new Set(
    incident.entries
      .filter((entry) => !entry.removed)
      .flatMap((entry) =>
        entry.links.filter((link) => link.type === 'rotation').map((link) => link.id),
      ),
  );
  return [...ids].flatMap((id) => {
    const run = state.rotations.get(id);
    if (!run) return [];
    return [
      {
        id,
        outcome: run.outcome ?? 'running',
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        secrets: run.secretIds.flatMap((secretId) => {
          const secret = state.secrets.get(secretId);
          if (!secret) return [];
          const current = secret.versions.find((version) => version.labels.includes('current'));
          return [
            { ref: refOf(secret), current: current ? fingerprint(current.value.reveal()) : null },
          ];
        }),
      },
    ];
  });
}

function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(new Date(iso));
}

function utcTime(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}

/** Table cells keep to one line and never close the cell early. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function markdownReport(input: ReportInput): string {
  const { detail, timeZone } = input;
  const closed = detail.statusHistory.findLast((item) => item.status === 'closed');
  const lines: string[] = [
    `# Incident report: ${detail.title}`,
    '',
    `- Severity: ${detail.severity} (${SEVERITY_NAMES[detail.severity] ?? '?'})`,
    `- Status: ${detail.status}`,
    `- Opened: ${utcTime(detail.openedAt)} (${localTime(detail.openedAt, timeZone)} ${timeZone})`,
    ...(closed
      ? [`- Closed: ${utcTime(closed.at)} (${localTime(closed.at, timeZone)} ${timeZone})`]
      : []),
    `- Deployments: ${detail.deployments.join(', ') || 'none named'}`,
    `- Hosts: ${detail.hosts.join(', ') || 'none named'}`,
    `- Report made: ${utcTime(input.generatedAt.toISOString())}`,
    '',
    '## Summary',
    '',
    detail.summary.trim() || '_No summary yet._',
    '',
    '## Impact',
    '',
  ];
  if (detail.affectedSecrets.length === 0) lines.push('_No secrets named._');
  for (const secret of detail.affectedSecrets) {
    const exposed =
      secret.exposedVersions.length > 0
        ? `exposed versions ${secret.exposedVersions.join(', ')}`
        : 'not marked exposed';
    lines.push(
      `- **${secret.ref}**: ${secret.impact || 'impact not described'}; ${exposed}; ${secret.stillExposed ? '**still exposed** (an exposed version is current)' : 'no exposed version is current'}`,
    );
  }
  lines.push(
    '',
    '## Timeline',
    '',
    `| Time (UTC) | Local time (${timeZone}) | Kind | Entry |`,
    '| --- | --- | --- | --- |',
  );
  for (const entry of detail.timeline) {
    const notes = [
      entry.auto ? 'recorded by Rekey' : '',
      entry.revisions.length > 0 ? `edited ${entry.revisions.length}x` : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `| ${utcTime(entry.at)} | ${localTime(entry.at, timeZone)} | ${entry.kind} | ${cell(entry.text)}${notes ? ` _(${notes})_` : ''} |`,
    );
  }
  lines.push('', '## Actions', '');
  if (input.responses.length === 0) lines.push('_No leak response steps._');
  for (const response of input.responses) {
    lines.push(`### ${response.ref}`, '');
    for (const step of response.steps) {
      const mark = step.outcome === 'done' ? '[x]' : step.outcome === 'skipped' ? '[-]' : '[ ]';
      lines.push(`- ${mark} ${step.title}${step.outcome ? ` (${step.outcome})` : ''}`);
    }
    lines.push('');
  }
  lines.push('## Rotation results', '');
  if (input.rotations.length === 0) lines.push('_No rotation runs linked._');
  for (const run of input.rotations) {
    const secrets = run.secrets.map(
      (secret) => `${secret.ref} now ${secret.current ?? 'without a current value'}`,
    );
    lines.push(
      `- Run ${run.id}: ${run.outcome}, started ${utcTime(run.startedAt)}; ${secrets.join('; ')}`,
    );
  }
  lines.push('', '## Follow-ups', '');
  if (detail.followUps.length === 0) lines.push('_None._');
  for (const followUp of detail.followUps)
    lines.push(`- [${followUp.done ? 'x' : ' '}] ${followUp.text}`);
  lines.push('');
  return lines.join('\n');
}

export function jsonReport(input: ReportInput): string {
  return `${JSON.stringify(
    {
      generatedAt: input.generatedAt.toISOString(),
      incident: input.detail,
      responses: input.responses,
      rotations: input.rotations,
    },
    null,
    2,
  )}\n`;
}
