import type { ResponseStep } from '../../shared/incident-api';
import { findPlaybook } from '../rotation/planner';
import type { PlaybookSecret } from '../rotation/playbook-schema';
import type { IncidentRecord } from '../vault/incident-state';
import { type SecretRecord, type VaultState, currentVersion, refOf } from '../vault/state';

/**
 * The leak response proposed for an exposed secret, after the reference guides our users
 * follow: assess the scope, rotate now (unless the secret is guarded: then what its playbook
 * says instead, e.g. SyncTV's OPAQUE setup secret calls for a forced password reset and a new
 * JWT secret), the playbook's own steps for a leak, and keep the audit records. Each step's
 * outcome comes from the incident's records.
 */

function playbookEntry(state: Readonly<VaultState>, secret: SecretRecord): PlaybookSecret | null {
  const binding = state.deployments.get(secret.deployment)?.playbook;
  if (!binding) return null;
  try {
    return (
      findPlaybook(state, binding.id).secrets.find((entry) => entry.name === secret.name) ?? null
    );
  } catch {
    return null;
  }
}

function outcomeOf(incident: IncidentRecord, secretId: string, step: string) {
  return (
    incident.responses.findLast(
      (response) => response.secretId === secretId && response.step === step,
    )?.outcome ?? null
  );
}

export function leakResponse(
  state: Readonly<VaultState>,
  incident: IncidentRecord,
  secret: SecretRecord,
  fingerprint: (version: NonNullable<ReturnType<typeof currentVersion>>) => string,
): ResponseStep[] {
  const ref = refOf(secret);
  const entry = playbookEntry(state, secret);
  const current = currentVersion(secret);
  const exposed = incident.exposures
    .filter((exposure) => exposure.secretId === secret.id)
    .flatMap((exposure) => exposure.versionIds);
  const exposedVersions = secret.versions.filter((version) => exposed.includes(version.id));
  const targets = secret.metadata.targets.map(
    (target) => `${target.path}${target.key ? ` (${target.key})` : ''} on ${target.host}`,
  );
  const steps: Omit<ResponseStep, 'outcome'>[] = [
    {
      id: 'assess',
      title: 'Assess the scope',
      detail: [
        targets.length > 0
          ? `The value lives in ${targets.join('; ')}.`
          : 'No targets are recorded: find every place the value was put.',
        exposedVersions.length > 0
          ? `Exposed: ${exposedVersions.map((version) => `${fingerprint(version)} (made ${version.createdAt})`).join(', ')}.`
          : '',
        current ? `Current since ${current.createdAt}.` : '',
        'Check who could read those places, and what the value opens, since then.',
      ]
        .filter(Boolean)
        .join(' '),
      action: 'assess',
      refs: [],
    },
  ];
  if (!entry?.guarded) {
    steps.push({
      id: 'rotate',
      title: `Rotate ${ref} now`,
      detail:
        secret.metadata.handling ||
        'A new value everywhere it lives; the exposed one stops working.',
      action: 'rotate',
      refs: [ref],
    });
  } else if (entry.on_exposure.length === 0) {
    steps.push({
      id: 'guarded',
      title: `${ref} is guarded: plan its replacement`,
      detail: entry.guard_reason ?? secret.metadata.handling,
      action: 'manual',
      refs: [],
    });
  }
  for (const step of entry?.on_exposure ?? []) {
    const refs = step.rotate
      .map((name) => `${secret.deployment}/${name}`)
      .filter((other) => state.refs.has(other));
    steps.push({
      id: step.id,
      title: step.title,
      detail: step.detail,
      action: refs.length > 0 ? 'rotate-other' : 'manual',
      refs,
    });
  }
  steps.push({
    id: 'audit',
    title: 'Keep the audit records',
    detail:
      'This timeline is the record: note what was checked and decided, then export the report for the post-incident review.',
    action: 'audit',
    refs: [],
  });
  return steps.map((step) => ({ ...step, outcome: outcomeOf(incident, secret.id, step.id) }));
}
