import { posix } from 'node:path';
import type { Finding } from '../../shared/health-api';
import type { Target } from '../../shared/model';
import { type SecretRecord, currentVersion, refOf } from '../vault/state';
import { rotateAction, secretFinding } from './finding';

/**
 * Reuse: one value in several secrets (found by keyed fingerprint, so no value is ever held
 * in a map or a finding), or one secret written to unrelated places (another host, or a
 * directory that is neither the other's nor inside it): one database password copied into
 * several stacks' `.env` files, where a leak of one stack opens the others.
 */

export function reuseFindings(
  secrets: readonly SecretRecord[],
  fingerprintOf: (secret: SecretRecord) => string | null,
): Finding[] {
  const byFingerprint = new Map<string, string[]>();
  for (const secret of secrets) {
    const fingerprint = fingerprintOf(secret);
    if (fingerprint === null) continue;
    const refs = byFingerprint.get(fingerprint) ?? [];
    refs.push(refOf(secret));
    byFingerprint.set(fingerprint, refs);
  }
  const findings: Finding[] = [];
  for (const refs of byFingerprint.values()) {
    if (refs.length < 2) continue;
    for (const ref of refs) {
      const others = refs.filter((other) => other !== ref).sort();
      findings.push(
        secretFinding(
          'reused',
          'high',
          ref,
          {
            title: `Same value as ${others.join(', ')}`,
            why: 'A leak of one of these secrets exposes the others, and rotating one leaves the others behind.',
            fix: 'Rotate each to its own generated value.',
          },
          { fixAction: rotateAction(ref) },
        ),
      );
    }
  }
  for (const secret of secrets) {
    if (!currentVersion(secret)) continue;
    const groups = unrelatedGroups(secret.metadata.targets);
    if (groups.length < 2) continue;
    const ref = refOf(secret);
    findings.push(
      secretFinding(
        'reused-targets',
        'medium',
        ref,
        {
          title: `Written to ${groups.length} unrelated places: ${groups.join(', ')}`,
          why: 'The same value serves unrelated stacks or hosts: a leak from one of them opens the others.',
          fix: 'Give each place its own secret (and value), then rotate this one.',
        },
        { fixAction: rotateAction(ref) },
      ),
    );
  }
  return findings;
}

/**
 * Targets grouped by host and directory, where a directory inside another (a stack's
 * `.env` and its `livekit/livekit.yaml`) belongs to the same group: one stack.
 */
export function unrelatedGroups(targets: readonly Target[]): string[] {
  const roots: { host: string; dir: string }[] = [];
  const places = targets
    .map((target) => ({
      host: target.host,
      dir: target.format === 'kubernetes' ? target.path : posix.dirname(target.path),
    }))
    .sort((a, b) => a.dir.length - b.dir.length);
  for (const place of places) {
    const related = roots.some(
      (root) =>
        root.host === place.host &&
        (root.dir === place.dir || place.dir.startsWith(`${root.dir}/`)),
    );
    if (!related) roots.push(place);
  }
  return roots.map((root) => `${root.host}:${root.dir}`);
}
