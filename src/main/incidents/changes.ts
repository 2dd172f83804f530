import { RekeyError } from '../../shared/errors';
import {
  type EntryKind,
  type IncidentLink,
  type IncidentStatus,
  SEVERITY_NAMES,
} from '../../shared/incident-api';
import { findSecret } from '../vault/changes';
import type { IncidentRecord } from '../vault/incident-state';
import { type VaultState, refOf } from '../vault/state';
import { type Transaction, newId } from '../vault/transaction';

/**
 * Incidents changed as journal records: opened, edited, linked, moved through their statuses,
 * their timelines written, their secrets marked exposed. Every change checks what it refers to
 * first, so a record never points at nothing.
 */

/** An entry may be back-dated, never dated ahead (a minute of clock skew aside). */
const FUTURE_SLACK_MS = 60_000;

export function findIncident(state: Readonly<VaultState>, id: string): IncidentRecord {
  const incident = state.incidents.get(id);
  if (!incident) throw new RekeyError('NOT_FOUND', `No incident ${id}`);
  return incident;
}

function checkTime(transaction: Transaction, at: string | undefined): string {
  if (at === undefined) return transaction.now.toISOString();
  const time = new Date(at);
  if (time.getTime() > transaction.now.getTime() + FUTURE_SLACK_MS) {
    throw new RekeyError('INVALID_INPUT', `${at} is in the future; entries record what happened`);
  }
  return time.toISOString();
}

export interface Affected {
  deployments?: readonly string[];
  hosts?: readonly string[];
  secrets?: readonly string[];
}

/** Names checked against the vault; secrets become ids. */
function resolveAffected(state: Readonly<VaultState>, affected: Affected) {
  for (const name of affected.deployments ?? []) {
    if (!state.deployments.has(name)) throw new RekeyError('NOT_FOUND', `No deployment ${name}`);
  }
  for (const name of affected.hosts ?? []) {
    if (name !== 'local' && !state.hosts.has(name)) {
      throw new RekeyError('NOT_FOUND', `No host ${name}`);
    }
  }
  return {
    deployments: [...new Set(affected.deployments ?? [])],
    hosts: [...new Set(affected.hosts ?? [])],
    secretIds: [...new Set((affected.secrets ?? []).map((ref) => findSecret(state, ref).id))],
  };
}

function checkLinks(state: Readonly<VaultState>, links: readonly IncidentLink[]): void {
  for (const link of links) {
    if (link.type === 'secret') findSecret(state, link.id);
    if (link.type === 'rotation' && !state.rotations.has(link.id)) {
      throw new RekeyError('NOT_FOUND', `No rotation run ${link.id}`);
    }
    if (link.type === 'backup' && !state.backups.some((backup) => backup.id === link.id)) {
      throw new RekeyError('NOT_FOUND', `No backup ${link.id}`);
    }
    if (link.type === 'host' && link.id !== 'local' && !state.hosts.has(link.id)) {
      throw new RekeyError('NOT_FOUND', `No host ${link.id}`);
    }
    if (link.type === 'deployment' && !state.deployments.has(link.id)) {
      throw new RekeyError('NOT_FOUND', `No deployment ${link.id}`);
    }
  }
}

export function openIncident(
  transaction: Transaction,
  input: { title: string; severity: number; summary: string; detectedAt?: string } & Affected,
): string {
  const id = newId('i');
  const openedAt = checkTime(transaction, input.detectedAt);
  transaction.record(
    {
      kind: 'incident.opened',
      data: {
        id,
        title: transaction.redact(input.title),
        severity: input.severity,
        summary: transaction.redact(input.summary),
        openedAt,
        ...resolveAffected(transaction.state, input),
      },
    },
    {
      summary: `Incident "${input.title}" opened (severity ${input.severity}, ${SEVERITY_NAMES[input.severity] ?? ''})`,
    },
  );
  addEntry(transaction, id, {
    at: openedAt,
    kind: 'status',
    text: `Opened, severity ${input.severity} (${SEVERITY_NAMES[input.severity] ?? ''})`,
  });
  return id;
}

export function updateIncident(
  transaction: Transaction,
  id: string,
  changes: { title?: string; severity?: number; summary?: string; ownerNote?: string },
): void {
  const incident = findIncident(transaction.state, id);
  const named = Object.keys(changes).filter(
    (key) => changes[key as keyof typeof changes] !== undefined,
  );
  if (named.length === 0) return;
  const redacted = Object.fromEntries(
    Object.entries(changes).map(([key, value]) => [
      key,
      typeof value === 'string' ? transaction.redact(value) : value,
    ]),
  ) as typeof changes;
  transaction.record(
    { kind: 'incident.updated', data: { id, ...redacted } },
    { summary: `Incident "${incident.title}": ${named.join(', ')} changed` },
  );
}

export function linkIncident(
  transaction: Transaction,
  id: string,
  affected: Affected,
  remove: boolean,
): void {
  const incident = findIncident(transaction.state, id);
  const resolved = resolveAffected(transaction.state, affected);
  const names = [...resolved.deployments, ...resolved.hosts, ...(affected.secrets ?? [])];
  if (names.length === 0) return;
  transaction.record(
    { kind: 'incident.linked', data: { id, remove, ...resolved } },
    {
      summary: `Incident "${incident.title}": ${remove ? 'no longer affects' : 'affects'} ${names.join(', ')}`,
    },
  );
}

