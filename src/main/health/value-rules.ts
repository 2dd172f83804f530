import type { Finding } from '../../shared/health-api';
import { findProblems } from '../vault/strength';
import { type SecretRecord, currentVersion, refOf } from '../vault/state';
import { rotateAction, secretFinding } from './finding';
import { knownDefaultOf } from './known-defaults';

/**
 * Findings about a secret's current value itself: flagged or exposed, an upstream default, a
 * placeholder left from a sample config, too little entropy. The value is read here, in the
 * main process, and only the finding leaves: never the value, not even a part of it.
 */

export function valueFindings(secret: SecretRecord, compromised: boolean): Finding[] {
  const ref = refOf(secret);
  const rotate = { fixAction: rotateAction(ref) };
  const findings: Finding[] = [];
  if (compromised) {
    findings.push(
      secretFinding(
        'compromised',
        'critical',
        ref,
        {
          title: 'Compromised: the current value is known to others',
          why: 'Anyone who saw it can use it until it is replaced; flagged by hand or exposed in an incident.',
          fix: 'Rotate it now (guarded secrets: follow the leak response of the incident instead).',
        },
        rotate,
      ),
    );
  }
  const current = currentVersion(secret);
  if (!current) return findings;
  const value = current.value.reveal();
  const known = knownDefaultOf(value);
  if (known) {
    findings.push(
      secretFinding(
        'default-value',
        'critical',
        ref,
        {
          title: `Upstream default value (${known.service})`,
          why: `The value is one that ${known.service} ships with or documents (${known.source}): it is among the first an attacker tries.`,
          fix: 'Rotate it to a generated value.',
        },
        rotate,
      ),
    );
    return findings;
  }
  const placeholder = findProblems(value, { names: [] }).some((problem) =>
    problem.startsWith('placeholder'),
  );
  if (placeholder) {
    findings.push(
      secretFinding(
        'placeholder',
        'high',
        ref,
        {
          title: 'Placeholder value',
          why: 'The value looks like a placeholder left from a sample config (changeme, secret, password, example...): easy to guess.',
          fix: 'Rotate it to a generated value.',
        },
        rotate,
      ),
    );
  } else if (current.strength.rating === 'weak') {
    const problems = current.strength.problems.join('; ');
    findings.push(
      secretFinding(
        'weak',
        'medium',
        ref,
        {
          title: `Weak value (about ${current.strength.bits} bits)`,
          why: `A short or patterned value can be guessed offline or online${problems ? `: ${problems}` : ''}.`,
          fix: 'Rotate it to a generated value (32 random bytes for server-side keys).',
        },
        rotate,
      ),
    );
  }
  return findings;
}
