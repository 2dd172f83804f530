import { RekeyError } from '../../shared/errors';
import type { ConfigFormat } from './format';

/**
 * A bare secret file (`/run/secrets/...`, the target of a `*_file` setting): the whole file
 * is the value. Programs differ on a final newline: some trim it, others (and Docker
 * secrets, which are mounted verbatim) take it as part of the secret. So the one line
 * ending at the very end is not part of the value, and `set` keeps the file's habit: a file
 * that ended with `\n` (or `\r\n`) still does, one that did not still does not, and a new
 * (empty) file gets none, so that a program reading it verbatim reads exactly the value.
 * A value that itself ends with a line break could not be read back, so it is refused.
 */

const FINAL_LINE_ENDING = /\r?\n$/;

export const secretFileFormat: ConfigFormat = {
  name: 'file',

  get(text, key) {
    checkKey(key);
    return text.replace(FINAL_LINE_ENDING, '');
  },

  set(text, key, value) {
    checkKey(key);
    if (/[\r\n]$/.test(value)) {
      throw new RekeyError(
        'INVALID_INPUT',
        'a value written to a secret file cannot end with a line break: the file keeps its own ' +
          'final newline (or lack of one), so the break would not be read back',
      );
    }
    return value + (FINAL_LINE_ENDING.exec(text)?.[0] ?? '');
  },

  entries(text) {
    const value = text.replace(FINAL_LINE_ENDING, '');
    return value === '' ? [] : [{ key: '', value, line: 1 }];
  },
};

function checkKey(key: string): void {
  if (key !== '') {
    throw new RekeyError(
      'INVALID_INPUT',
      `a secret file holds a single value, so its key must be empty, not ${JSON.stringify(key)}`,
    );
  }
}
