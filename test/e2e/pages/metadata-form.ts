import type { Locator } from 'playwright-core';

/** What a test may set in the metadata fields shared by "Add secret" and "Edit details". */
export interface MetadataInput {
  service?: string;
  description?: string;
  impact?: string;
  difficulty?: 'low' | 'medium' | 'high';
  handling?: string;
  /** A number of days ("every N days", given as text to try invalid input), or a kind. */
  policy?: 'none' | 'manual' | number | string;
  generator?: string;
  tags?: string[];
  compromised?: boolean;
}

/** Fills the metadata fields inside `scope` (a dialog or the edit form); leaves others as they are. */
export async function fillMetadata(scope: Locator, input: MetadataInput): Promise<void> {
  const field = (name: string) => scope.getByTestId(`field-${name}`);
  if (input.service !== undefined) await field('service').fill(input.service);
  if (input.description !== undefined) await field('description').fill(input.description);
  if (input.impact !== undefined) await field('impact').fill(input.impact);
  if (input.difficulty !== undefined) await field('difficulty').selectOption(input.difficulty);
  if (input.handling !== undefined) await field('handling').fill(input.handling);
  if (input.policy === 'none' || input.policy === 'manual') {
    await field('policy').selectOption(input.policy);
  } else if (input.policy !== undefined) {
    await field('policy').selectOption('interval');
    await field('policy-days').fill(String(input.policy));
  }
  if (input.generator !== undefined) await field('generator').fill(input.generator);
  if (input.tags !== undefined) await field('tags').fill(input.tags.join(', '));
  if (input.compromised !== undefined) await field('compromised').setChecked(input.compromised);
}

/** The errors shown in place next to the fields of `scope`. */
export async function fieldErrors(scope: Locator): Promise<string[]> {
  return scope.locator('.field-error').allTextContents();
}
