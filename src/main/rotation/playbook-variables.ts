import { RekeyError } from '../../shared/errors';
import type { Playbook } from './playbook-schema';

/**
 * A deployment's values for a playbook's variables: what it gives, else the defaults. Names
 * the playbook does not declare, and (unless allowMissing) declared variables left without a
 * value, are refused with all their names at once.
 */
export function resolveVariables(
  playbook: Playbook,
  given: Readonly<Record<string, string>>,
  options: { allowMissing?: boolean } = {},
): ReadonlyMap<string, string> {
  const declared = Object.keys(playbook.variables);
  const unknown = Object.keys(given).filter((name) => !Object.hasOwn(playbook.variables, name));
  if (unknown.length > 0) {
    throw new RekeyError(
      'INVALID_INPUT',
      `Playbook ${playbook.id} has no variable ${unknown.join(', ')}; its variables are ${declared.join(', ')}`,
    );
  }
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const [name, variable] of Object.entries(playbook.variables)) {
    const value = Object.hasOwn(given, name) ? given[name] : variable.default;
    if (value === undefined) missing.push(name);
    else values.set(name, value);
  }
  // A deployment names only what its secrets' steps use; a step that needs a missing one says so.
  if (missing.length > 0 && !options.allowMissing) {
    throw new RekeyError(
      'INVALID_INPUT',
      `Playbook ${playbook.id} needs a value for ${missing.join(', ')} (no default)`,
    );
  }
  return values;
}
