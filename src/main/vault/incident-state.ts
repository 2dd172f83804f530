import type { EntryKind, IncidentLink, IncidentStatus } from '../../shared/incident-api';
import type { EventOf } from './events';

/** Incidents as replaying their records yields them. */

export interface EntryRevision {
  at: string;
  kind: EntryKind;
  text: string;
  /** When this wording was replaced. */
  replacedAt: string;
}

export interface IncidentEntryRecord {
  id: string;
  at: string;
  recordedAt: string;
  kind: EntryKind;
  text: string;
  links: IncidentLink[];
  auto: boolean;
  revisions: EntryRevision[];
  /** Removed from the timeline (its records stay in the history). */
  removed: boolean;
}

export interface ExposureRecord {
  secretId: string;
  versionIds: string[];
  at: string;
}

export interface IncidentRecord {
  id: string;
  title: string;
  severity: number;
  status: IncidentStatus;
  openedAt: string;
  updatedAt: string;
  summary: string;
  ownerNote: string;
  statusHistory: { status: IncidentStatus; at: string }[];
  deployments: string[];
  hosts: string[];
  secretIds: string[];
  exposures: ExposureRecord[];
  entries: IncidentEntryRecord[];
  followUps: { id: string; text: string; done: boolean }[];
  /** Leak response steps settled, per secret; the latest word on a step counts. */
  responses: { secretId: string; step: string; outcome: 'done' | 'skipped'; at: string }[];
}

export class IncidentEventError extends Error {}

export type IncidentEvent =
  | EventOf<'incident.opened'>
  | EventOf<'incident.updated'>
  | EventOf<'incident.linked'>
  | EventOf<'incident.status-set'>
  | EventOf<'incident.entry-added'>
  | EventOf<'incident.entry-edited'>
  | EventOf<'incident.entry-removed'>
  | EventOf<'incident.follow-up-set'>
  | EventOf<'incident.exposed'>
  | EventOf<'incident.responded'>
  | EventOf<'incident.exported'>;

function merge(list: string[], add: readonly string[], remove: boolean): string[] {
  if (remove) return list.filter((item) => !add.includes(item));
  return [...list, ...add.filter((item) => !list.includes(item))];
}

function incidentOf(incidents: Map<string, IncidentRecord>, id: string): IncidentRecord {
  const incident = incidents.get(id);
  if (!incident) throw new IncidentEventError(`event refers to unknown incident ${id}`);
  return incident;
}

function entryOf(incident: IncidentRecord, id: string): IncidentEntryRecord {
  const entry = incident.entries.find((candidate) => candidate.id === id);
  if (!entry) throw new IncidentEventError(`incident ${incident.id} has no entry ${id}`);
  return entry;
}

export function applyIncidentEvent(
  incidents: Map<string, IncidentRecord>,
  event: IncidentEvent & { at: string },
): void {
  switch (event.kind) {
    case 'incident.opened': {
      const { id, openedAt, ...rest } = event.data;
      if (incidents.has(id)) throw new IncidentEventError(`incident ${id} already exists`);
      incidents.set(id, {
        id,
        title: rest.title,
        severity: rest.severity,
        status: 'open',
        openedAt,
        updatedAt: event.at,
        summary: rest.summary,
        ownerNote: '',
        statusHistory: [{ status: 'open', at: openedAt }],
        deployments: [...rest.deployments],
        hosts: [...rest.hosts],
        secretIds: [...rest.secretIds],
        exposures: [],
        entries: [],
        followUps: [],
        responses: [],
      });
      return;
    }
    case 'incident.updated': {
      const incident = incidentOf(incidents, event.data.id);
      const { id: _id, ...changes } = event.data;
      Object.assign(incident, changes);
      incident.updatedAt = event.at;
      return;
    }
    case 'incident.linked': {
      const incident = incidentOf(incidents, event.data.id);
      const { remove } = event.data;
      incident.deployments = merge(incident.deployments, event.data.deployments, remove);
      incident.hosts = merge(incident.hosts, event.data.hosts, remove);
      incident.secretIds = merge(incident.secretIds, event.data.secretIds, remove);
      incident.updatedAt = event.at;
      return;
    }
    case 'incident.status-set': {
      const incident = incidentOf(incidents, event.data.id);
      incident.status = event.data.status;
      incident.statusHistory.push({ status: event.data.status, at: event.data.at });
      incident.updatedAt = event.at;
      return;
    }
    case 'incident.entry-added': {
      const { incidentId, ...entry } = event.data;
      const incident = incidentOf(incidents, incidentId);
      if (incident.entries.some((candidate) => candidate.id === entry.id)) {
        throw new IncidentEventError(`incident ${incidentId} already has entry ${entry.id}`);
      }
      incident.entries.push({
        ...entry,
        links: entry.links.map((link) => ({ ...link })),
        recordedAt: event.at,
        revisions: [],
        removed: false,
      });
      incident.updatedAt = event.at;
      return;
    }
    case 'incident.entry-edited': {
      const incident = incidentOf(incidents, event.data.incidentId);
      const entry = entryOf(incident, event.data.id);
      entry.revisions.push({
        at: entry.at,
        kind: entry.kind,
        text: entry.text,
        replacedAt: event.at,
      });
      entry.at = event.data.at;
      entry.kind = event.data.kind;
      entry.text = event.data.text;
      entry.recordedAt = event.at;
      incident.updatedAt = event.at;
      return;
    }
    case 'incident.entry-removed': {
      const incident = incidentOf(incidents, event.data.incidentId);
      entryOf(incident, event.data.id).removed = true;
      incident.updatedAt = event.at;
      return;
    }
    case 'incident.follow-up-set': {
      const incident = incidentOf(incidents, event.data.incidentId);
      const { incidentId: _incident, ...followUp } = event.data;
      const known = incident.followUps.find((candidate) => candidate.id === followUp.id);
      if (known) Object.assign(known, followUp);
      else incident.followUps.push(followUp);
      incident.updatedAt = event.at;
      return;
    }
    case 'incident.exposed': {
      const incident = incidentOf(incidents, event.data.incidentId);
      incident.exposures.push({
        secretId: event.data.secretId,
        versionIds: [...event.data.versionIds],
        at: event.at,
      });
      incident.secretIds = merge(incident.secretIds, [event.data.secretId], false);
      incident.updatedAt = event.at;
      return;
    }
    case 'incident.responded': {
      const { incidentId, ...response } = event.data;
      const incident = incidentOf(incidents, incidentId);
      incident.responses.push({ ...response, at: event.at });
      incident.updatedAt = event.at;
      return;
    }
    case 'incident.exported':
      incidentOf(incidents, event.data.id);
      return;
  }
}
