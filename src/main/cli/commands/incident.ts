import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { MethodOutput } from '../../../shared/api';
import {
  ENTRY_KINDS,
  type EntryKind,
  INCIDENT_STATUSES,
  type IncidentStatus,
  LINK_TYPES,
  SEVERITY_NAMES,
} from '../../../shared/incident-api';
import { action, collect } from '../command';
import { type CliContext, CliFailure, type CliIo } from '../context';
import { table } from '../format';

/**
 * `rekey incident`, `rekey secret exposed` and `rekey host compromised`: incidents and their
 * timelines from scripts and terminals. An incident is named by its id or any unique start of
 * it (`i_4Fq`).
 */

type Detail = MethodOutput<'incidents.get'>;
type Steps = MethodOutput<'incidents.response'>;

const INCIDENT_HELP = `
Times (--at, --detected-at) are ISO 8601 with an offset or Z, e.g. 2026-11-23T08:15:00Z; an
entry may be back-dated ("detected at"), never dated ahead. Entry kinds: ${ENTRY_KINDS.join(', ')}.
Links (--link TYPE:ID): ${LINK_TYPES.join(', ')}, e.g. secret:tv/jwt.secret or rotation:r_…
Severity 1 (critical) to 4 (low). Closing asks for a summary; follow-ups stay open in the report.`;

function parseSeverity(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 4) {
    throw new CliFailure('INVALID_INPUT', `Severity is 1 (critical) to 4 (low), not "${text}"`);
  }
  return value;
}

function parseKind(text: string): EntryKind {
  if (!(ENTRY_KINDS as readonly string[]).includes(text)) {
    throw new CliFailure('INVALID_INPUT', `Entry kinds: ${ENTRY_KINDS.join(', ')}; not "${text}"`);
  }
  return text as EntryKind;
}

function parseLink(text: string) {
  const at = text.indexOf(':');
  const type = text.slice(0, at);
  if (at <= 0 || !(LINK_TYPES as readonly string[]).includes(type)) {
    throw new CliFailure(
      'INVALID_INPUT',
      `A link is TYPE:ID with TYPE one of ${LINK_TYPES.join(', ')}`,
    );
  }
  return { type: type as (typeof LINK_TYPES)[number], id: text.slice(at + 1) };
}

/** The full id of the incident `given` names (itself, or a unique start of an id). */
async function incidentId(context: CliContext, given: string): Promise<string> {
  const list = await context.call('incidents.list', {});
  if (list.some((incident) => incident.id === given)) return given;
  const matches = list.filter((incident) => incident.id.startsWith(given));
  if (matches.length === 1 && matches[0]) return matches[0].id;
  throw new CliFailure(
    'NOT_FOUND',
    matches.length === 0
      ? `No incident ${given} (rekey incident list)`
      : `${given} names ${matches.length} incidents; give more of the id`,
  );
}

function severity(value: number): string {
  return `${value} ${SEVERITY_NAMES[value] ?? ''}`.trim();
}

function describe(detail: Detail): string {
  const lines = [
    `${detail.id}  ${detail.title}`,
    `  severity ${severity(detail.severity)}, ${detail.status}, opened ${detail.openedAt}`,
  ];
  if (detail.deployments.length > 0) lines.push(`  deployments: ${detail.deployments.join(', ')}`);
  if (detail.hosts.length > 0) lines.push(`  hosts: ${detail.hosts.join(', ')}`);
  if (detail.summary) lines.push('', `  ${detail.summary.replace(/\n/g, '\n  ')}`);
  if (detail.ownerNote) lines.push(`  owner: ${detail.ownerNote}`);
  if (detail.affectedSecrets.length > 0) {
    lines.push('', 'Secrets:');
    for (const secret of detail.affectedSecrets) {
      const state = secret.stillExposed
        ? 'STILL EXPOSED (an exposed version is current)'
        : secret.exposedVersions.length > 0
          ? 'no longer exposed'
          : 'affected';
      lines.push(
        `  ${secret.ref}: ${state}${secret.exposedVersions.length > 0 ? `; exposed ${secret.exposedVersions.join(', ')}` : ''}`,
      );
    }
  }
  lines.push('', 'Timeline (UTC):');
  for (const entry of detail.timeline) {
    const marks = [entry.auto ? 'auto' : '', entry.revisions.length > 0 ? 'edited' : ''].filter(
      Boolean,
    );
    lines.push(
      `  ${entry.at.slice(0, 19).replace('T', ' ')}  ${entry.kind.padEnd(13)} ${entry.text}${marks.length > 0 ? ` [${marks.join(', ')}]` : ''}  (${entry.id})`,
    );
  }
  if (detail.followUps.length > 0) {
    lines.push('', 'Follow-ups:');
    for (const followUp of detail.followUps)
      lines.push(`  [${followUp.done ? 'x' : ' '}] ${followUp.text}  (${followUp.id})`);
  }
  return lines.join('\n');
}

