import { parse } from 'csv-parse/sync';
import { RekeyError } from '../../shared/errors';
import type { Candidate, ReadResult, SourceProblem } from './candidate';
import { entryCandidate } from './keepass-entry';

/**
 * KeePassXC's CSV export (`keepassxc-cli export --format csv`): a header row ("Group",
 * "Title", "Username", "Password", "URL", "Notes", ...) and one row per entry, the group as a
 * `/`-separated path that starts with the root group's name.
 */
export function readKeepassCsv(text: string, file: string): ReadResult {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RekeyError('FORMAT_ERROR', `${file} is not valid CSV: ${reason}`);
  }
  if (rows.length > 0 && !('Title' in (rows[0] ?? {}) && 'Password' in (rows[0] ?? {}))) {
    throw new RekeyError(
      'FORMAT_ERROR',
      `${file} has no Title and Password columns: not a KeePassXC CSV export`,
    );
  }
  const candidates: Candidate[] = [];
  const problems: SourceProblem[] = [];
  rows.forEach((row, index) => {
    // The first segment is the root group ("Passwords", "Root", or the database's name).
    const groups = (row['Group'] ?? '')
      .split('/')
      .slice(1)
      .filter((g) => g !== '');
    // The CSV has no group ids: the recycle bin is known by KeePassXC's (English) name only.
    if (groups[0] === 'Recycle Bin') {
      problems.push({ source: `${file} row ${index + 1}`, reason: 'in the recycle bin' });
      return;
    }
    const title = row['Title'] ?? '';
    const result = entryCandidate({
      groups,
      title,
      password: row['Password'] ?? '',
      userName: row['Username'] ?? '',
      url: row['URL'] ?? '',
      notes: row['Notes'] ?? '',
      source: `${file} row ${index + 1}: ${[...groups, title].join(' / ')}`,
    });
    if ('candidate' in result) candidates.push(result.candidate);
    else problems.push(result.problem);
  });
  return { candidates, problems };
}
