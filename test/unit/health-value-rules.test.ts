import { describe, expect, it } from 'vitest';
import { secretFindings } from '../../src/main/health/secret-findings';
import { KNOWN_DEFAULTS } from '../../src/main/health/known-defaults';
import { NOW, WEAK, addSecret, fingerprint, newState } from '../helpers/health-state';

/** Findings about a secret's current value: compromised, upstream default, placeholder, weak. */

const thresholds = { dueDays: 14, backupDays: 7, neverRotatedDays: 365 };
const STRONG_VALUE = 'q8Jr2xVb7LmN4pTz9WcYd3Fh6KsAe1Ug';

function findingsFor(value: string, spec: Parameters<typeof addSecret>[2] = {}) {
  const state = newState();
  addSecret(state, 'app/key', { value, ...spec });
  return secretFindings(state, fingerprint, NOW, thresholds);
}

describe('value findings', () => {
  it('finds nothing wrong with a strong, unflagged value', () => {
    expect(findingsFor(STRONG_VALUE)).toEqual([]);
  });

  it.each(KNOWN_DEFAULTS.map((known) => [known.service, known.value] as const))(
    'flags the %s default %j as critical, with a rotate action',
    (service, value) => {
      const [finding, ...others] = findingsFor(value);
      expect(others).toEqual([]);
      expect(finding).toMatchObject({
        id: 'default-value:app/key',
        kind: 'default-value',
        severity: 'critical',
        subject: { type: 'secret', ref: 'app/key' },
        fixAction: { kind: 'rotate', ref: 'app/key' },
      });
      expect(finding?.title).toContain(service);
    },
  );

  it.each([
    'replaceme',
    'my-secret-changeme-2024',
    'password',
    'CHANGE_ME_please',
    '${DB_PASSWORD}',
  ])('flags the placeholder %j', (value) => {
    const kinds = findingsFor(value).map((finding) => finding.kind);
    expect(kinds).toContain('placeholder');
    expect(kinds).not.toContain('weak');
  });

  it('flags a weak value by its stored strength estimate, naming its problems', () => {
    const [finding] = findingsFor('Tr0ub4dor&3', { strength: WEAK });
    expect(finding).toMatchObject({ kind: 'weak', severity: 'medium' });
    expect(finding?.why).toContain('too short');
  });

  it('flags a secret marked compromised as critical', () => {
    const findings = findingsFor(STRONG_VALUE, { metadata: { compromised: true } });
    expect(findings.map((finding) => [finding.kind, finding.severity])).toEqual([
      ['compromised', 'critical'],
    ]);
  });

  it('never puts the value into a finding', () => {
    const value = 'changeme-0123456789-abcdef';
    const text = JSON.stringify(findingsFor(value));
    expect(text).not.toContain(value);
    expect(text).not.toContain('0123456789');
  });
});
