import type { PlaybookProblem } from '../../shared/api';
import { RekeyError } from '../../shared/errors';

/**
 * A playbook that cannot be used, with every problem found: the file, the line, the field and
 * what is wrong, one per line like a compiler's messages. A message never quotes a value from
 * the file: a playbook is not meant to hold secrets, but a mistaken one might.
 */

export type FieldPath = (string | number)[];

/** `secrets[0].steps[2].argv[1]`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

export function playbookProblem(
  fileName: string,
  line: number,
  path: readonly (string | number)[],
  message: string,
): PlaybookProblem {
  const field = formatFieldPath(path);
  return {
    line,
    path: field,
    message,
    text: `${fileName}:${line}: ${field ? `${field}: ` : ''}${message}`,
  };
}

export class PlaybookInvalid extends RekeyError {
  constructor(readonly problems: readonly PlaybookProblem[]) {
    super('INVALID_INPUT', problems.map((problem) => problem.text).join('\n'));
    this.name = 'PlaybookInvalid';
  }
}