function describeSteps(ref: string, steps: Steps): string {
  const lines = [`Leak response for ${ref}:`];
  for (const step of steps) {
    const mark = step.outcome === 'done' ? '[x]' : step.outcome === 'skipped' ? '[-]' : '[ ]';
    lines.push(`  ${mark} ${step.id}: ${step.title}`);
    if (step.detail) lines.push(`        ${step.detail}`);
    if (step.refs.length > 0) lines.push(`        rekey rotate ${step.refs.join(' ')}`);
  }
  return lines.join('\n');
}

interface AffectedFlags {
  secret?: string[];
  host?: string[];
  deployment?: string[];
}

const affected = (flags: AffectedFlags) => ({
  ...(flags.secret ? { secrets: flags.secret } : {}),
  ...(flags.host ? { hosts: flags.host } : {}),
  ...(flags.deployment ? { deployments: flags.deployment } : {}),
});

function withAffected(command: Command): Command {
  return command
    .option('--secret <ref>', 'a secret it concerns (repeatable)', collect)
    .option('--host <name>', 'a host it concerns (repeatable)', collect)
    .option('--deployment <name>', 'a deployment it concerns (repeatable)', collect);
}

export function registerIncidentCommands(program: Command, io: CliIo): void {
  const incident = program
    .command('incident')
    .description('incidents: a timeline of what happened and what was done')
    .addHelpText('after', INCIDENT_HELP);

  withAffected(
    incident
      .command('open <title>')
      .description('open an incident')
      .option('--severity <n>', '1 (critical) to 4 (low)', '2')
      .option('--summary <text>', 'what is known so far')
      .option('--detected-at <time>', 'when it began (default: now)')
      .option('--json', 'print the incident as JSON'),
  ).action(
    action(
      io,
      async (
        context,
        title: string,
        flags: AffectedFlags & {
          severity: string;
          summary?: string;
          detectedAt?: string;
          json?: boolean;
        },
      ) => {
        await context.unlock();
        const detail = await context.call('incidents.open', {
          title,
          severity: parseSeverity(flags.severity),
          ...(flags.summary ? { summary: flags.summary } : {}),
          ...(flags.detectedAt ? { detectedAt: flags.detectedAt } : {}),
          ...affected(flags),
        });
        if (flags.json) return context.printJson(detail);
        context.print(`Opened ${detail.id}: ${detail.title}`);
      },
    ),
  );

  incident
    .command('list')
    .description('incidents, newest first')
    .option('--status <status>', `only these: ${INCIDENT_STATUSES.join(', ')}`)
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { status?: string; json?: boolean }) => {
        if (flags.status && !(INCIDENT_STATUSES as readonly string[]).includes(flags.status)) {
          throw new CliFailure('INVALID_INPUT', `Statuses: ${INCIDENT_STATUSES.join(', ')}`);
        }
        await context.unlock();
        const list = await context.call(
          'incidents.list',
          flags.status ? { status: flags.status as IncidentStatus } : {},
        );
        if (flags.json) return context.printJson(list);
        if (list.length === 0) return context.print('No incidents.');
        context.print(
          table(
            ['ID', 'SEVERITY', 'STATUS', 'OPENED', 'EXPOSED', 'TITLE'],
            list.map((item) => [
              item.id,
              severity(item.severity),
              item.status,
              item.openedAt,
              String(item.stillExposed),
              item.title,
            ]),
          ),
        );
      }),
    );

  incident
    .command('show <id>')
    .description('an incident, its timeline and what is still exposed')
    .option('--json', 'print the incident as JSON')
    .action(
      action(io, async (context, given: string, flags: { json?: boolean }) => {
        await context.unlock();
        const id = await incidentId(context, given);
        const detail = await context.call('incidents.get', { id });
        if (flags.json) return context.printJson(detail);
        context.print(describe(detail));
      }),
    );

  incident
    .command('update <id>')
    .description("change an incident's title, severity, summary or owner's note")
    .option('--title <text>', 'a new title')
    .option('--severity <n>', '1 (critical) to 4 (low)')
    .option('--summary <text>', 'what happened, its impact, what was done')
    .option('--owner-note <text>', 'who handles it and how to reach them')
    .action(
      action(
        io,
        async (
          context,
          given: string,
          flags: { title?: string; severity?: string; summary?: string; ownerNote?: string },
        ) => {
          const changes = {
            ...(flags.title !== undefined ? { title: flags.title } : {}),
            ...(flags.severity !== undefined ? { severity: parseSeverity(flags.severity) } : {}),
            ...(flags.summary !== undefined ? { summary: flags.summary } : {}),
            ...(flags.ownerNote !== undefined ? { ownerNote: flags.ownerNote } : {}),
          };
          if (Object.keys(changes).length === 0) {
            throw new CliFailure(
              'INVALID_INPUT',
              'Nothing to change: give --title, --severity, --summary or --owner-note',
            );
          }
          await context.unlock();
          const id = await incidentId(context, given);
          await context.call('incidents.update', { id, ...changes });
          context.print(`Updated ${id}`);
        },
      ),
    );

  incident
    .command('note <id> <text>')
    .description('add a timeline entry')
    .option('--kind <kind>', 'detection, assessment, action, …', 'note')
    .option('--at <time>', 'when it happened (default: now)')
    .option('--link <type:id>', 'what it is about (repeatable)', collect)
    .action(
      action(
        io,
        async (
          context,
          given: string,
          text: string,
          flags: { kind: string; at?: string; link?: string[] },
        ) => {
          const kind = parseKind(flags.kind);
          const links = (flags.link ?? []).map(parseLink);
          await context.unlock();
          const id = await incidentId(context, given);
          const detail = await context.call('incidents.addEntry', {
            id,
            kind,
            text,
            links,
            ...(flags.at ? { at: flags.at } : {}),
          });
          context.print(`Added to ${detail.id} (${detail.timeline.length} entries)`);
        },
      ),
    );

  incident
    .command('status <id> <status>')
    .description(
      `set the status: ${INCIDENT_STATUSES.filter((status) => status !== 'closed').join(', ')} (close: incident close)`,
    )
    .option('--at <time>', 'when it changed (default: now)')
    .action(
      action(io, async (context, given: string, status: string, flags: { at?: string }) => {
        if (status === 'closed')
          throw new CliFailure(
            'INVALID_INPUT',
            'Close with: rekey incident close ID --summary TEXT',
          );
        if (!(INCIDENT_STATUSES as readonly string[]).includes(status)) {
          throw new CliFailure('INVALID_INPUT', `Statuses: ${INCIDENT_STATUSES.join(', ')}`);
        }
        await context.unlock();
        const id = await incidentId(context, given);
        await context.call('incidents.setStatus', {
          id,
          status: status as IncidentStatus,
          ...(flags.at ? { at: flags.at } : {}),
        });
        context.print(`${id} is ${status}`);
      }),
    );

  withAffected(
    incident
      .command('link <id>')
      .description('add (or --remove) what the incident concerns')
      .option('--remove', 'take them off instead'),
  ).action(
    action(io, async (context, given: string, flags: AffectedFlags & { remove?: boolean }) => {
      await context.unlock();
      const id = await incidentId(context, given);
      const detail = await context.call('incidents.link', {
        id,
        remove: flags.remove === true,
        ...affected(flags),
      });
      context.print(
        `${detail.id}: ${detail.affectedSecrets.length} secrets, ${detail.hosts.length} hosts, ${detail.deployments.length} deployments`,
      );
    }),
  );

  incident
    .command('close <id>')
    .description('close an incident with a summary; open follow-ups go into its report')
    .requiredOption('--summary <text>', 'what happened, its impact, what was done')
    .option('--follow-up <text>', 'work left to do (repeatable)', collect)
    .option('--at <time>', 'when it was closed (default: now)')
    .action(
      action(
        io,
        async (
          context,
          given: string,
          flags: { summary: string; followUp?: string[]; at?: string },
        ) => {
          await context.unlock();
          const id = await incidentId(context, given);
          const detail = await context.call('incidents.setStatus', {
            id,
            status: 'closed',
            summary: flags.summary,
            followUps: flags.followUp ?? [],
            ...(flags.at ? { at: flags.at } : {}),
          });
          const exposed = detail.affectedSecrets.filter((secret) => secret.stillExposed);
          context.print(
            `Closed ${id}${detail.followUps.length > 0 ? ` with ${detail.followUps.length} follow-ups` : ''}`,
          );
          if (exposed.length > 0) {
            context.warn(
              `still exposed (compromised until rotated): ${exposed.map((secret) => secret.ref).join(', ')}`,
            );
          }
        },
      ),
    );

  incident
    .command('respond <id> <ref> <step> <outcome>')
    .description("mark a step of a secret's leak response done or skipped")
    .option('--note <text>', 'why, or what was found')
    .action(
      action(
        io,
        async (
          context,
          given: string,
          ref: string,
          step: string,
          outcome: string,
          flags: { note?: string },
        ) => {
          if (outcome !== 'done' && outcome !== 'skipped')
            throw new CliFailure('INVALID_INPUT', 'The outcome is done or skipped');
          await context.unlock();
          const id = await incidentId(context, given);
          const result = await context.call('incidents.respond', {
            id,
            ref,
            step,
            outcome,
            ...(flags.note ? { note: flags.note } : {}),
          });
          context.print(describeSteps(ref, result.steps));
        },
      ),
    );

  incident
    .command('export <id>')
    .description('the post-incident report (Markdown, or JSON); never a value')
    .option('--format <format>', 'markdown or json', 'markdown')
    .option('--out <file>', 'write to this file (default: stdout)')
    .option('--time-zone <zone>', "IANA zone for local times (default: this machine's)")
    .action(
      action(
        io,
        async (
          context,
          given: string,
          flags: { format: string; out?: string; timeZone?: string },
        ) => {
          if (flags.format !== 'markdown' && flags.format !== 'json') {
            throw new CliFailure('INVALID_INPUT', 'The format is markdown or json');
          }
          await context.unlock();
          const id = await incidentId(context, given);
          const report = await context.call('incidents.export', {
            id,
            format: flags.format,
            ...(flags.timeZone ? { timeZone: flags.timeZone } : {}),
          });
          if (!flags.out) return context.print(report.content.replace(/\n$/, ''));
          await writeFile(flags.out, report.content, { mode: 0o600 });
          context.notice(`Wrote ${flags.out}`);
        },
      ),
    );

  program.commands
    .find((command) => command.name() === 'secret')
    ?.command('exposed <ref>')
    .description('mark the current value exposed: opens (or joins) an incident, shows the response')
    .option('--incident <id>', 'join this incident instead of opening one')
    .option('--severity <n>', '1 (critical) to 4 (low), for a new incident', '1')
    .option('--note <text>', 'how it was exposed')
    .option('--detected-at <time>', 'when it was noticed (default: now)')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          ref: string,
          flags: {
            incident?: string;
            severity: string;
            note?: string;
            detectedAt?: string;
            json?: boolean;
          },
        ) => {
          const severityValue = parseSeverity(flags.severity);
          await context.unlock();
          const joined = flags.incident ? await incidentId(context, flags.incident) : undefined;
          const result = await context.call('incidents.exposed', {
            ref,
            severity: severityValue,
            ...(joined ? { incident: joined } : {}),
            ...(flags.note ? { text: flags.note } : {}),
            ...(flags.detectedAt ? { detectedAt: flags.detectedAt } : {}),
          });
          if (flags.json) return context.printJson(result);
          context.print(
            `${ref} is marked exposed in ${result.incident.id} (${result.incident.title})\n\n${describeSteps(ref, result.steps)}`,
          );
        },
      ),
    );

  program.commands
    .find((command) => command.name() === 'host')
    ?.command('compromised <host>')
    .description('every secret the host held, ranked, marked exposed, with rotation plans')
    .option('--incident <id>', 'join this incident instead of opening one')
    .option('--severity <n>', '1 (critical) to 4 (low), for a new incident', '1')
    .option('--note <text>', 'what is known')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          host: string,
          flags: { incident?: string; severity: string; note?: string; json?: boolean },
        ) => {
          const severityValue = parseSeverity(flags.severity);
          await context.unlock();
          const joined = flags.incident ? await incidentId(context, flags.incident) : undefined;
          const result = await context.call('incidents.hostCompromised', {
            host,
            severity: severityValue,
            ...(joined ? { incident: joined } : {}),
            ...(flags.note ? { text: flags.note } : {}),
          });
          if (flags.json) return context.printJson(result);
          const lines = [
            `Host ${host}: ${result.secrets.length} secrets held a value there (incident ${result.incident.id})`,
          ];
          if (result.secrets.length > 0) {
            lines.push(
              table(
                ['SECRET', 'DIFFICULTY', 'GUARDED', 'WHY'],
                result.secrets.map((secret) => [
                  secret.ref,
                  secret.difficulty,
                  secret.guarded ? 'yes' : '',
                  secret.reason,
                ]),
              ),
            );
          }
          for (const plan of result.plans) {
            lines.push('', `${plan.deployment}:`);
            if (plan.refs.length > 0) lines.push(`  rekey rotate ${plan.refs.join(' ')}`);
            for (const problem of plan.problems) lines.push(`  ! ${problem}`);
          }
          context.print(lines.join('\n'));
        },
      ),
    );
}
