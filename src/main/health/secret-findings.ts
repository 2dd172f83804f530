import type { Finding, HealthThresholds } from '../../shared/health-api';
import { exposedNow } from '../incidents/view';
import type { SecretValue } from '../vault/secret-value';
import { type VaultState, currentVersion } from '../vault/state';
import { isGuarded } from './guarded';
import { reuseFindings } from './reuse';
import { backupFinding, scheduleFindings } from './schedule-rules';
import { valueFindings } from './value-rules';

/** Every finding about the vault's secrets, from the vault state alone (no host is touched). */
export function secretFindings(
  state: Readonly<VaultState>,
  fingerprint: (value: SecretValue) => string,
  now: Date,
  thresholds: HealthThresholds,
): Finding[] {
  const secrets = [...state.secrets.values()];
  const findings: Finding[] = [];
  for (const secret of secrets) {
    const compromised = secret.metadata.compromised || exposedNow(state, secret);
    findings.push(...valueFindings(secret, compromised));
    findings.push(...scheduleFindings(secret, now, thresholds));
    if (isGuarded(state, secret)) {
      const finding = backupFinding(secret, state.backups, now, thresholds.backupDays);
      if (finding) findings.push(finding);
    }
  }
  findings.push(
    ...reuseFindings(secrets, (secret) => {
      const current = currentVersion(secret);
      return current ? fingerprint(current.value) : null;
    }),
  );
  return findings;
}