export function setStatus(
  transaction: Transaction,
  id: string,
  input: { status: IncidentStatus; at?: string; summary?: string; followUps: readonly string[] },
): void {
  const incident = findIncident(transaction.state, id);
  if (incident.status === input.status) {
    throw new RekeyError('CONFLICT', `Incident "${incident.title}" is already ${input.status}`);
  }
  const summary = input.summary?.trim() ?? '';
  if (input.status === 'closed' && summary === '' && incident.summary.trim() === '') {
    throw new RekeyError(
      'INVALID_INPUT',
      'Closing an incident needs a summary: what happened, its impact, what was done',
    );
  }
  const at = checkTime(transaction, input.at);
  if (summary !== '') updateIncident(transaction, id, { summary });
  transaction.record(
    { kind: 'incident.status-set', data: { id, status: input.status, at } },
    { summary: `Incident "${incident.title}" is ${input.status}` },
  );
  for (const text of input.followUps) addFollowUp(transaction, id, text);
  addEntry(transaction, id, {
    at,
    kind: 'status',
    text:
      input.status === 'closed'
        ? `Closed${input.followUps.length > 0 ? ` with ${input.followUps.length} open follow-ups` : ''}`
        : `Status: ${input.status}`,
  });
}

export function addEntry(
  transaction: Transaction,
  incidentId: string,
  input: { at?: string; kind: EntryKind; text: string; links?: readonly IncidentLink[] },
): string {
  const incident = findIncident(transaction.state, incidentId);
  const links = [...(input.links ?? [])];
  checkLinks(transaction.state, links);
  const id = newId('e');
  const at = checkTime(transaction, input.at);
  transaction.record(
    {
      kind: 'incident.entry-added',
      data: {
        incidentId,
        id,
        at,
        kind: input.kind,
        text: transaction.redact(input.text),
        links,
        auto: false,
      },
    },
    { summary: `Incident "${incident.title}", ${input.kind}: ${input.text}` },
  );
  return id;
}

function editableEntry(incident: IncidentRecord, entryId: string) {
  const entry = incident.entries.find(
    (candidate) => candidate.id === entryId && !candidate.removed,
  );
  if (!entry)
    throw new RekeyError('NOT_FOUND', `Incident "${incident.title}" has no entry ${entryId}`);
  if (entry.auto) {
    throw new RekeyError(
      'INVALID_INPUT',
      'Rekey wrote this entry from the history; it cannot be changed (add a note instead)',
    );
  }
  return entry;
}

export function editEntry(
  transaction: Transaction,
  incidentId: string,
  entryId: string,
  changes: { at?: string; kind?: EntryKind; text?: string },
): void {
  const incident = findIncident(transaction.state, incidentId);
  const entry = editableEntry(incident, entryId);
  const at = changes.at === undefined ? entry.at : checkTime(transaction, changes.at);
  const kind = changes.kind ?? entry.kind;
  const text = changes.text === undefined ? entry.text : transaction.redact(changes.text);
  if (at === entry.at && kind === entry.kind && text === entry.text) return;
  transaction.record(
    { kind: 'incident.entry-edited', data: { incidentId, id: entryId, at, kind, text } },
    { summary: `Incident "${incident.title}": entry edited (was "${entry.text}")` },
  );
}

export function removeEntry(transaction: Transaction, incidentId: string, entryId: string): void {
  const incident = findIncident(transaction.state, incidentId);
  const entry = editableEntry(incident, entryId);
  transaction.record(
    { kind: 'incident.entry-removed', data: { incidentId, id: entryId } },
    { summary: `Incident "${incident.title}": entry removed (was "${entry.text}")` },
  );
}

export function addFollowUp(transaction: Transaction, incidentId: string, text: string): string {
  const incident = findIncident(transaction.state, incidentId);
  const id = newId('f');
  transaction.record(
    {
      kind: 'incident.follow-up-set',
      data: { incidentId, id, text: transaction.redact(text), done: false },
    },
    { summary: `Incident "${incident.title}": follow-up "${text}"` },
  );
  return id;
}

export function setFollowUpDone(
  transaction: Transaction,
  incidentId: string,
  followUpId: string,
  done: boolean,
): void {
  const incident = findIncident(transaction.state, incidentId);
  const followUp = incident.followUps.find((candidate) => candidate.id === followUpId);
  if (!followUp) throw new RekeyError('NOT_FOUND', `No follow-up ${followUpId}`);
  if (followUp.done === done) return;
  transaction.record(
    {
      kind: 'incident.follow-up-set',
      data: { incidentId, id: followUpId, text: followUp.text, done },
    },
    {
      summary: `Incident "${incident.title}": follow-up "${followUp.text}" ${done ? 'done' : 'open again'}`,
    },
  );
}

/**
 * The secret's current value (and a pending one, if a rotation staged it) is known to others:
 * recorded on the incident, which also starts to concern the secret. The secret counts as
 * compromised for as long as one of these versions stays current.
 */
export function markExposed(
  transaction: Transaction,
  incidentId: string,
  ref: string,
  fingerprint: (value: string) => string,
): void {
  const incident = findIncident(transaction.state, incidentId);
  const secret = findSecret(transaction.state, ref);
  const versions = secret.versions.filter(
    (version) => version.labels.includes('current') || version.labels.includes('pending'),
  );
  if (versions.length === 0) {
    throw new RekeyError('INVALID_INPUT', `${ref} has no current value to mark exposed`);
  }
  const prints = versions.map((version) => fingerprint(version.value.reveal()));
  transaction.record(
    {
      kind: 'incident.exposed',
      data: { incidentId, secretId: secret.id, versionIds: versions.map((version) => version.id) },
    },
    {
      ref: refOf(secret),
      summary: `${refOf(secret)} marked exposed (${prints.join(', ')}) in incident "${incident.title}"`,
    },
  );
}
