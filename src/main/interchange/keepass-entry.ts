import { type Candidate, type SourceProblem, safeDeployment, safeName } from './candidate';

/** One KeePass entry as both KeePassXC exports (XML and CSV) give it. */
export interface KeepassEntry {
  /** Group names below the root group, outermost first. */
  groups: string[];
  title: string;
  password: string;
  userName: string;
  url: string;
  notes: string;
  source: string;
}

/**
 * An entry as a candidate: the first group below the root is the suggested deployment, deeper
 * groups prefix the name (`prod` / `db` / `password` -> `prod`, `db/password`), so what Rekey
 * exported comes back under the same references. User name and URL go into the notes.
 */
export function entryCandidate(
  entry: KeepassEntry,
): { candidate: Candidate } | { problem: SourceProblem } {
  const [top, ...deeper] = entry.groups;
  const deployment = safeDeployment(top);
  const path = deployment ? deeper : entry.groups;
  const name = safeName([...path, entry.title].join('/'));
  if (entry.password === '') return { problem: { source: entry.source, reason: 'no password' } };
  if (!name) return { problem: { source: entry.source, reason: 'its title is not a valid name' } };
  const notes = [
    entry.notes,
    entry.userName ? `user: ${entry.userName}` : '',
    entry.url ? `url: ${entry.url}` : '',
  ]
    .filter((line) => line !== '')
    .join('\n');
  return {
    candidate: {
      name,
      value: entry.password,
      deployment,
      service: '',
      notes,
      source: entry.source,
    },
  };
}
