import type { EntryView, IncidentDetail, IncidentSummary } from '../../shared/incident-api';
import type { SecretValue } from '../vault/secret-value';
import type { IncidentEntryRecord, IncidentRecord } from '../vault/incident-state';
import { type SecretRecord, type VaultState, refOf } from '../vault/state';

/**
 * Incidents as the contract shows them: versions by fingerprint, secrets by ref, the timeline
 * in the order things happened. What is "still exposed" is worked out here from the labels: an
 * exposed version that is still `current` is a value in use that others know.
 */

export type Fingerprint = (value: SecretValue) => string;

/** Whether an incident marked a version of this secret exposed that is still current. */
export function exposedNow(state: Readonly<VaultState>, secret: SecretRecord): boolean {
  for (const incident of state.incidents.values()) {
    for (const exposure of incident.exposures) {
      if (exposure.secretId === secret.id && isStillExposed(secret, exposure.versionIds))
        return true;
    }
  }
  return false;
}

function isStillExposed(secret: SecretRecord | undefined, versionIds: readonly string[]): boolean {
  return (
    secret?.versions.some(
      (version) => versionIds.includes(version.id) && version.labels.includes('current'),
    ) ?? false
  );
}

function exposedVersionIds(incident: IncidentRecord, secretId: string): string[] {
  return [
    ...new Set(
      incident.exposures
        .filter((exposure) => exposure.secretId === secretId)
        .flatMap((exposure) => exposure.versionIds),
    ),
  ];
}

/** Oldest first by when it happened; a stable sort keeps the recorded order of equal times. */
export function timelineOf(incident: IncidentRecord): IncidentEntryRecord[] {
  return incident.entries
    .filter((entry) => !entry.removed)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function entryView(entry: IncidentEntryRecord): EntryView {
  return {
    id: entry.id,
    at: entry.at,
    recordedAt: entry.recordedAt,
    kind: entry.kind,
    text: entry.text,
    links: entry.links.map((link) => ({ ...link })),
    auto: entry.auto,
    revisions: entry.revisions.map((revision) => ({ ...revision })),
  };
}

function affectedSecrets(
  state: Readonly<VaultState>,
  incident: IncidentRecord,
  fingerprint: Fingerprint,
): IncidentDetail['affectedSecrets'] {
  return incident.secretIds.flatMap((id) => {
    const secret = state.secrets.get(id);
    if (!secret) return [];
    const exposed = exposedVersionIds(incident, id);
    return [
      {
        ref: refOf(secret),
        impact: secret.metadata.impact,
        exposedVersions: secret.versions
          .filter((version) => exposed.includes(version.id))
          .map((version) => fingerprint(version.value)),
        stillExposed: isStillExposed(secret, exposed),
        targets: secret.metadata.targets.map(
          (target) => `${target.host}:${target.path}${target.key ? `#${target.key}` : ''}`,
        ),
      },
    ];
  });
}

export function incidentSummary(
  state: Readonly<VaultState>,
  incident: IncidentRecord,
): IncidentSummary {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    openedAt: incident.openedAt,
    updatedAt: incident.updatedAt,
    entries: incident.entries.filter((entry) => !entry.removed).length,
    secrets: incident.secretIds.length,
    stillExposed: incident.secretIds.filter((id) =>
      isStillExposed(state.secrets.get(id), exposedVersionIds(incident, id)),
    ).length,
  };
}

export function incidentDetail(
  state: Readonly<VaultState>,
  incident: IncidentRecord,
  fingerprint: Fingerprint,
): IncidentDetail {
  return {
    ...incidentSummary(state, incident),
    summary: incident.summary,
    ownerNote: incident.ownerNote,
    statusHistory: incident.statusHistory.map((item) => ({ ...item })),
    deployments: [...incident.deployments],
    hosts: [...incident.hosts],
    affectedSecrets: affectedSecrets(state, incident, fingerprint),
    followUps: incident.followUps.map((followUp) => ({ ...followUp })),
    timeline: timelineOf(incident).map(entryView),
  };
}
