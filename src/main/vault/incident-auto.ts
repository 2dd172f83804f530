import type { EntryKind, IncidentLink } from '../../shared/incident-api';
import type { EventBody, VaultEvent } from './events';
import type { IncidentRecord } from './incident-state';
import { type VaultState, refOf } from './state';

/**
 * Timeline entries Rekey writes by itself: while an incident is not closed, every rotation run,
 * backup, restore, reveal and copy that touches one of its secrets (or, for backups, its
 * deployments) is added to its timeline, in the same transaction as the event itself, so no
 * path that records such an event can forget it.
 */

export interface AutoEntry {
  body: EventBody;
  details: { ref: string | null; summary: string };
}

interface Touch {
  kind: EntryKind;
  text: string;
  secretIds: readonly string[];
  deployment: string | null;
  links: IncidentLink[];
}

function refs(state: Readonly<VaultState>, ids: readonly string[]): string[] {
  return ids.flatMap((id) => {
    const secret = state.secrets.get(id);
    return secret ? [refOf(secret)] : [];
  });
}

function idsOfRefs(state: Readonly<VaultState>, list: readonly string[]): string[] {
  return list.flatMap((ref) => {
    const id = state.refs.get(ref);
    return id === undefined ? [] : [id];
  });
}

const OUTCOME_WORDS: Record<string, string> = {
  rotated: 'finished: the new value is current',
  'rolled-back': 'rolled back: the old value is in place again',
  'needs-attention': 'needs attention: check by hand',
};

/** What the event did to secrets, in timeline terms; null when incidents do not care. */
function touchOf(state: Readonly<VaultState>, event: VaultEvent): Touch | null {
  const eventLink: IncidentLink = { type: 'event', id: String(event.n) };
  switch (event.kind) {
    case 'rotation.started': {
      const names = refs(state, event.data.secretIds);
      return {
        kind: 'rotation',
        text: `Rotation run ${event.data.runId} started for ${names.join(', ')}`,
        secretIds: event.data.secretIds,
        deployment: null,
        links: [{ type: 'rotation', id: event.data.runId }, eventLink],
      };
    }
    case 'rotation.finished': {
      const run = state.rotations.get(event.data.runId);
      if (!run) return null;
      return {
        kind: 'rotation',
        text: `Rotation run ${run.id} ${OUTCOME_WORDS[event.data.outcome] ?? event.data.outcome}`,
        secretIds: run.secretIds,
        deployment: null,
        links: [{ type: 'rotation', id: run.id }, eventLink],
      };
    }
    case 'backup.created':
      return {
        kind: 'backup',
        text: `Backup of ${event.data.deployment} written to ${event.data.file}`,
        secretIds: [],
        deployment: event.data.deployment,
        links: [{ type: 'backup', id: event.data.id }, eventLink],
      };
    case 'backup.restored':
      return {
        kind: 'backup',
        text: `Restored from ${event.data.file}${event.data.secrets.length > 0 ? `: ${event.data.secrets.join(', ')}` : ''}`,
        secretIds: idsOfRefs(state, event.data.secrets),
        deployment: null,
        links: [eventLink],
      };
    case 'secret.revealed':
    case 'secret.copied': {
      const [ref] = refs(state, [event.data.secretId]);
      if (ref === undefined) return null;
      return {
        kind: 'action',
        text: `${ref} ${event.kind === 'secret.revealed' ? 'revealed' : 'copied'} (${event.src})`,
        secretIds: [event.data.secretId],
        deployment: null,
        links: [{ type: 'secret', id: ref }, eventLink],
      };
    }
    default:
      return null;
  }
}

function concerns(state: Readonly<VaultState>, incident: IncidentRecord, touch: Touch): boolean {
  if (incident.status === 'closed') return false;
  if (touch.secretIds.some((id) => incident.secretIds.includes(id))) return true;
  if (touch.deployment === null) return false;
  if (incident.deployments.includes(touch.deployment)) return true;
  return incident.secretIds.some((id) => state.secrets.get(id)?.deployment === touch.deployment);
}

export function autoEntries(
  state: Readonly<VaultState>,
  event: VaultEvent,
  newEntryId: () => string,
): AutoEntry[] {
  if (state.incidents.size === 0 || event.kind.startsWith('incident.')) return [];
  const touch = touchOf(state, event);
  if (!touch) return [];
  const entries: AutoEntry[] = [];
  for (const incident of state.incidents.values()) {
    if (!concerns(state, incident, touch)) continue;
    const secretLinks = refs(
      state,
      touch.secretIds.filter((id) => incident.secretIds.includes(id)),
    )
      .filter((ref) => !touch.links.some((link) => link.type === 'secret' && link.id === ref))
      .map((ref): IncidentLink => ({ type: 'secret', id: ref }));
    entries.push({
      body: {
        kind: 'incident.entry-added',
        data: {
          incidentId: incident.id,
          id: newEntryId(),
          at: event.at,
          kind: touch.kind,
          text: touch.text,
          links: [...touch.links, ...secretLinks],
          auto: true,
        },
      },
      details: { ref: null, summary: `Incident "${incident.title}": ${touch.text}` },
    });
  }
  return entries;
}
