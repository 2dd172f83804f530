import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { RekeyError } from '../../shared/errors';
import type { Candidate, ReadResult, SourceProblem } from './candidate';
import { type KeepassEntry, entryCandidate } from './keepass-entry';

/**
 * KeePass XML as `keepassxc-cli export --format xml` writes it (KeePass 2 XML, values in
 * clear): Root > Group (the database's root group) > Groups and Entries. An entry's history
 * and the recycle bin are left out: they hold old and deleted values, not the inventory.
 */

interface XmlString {
  Key?: unknown;
  Value?: unknown;
}
interface XmlEntry {
  String?: XmlString[];
}
interface XmlGroup {
  UUID?: unknown;
  Name?: unknown;
  Group?: XmlGroup[];
  Entry?: XmlEntry[];
}

const ARRAYS = new Set(['Group', 'Entry', 'String']);

export function readKeepassXml(text: string, file: string): ReadResult {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new RekeyError(
      'FORMAT_ERROR',
      `${file} is not valid XML: ${valid.err.msg} (line ${valid.err.line})`,
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: false,
    isArray: (name) => ARRAYS.has(name),
  });
  const document = parser.parse(text) as {
    KeePassFile?: { Meta?: { RecycleBinUUID?: unknown }; Root?: { Group?: XmlGroup[] } };
  };
  const root = document.KeePassFile?.Root?.Group?.[0];
  if (!root) throw new RekeyError('FORMAT_ERROR', `${file} is not a KeePass XML export`);
  const recycleBin = textOf(document.KeePassFile?.Meta?.RecycleBinUUID).trim();
  const entries: KeepassEntry[] = [];
  collect(root, [], file, recycleBin, entries);
  const candidates: Candidate[] = [];
  const problems: SourceProblem[] = [];
  for (const entry of entries) {
    const result = entryCandidate(entry);
    if ('candidate' in result) candidates.push(result.candidate);
    else problems.push(result.problem);
  }
  return { candidates, problems };
}

function collect(
  group: XmlGroup,
  path: string[],
  file: string,
  recycleBin: string,
  into: KeepassEntry[],
): void {
  for (const entry of group.Entry ?? []) {
    const fields = new Map<string, string>();
    for (const field of entry.String ?? []) fields.set(textOf(field.Key), textOf(field.Value));
    const title = fields.get('Title') ?? '';
    into.push({
      groups: path,
      title,
      password: fields.get('Password') ?? '',
      userName: fields.get('UserName') ?? '',
      url: fields.get('URL') ?? '',
      notes: fields.get('Notes') ?? '',
      source: `${file}: ${[...path, title].join(' / ')}`,
    });
  }
  for (const child of group.Group ?? []) {
    if (recycleBin !== '' && textOf(child.UUID).trim() === recycleBin) continue;
    collect(child, [...path, textOf(child.Name)], file, recycleBin, into);
  }
}

/** A text node as the parser gives it: a string, or an object with `#text` when it has attributes. */
function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (node && typeof node === 'object' && '#text' in node)
    return textOf((node as { '#text': unknown })['#text']);
  return '';
}
