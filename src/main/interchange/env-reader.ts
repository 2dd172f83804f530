import { SECRET_NAME } from '../../shared/model';
import { looksSecret } from '../discovery/secret-keys';
import { parseDotenv } from '../formats/dotenv';
import type { ReadResult } from './candidate';

export interface SelectedEntry {
  key: string;
  value: string;
  line: number;
}

/**
 * The `.env` import rules, shared by `rekey import env` and the interchange preview: docker
 * compose's parser, the last definition of a key wins (the earlier ones are reported), empty
 * values are skipped, and unless `all` is set only keys that look like secrets are taken.
 */
export function selectEnvEntries(
  text: string,
  all: boolean,
): { entries: SelectedEntry[]; skipped: { key: string; reason: string }[] } {
  const { entries, problems } = parseDotenv(text);
  const skipped = problems.map((p) => ({ key: `line ${p.line}`, reason: p.message }));
  const selected: SelectedEntry[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const skip = (reason: string) => skipped.push({ key: entry.key, reason });
    if (seen.has(entry.key)) {
      skip(`defined again on line ${entry.line}; the last definition wins`);
      const index = selected.findIndex((c) => c.key === entry.key);
      if (index >= 0) selected.splice(index, 1);
    }
    seen.add(entry.key);
    if (entry.value === '') skip('empty value');
    else if (!all && !looksSecret(entry.key, entry.value))
      skip('does not look like a secret (import all keys to include it)');
    else if (!SECRET_NAME.test(entry.key)) skip('not a valid secret name');
    else selected.push({ key: entry.key, value: entry.value, line: entry.line });
  }
  return { entries: selected, skipped };
}

/** A `.env` file as interchange candidates; `file` names it in each candidate's source. */
export function readEnv(text: string, file: string, all: boolean): ReadResult {
  const { entries, skipped } = selectEnvEntries(text, all);
  return {
    candidates: entries.map((entry) => ({
      name: entry.key,
      value: entry.value,
      deployment: null,
      service: '',
      notes: '',
      source: `${file}:${entry.line} ${entry.key}`,
    })),
    problems: skipped.map(({ key, reason }) => ({ source: `${file} ${key}`, reason })),
  };
}
