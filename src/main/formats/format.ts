import { RekeyError } from '../../shared/errors';
import { FORMAT_NAMES } from '../../shared/model';
import { dotenvFormat } from './dotenv-edit';
import { jsonFormat } from './json';
import { secretFileFormat } from './secret-file';
import { tomlFormat } from './toml';
import { yamlFormat } from './yaml';

/**
 * One config file format: read one value, change one value, list the candidates. `set`
 * changes exactly the bytes of that one value (comments, order, quoting elsewhere, line
 * endings and the final newline stay as they were) and writes the new value so that the
 * program consuming the file reads exactly it. Errors are RekeyErrors whose messages never
 * contain a value: FORMAT_ERROR (with line and column) when the file cannot be parsed,
 * NOT_FOUND when the mapping a new key belongs in does not exist, INVALID_INPUT when the key
 * does not fit the file's shape.
 *
 * Keys: for yaml, json and toml a key path (see key-path.ts), e.g. `jwt.secret` or
 * `keys.APIxxxxxxxx`; for dotenv the variable name; for file the empty string.
 */

export { FORMAT_NAMES };
export type FormatName = (typeof FORMAT_NAMES)[number];

export interface FormatEntry {
  key: string;
  value: string;
  /** 1-based line where the value starts. */
  line: number;
}

export interface ConfigFormat {
  readonly name: FormatName;
  /** The value at `key`, or undefined when the key is absent (or, in yaml/json, null). */
  get(text: string, key: string): string | undefined;
  /**
   * `text` with only the value at `key` changed. A missing key is added to its mapping
   * (dotenv: appended as a new line); a missing mapping on the way is a NOT_FOUND error.
   */
  set(text: string, key: string, value: string): string;
  /**
   * Every scalar leaf that could be a secret, with its key, in file order (for discovery):
   * non-empty strings and numbers (as written); not booleans, nulls, dates, or YAML aliases
   * (their anchor is listed once, where it is defined).
   */
  entries(text: string): FormatEntry[];
}

const FORMATS: Readonly<Record<FormatName, ConfigFormat>> = {
  dotenv: dotenvFormat,
  yaml: yamlFormat,
  json: jsonFormat,
  toml: tomlFormat,
  file: secretFileFormat,
};

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

export function formatByName(name: string): ConfigFormat {
  if (!isFormatName(name)) {
    throw new RekeyError(
      'INVALID_INPUT',
      `unknown file format ${JSON.stringify(name)}; expected one of ${FORMAT_NAMES.join(', ')}`,
    );
  }
  return FORMATS[name];
}

/**
 * The format a file's name suggests. Anything unrecognised is a bare secret file, which is
 * what `/run/secrets/...` and the targets of `*_file` settings are.
 */
export function formatForPath(path: string): FormatName {
  const name = (path.split(/[\\/]/).pop() ?? '').toLowerCase();
  if (name === '.env' || name.endsWith('.env') || name.startsWith('.env.')) return 'dotenv';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.toml')) return 'toml';
  return 'file';
}
