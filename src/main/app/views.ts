import { exposedNow } from '../incidents/view';
import type { RotationStatus, SecretDetail, SecretSummary, VersionInfo } from '../../shared/model';
import { activeSnooze } from '../vault/health-events';
import { type SecretRecord, currentVersion, refOf } from '../vault/state';
import type { Vault } from '../vault/vault';

/**
 * Turns records of the vault into what the front doors show. Nothing built here holds a
 * value: versions appear by keyed fingerprint only.
 */

/** A secret whose rotation deadline is this close counts as due. */
export const DUE_SOON_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

export function ageInDays(since: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / DAY_MS));
}

export function rotationStatus(secret: SecretRecord, now: Date): RotationStatus {
  const { policy } = secret.metadata;
  if (policy.kind === 'none') return 'no-policy';
  if (policy.kind === 'manual') return 'manual';
  const current = currentVersion(secret);
  if (!current) return 'overdue';
  const age = ageInDays(current.createdAt, now);
  if (age >= policy.days) return 'overdue';
  if (age >= policy.days - DUE_SOON_DAYS) return 'due';
  return 'ok';
}

export function summarize(vault: Vault, secret: SecretRecord, now: Date): SecretSummary {
  const current = currentVersion(secret);
  const { metadata } = secret;
  return {
    id: secret.id,
    ref: refOf(secret),
    deployment: secret.deployment,
    name: secret.name,
    service: metadata.service,
    impact: metadata.impact,
    difficulty: metadata.difficulty,
    policy: metadata.policy,
    rotation: rotationStatus(secret, now),
    ageDays: current ? ageInDays(current.createdAt, now) : null,
    strength: current?.strength.rating ?? null,
    weak: current?.strength.rating === 'weak',
    // Flagged by hand, or an exposed version is still the current value.
    compromised: metadata.compromised || exposedNow(vault.state, secret),
    tags: metadata.tags,
    currentFingerprint: current ? vault.fingerprint(current.value) : null,
    updatedAt: secret.updatedAt,
    // Only while snoozed: a summary without reminders snoozed looks as it always did.
    ...snoozeOf(secret, now),
  };
}

export function detail(vault: Vault, secret: SecretRecord, now: Date): SecretDetail {
  const versions: VersionInfo[] = secret.versions
    .map((version) => ({
      id: version.id,
      createdAt: version.createdAt,
      fingerprint: vault.fingerprint(version.value),
      labels: version.labels,
      origin: version.origin,
      generator: version.generator,
      strength: version.strength,
      publicKey: version.publicKey,
    }))
    .reverse();
  return {
    ...summarize(vault, secret, now),
    metadata: secret.metadata,
    createdAt: secret.createdAt,
    versions,
  };
}

function snoozeOf(secret: SecretRecord, now: Date): Pick<SecretSummary, 'snooze'> {
  const snooze = activeSnooze(secret, now);
  return snooze ? { snooze: { until: snooze.until, reason: snooze.reason } } : {};
}
