import { describe, expect, it } from 'vitest';
import { secretFindings } from '../../src/main/health/secret-findings';
import { unrelatedGroups } from '../../src/main/health/reuse';
import { NOW, addSecret, fingerprint, newState } from '../helpers/health-state';

/** Reuse: one value in several secrets, or one secret written to unrelated places. */

const thresholds = { dueDays: 14, backupDays: 7, neverRotatedDays: 365 };
const VALUE = 'n3Kq9ZpL2vXc8RtY5bMw7HdJ4gFs6AeU';

describe('reused values', () => {
  it('flags every secret sharing a value, naming the others, compared by fingerprint', () => {
    const state = newState();
    addSecret(state, 'matrix/db.password', { value: VALUE });
    addSecret(state, 'shop/db.password', { value: VALUE });
    addSecret(state, 'shop/other', { value: `${VALUE}x` });
    const findings = secretFindings(state, fingerprint, NOW, thresholds).filter(
      (finding) => finding.kind === 'reused',
    );
    expect(findings.map((finding) => [finding.subject, finding.title])).toEqual([
      [{ type: 'secret', ref: 'matrix/db.password' }, 'Same value as shop/db.password'],
      [{ type: 'secret', ref: 'shop/db.password' }, 'Same value as matrix/db.password'],
    ]);
    expect(JSON.stringify(findings)).not.toContain(VALUE);
  });

  it('compares only current values: a previous value equal to another secret is not reuse', () => {
    const state = newState();
    const first = addSecret(state, 'a/one', { value: VALUE, versions: 2 });
    addSecret(state, 'a/two', { value: first.versions[0]?.value.reveal() ?? '' });
    expect(secretFindings(state, fingerprint, NOW, thresholds)).toEqual([]);
  });

  it('flags one secret written into unrelated stacks, not into one stack twice', () => {
    const target = (host: string, path: string) => ({ host, path, format: 'dotenv', key: 'K' });
    expect(
      unrelatedGroups([
        target('vps', '/srv/matrix/.env'),
        target('vps', '/srv/matrix/livekit/livekit.yaml'),
      ]),
    ).toEqual(['vps:/srv/matrix']);
    expect(
      unrelatedGroups([target('vps', '/srv/shop/.env'), target('vps', '/srv/blog/.env')]),
    ).toEqual(['vps:/srv/shop', 'vps:/srv/blog']);
    expect(
      unrelatedGroups([target('a', '/srv/app/.env'), target('b', '/srv/app/.env')]),
    ).toHaveLength(2);

    const state = newState();
    addSecret(state, 'x/db', {
      value: VALUE,
      metadata: { targets: [target('vps', '/srv/shop/.env'), target('vps', '/srv/blog/.env')] },
    });
    const [finding] = secretFindings(state, fingerprint, NOW, thresholds);
    expect(finding).toMatchObject({ kind: 'reused-targets', severity: 'medium' });
    expect(finding?.title).toContain('vps:/srv/blog');
  });
});
