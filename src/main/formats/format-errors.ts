import { RekeyError } from '../../shared/errors';
import type { SourcePosition } from './positions';

/**
 * Errors about config files. Their messages name files' positions and key paths, never a
 * value: parser libraries quote the offending source line in their messages, and that line
 * may hold a secret, so none of their text is passed on.
 */

export function unparseable(kind: string, at: SourcePosition, reason?: string): RekeyError {
  const why = reason === undefined ? '' : `: ${reason}`;
  return new RekeyError(
    'FORMAT_ERROR',
    `not valid ${kind} at line ${at.line}, column ${at.column}${why}`,
  );
}

export function missingParent(key: string, parent: string): RekeyError {
  return new RekeyError(
    'NOT_FOUND',
    `cannot set ${key}: ${parent === '' ? 'the file has no top-level mapping' : `${parent} does not exist`}; ` +
      'Rekey adds a key only to a mapping that is already there',
  );
}

export function wrongShape(key: string, reason: string): RekeyError {
  return new RekeyError('INVALID_INPUT', `key ${key}: ${reason}`);
}

/** The edit did not come out as planned; refusing is safer than writing a surprise. */
export function editMismatch(kind: string, key: string): RekeyError {
  return new RekeyError(
    'FORMAT_ERROR',
    `setting ${key} would not leave the rest of the ${kind} file as it was; nothing was changed`,
  );
}
