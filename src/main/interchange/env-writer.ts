import { writeValue } from '../formats/dotenv-edit';
import type { ExportEntry } from './export-entry';

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * A deployment's secrets as a `.env` file docker compose reads back to the same values (the
 * quoting is the dotenv editor's). A name that is not a valid key (`db/password`) is written
 * with `_` for the other characters, and reported, so nothing is dropped without a word.
 */
export function envFile(entries: readonly ExportEntry[]): { text: string; renamed: string[] } {
  const renamed: string[] = [];
  const lines = entries.map((entry) => {
    let key = entry.name;
    if (!ENV_KEY.test(key)) {
      key = key.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^(?=[^A-Za-z_])/, '_');
      renamed.push(`${entry.name} -> ${key}`);
    }
    return `${key}=${writeValue(entry.value)}`;
  });
  return { text: lines.length ? `${lines.join('\n')}\n` : '', renamed };
}
