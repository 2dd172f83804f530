import { spawn } from 'node:child_process';
import * as openpgp from 'openpgp';
import { RekeyError } from '../../shared/errors';

/** A recipient of a pass export: the id `.gpg-id` names it by, and its armored public key. */
export interface Recipient {
  id: string;
  armored: string;
  fingerprint: string;
}

const ARMORED = /^-----BEGIN PGP PUBLIC KEY BLOCK-----/;

/**
 * The keys a pass store is encrypted to. With a `.gpg-id`, its ids are the recipients (the
 * store stays what pass expects); each id's key is one of the given armored keys (matched by
 * fingerprint, key id or user id) or else taken from gpg's keyring. Without one, the given
 * recipients (armored keys or gpg key ids) are the recipients and `.gpg-id` is written.
 */
export async function resolveRecipients(
  gpgIds: readonly string[] | null,
  given: readonly string[],
): Promise<Recipient[]> {
  const keys = await Promise.all(given.filter((g) => ARMORED.test(g.trim())).map(readKey));
  const ids = given.filter((g) => !ARMORED.test(g.trim())).map((g) => g.trim());
  if (gpgIds === null) {
    const fromIds = await Promise.all(ids.map(async (id) => ({ id, key: await fromGpg(id) })));
    const all = [...keys.map((key) => ({ id: fingerprintOf(key), key })), ...fromIds];
    if (all.length === 0) {
      throw new RekeyError('INVALID_INPUT', 'A new pass store needs at least one recipient key');
    }
    return all.map(({ id, key }) => ({
      id,
      armored: key.armor(),
      fingerprint: fingerprintOf(key),
    }));
  }
  const unused = keys.filter((key) => !gpgIds.some((id) => matches(key, id)));
  if (unused.length > 0 || ids.some((id) => !gpgIds.includes(id))) {
    throw new RekeyError(
      'INVALID_INPUT',
      `The store's .gpg-id names its recipients (${gpgIds.join(', ')}); a recipient given that it does not name would make a store pass cannot keep consistent`,
    );
  }
  return Promise.all(
    gpgIds.map(async (id) => {
      const key = keys.find((candidate) => matches(candidate, id)) ?? (await fromGpg(id));
      return { id, armored: key.armor(), fingerprint: fingerprintOf(key) };
    }),
  );
}

function fingerprintOf(key: openpgp.Key): string {
  return key.getFingerprint().toUpperCase();
}

function matches(key: openpgp.Key, id: string): boolean {
  const wanted = id.replace(/^0x/i, '').toUpperCase();
  if (/^[0-9A-F]{8,40}$/.test(wanted)) {
    return [key, ...key.getSubkeys()].some((k) =>
      k.getFingerprint().toUpperCase().endsWith(wanted),
    );
  }
  return key.getUserIDs().some((uid) => uid.toLowerCase().includes(id.toLowerCase()));
}

async function readKey(armored: string): Promise<openpgp.Key> {
  try {
    return await openpgp.readKey({ armoredKey: armored });
  } catch {
    throw new RekeyError('INVALID_INPUT', 'A recipient is not a valid armored OpenPGP public key');
  }
}

/** The public key gpg knows by `id` (`gpg --export --armor`): public material only. */
async function fromGpg(id: string): Promise<openpgp.Key> {
  const armored = await new Promise<string>((resolve, reject) => {
    const child = spawn('gpg', ['--batch', '--export', '--armor', '--', id], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.resume();
    child.on('error', (error) =>
      reject(new RekeyError('IO', `Cannot run gpg to find key ${id}: ${error.message}`)),
    );
    child.on('close', () => resolve(out));
  });
  if (!ARMORED.test(armored.trim())) {
    throw new RekeyError(
      'NOT_FOUND',
      `gpg has no public key for ${id}; give the key as an armored file`,
    );
  }
  const key = await readKey(armored);
  return key;
}
