import { z } from 'zod';
import { RekeyError } from '../../shared/errors';
import {
  type Candidate,
  type ReadResult,
  type SourceProblem,
  safeDeployment,
  safeName,
} from './candidate';

/**
 * Bitwarden's unencrypted JSON export. Taken: a login's password (user name and URIs go into
 * the notes), a secure note (its text is the value), and every hidden custom field
 * (`item/field`). Cards and identities are not infrastructure secrets and are reported, not
 * imported. The folder is the suggested deployment.
 */

const ITEM_TYPES: Readonly<Record<number, string>> = {
  1: 'login',
  2: 'secure note',
  3: 'card',
  4: 'identity',
  5: 'SSH key',
};
const HIDDEN_FIELD = 1;

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
const exportSchema = z.looseObject({
  encrypted: z.boolean().optional(),
  folders: z.array(z.looseObject({ id: z.string(), name: text })).nullish(),
  items: z.array(
    z.looseObject({
      type: z.number().int(),
      name: text,
      notes: text,
      folderId: z.string().nullish(),
      fields: z.array(z.looseObject({ name: text, value: text, type: z.number().int() })).nullish(),
      login: z
        .looseObject({
          username: text,
          password: text,
          uris: z.array(z.looseObject({ uri: text })).nullish(),
        })
        .nullish(),
    }),
  ),
});

export function readBitwarden(json: string, file: string): ReadResult {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new RekeyError('FORMAT_ERROR', `${file} is not JSON`);
  }
  const parsed = exportSchema.safeParse(raw);
  if (!parsed.success)
    throw new RekeyError('FORMAT_ERROR', `${file} is not a Bitwarden JSON export`);
  const data = parsed.data;
  if (data.encrypted) {
    throw new RekeyError(
      'INVALID_INPUT',
      `${file} is an encrypted Bitwarden export: export it again as unencrypted JSON`,
    );
  }
  const folders = new Map((data.folders ?? []).map((folder) => [folder.id, folder.name]));
  const candidates: Candidate[] = [];
  const problems: SourceProblem[] = [];
  for (const item of data.items) {
    const deployment = safeDeployment(item.folderId ? folders.get(item.folderId) : null);
    const source = `${file}: ${item.name}`;
    const add = (name: string, value: string, notes: string, where: string) => {
      const safe = safeName(name);
      if (value === '') problems.push({ source: where, reason: 'empty value' });
      else if (!safe)
        problems.push({ source: where, reason: 'its name is not a valid secret name' });
      else candidates.push({ name: safe, value, deployment, service: '', notes, source: where });
    };
    if (item.type === 1) {
      const login = item.login;
      const notes = [
        item.notes,
        login?.username ? `user: ${login.username}` : '',
        ...(login?.uris ?? []).map((uri) => (uri.uri ? `url: ${uri.uri}` : '')),
      ]
        .filter((line) => line !== '')
        .join('\n');
      if (login?.password) add(item.name, login.password, notes, source);
    } else if (item.type === 2) {
      add(item.name, item.notes, '', source);
    } else {
      problems.push({
        source,
        reason: `a ${ITEM_TYPES[item.type] ?? 'kind of'} item: not imported`,
      });
    }
    for (const field of item.fields ?? []) {
      if (field.type !== HIDDEN_FIELD) continue;
      add(`${item.name}/${field.name}`, field.value, '', `${source} / ${field.name}`);
    }
  }
  return { candidates, problems };
}
