import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { RekeyError } from '../../shared/errors';
import type { ImportKindName } from '../../shared/interchange-api';
import { readBitwarden } from './bitwarden-reader';
import { type ReadResult, distinctNames } from './candidate';
import { readCompose } from './compose-reader';
import { readEnv } from './env-reader';
import { readKeepassCsv } from './keepass-csv-reader';
import { readKeepassXml } from './keepass-xml-reader';
import { gpgDecryptor, keyDecryptor } from './pass-decrypt';
import { readPassStore } from './pass-reader';

export type ImportKind = ImportKindName;

export interface ImportSource {
  kind: ImportKind;
  /** The file, or the pass store's directory. */
  path: string;
  /** The file's text, when the caller already has it (stdin); not for a pass store. */
  content?: string | undefined;
  /** pass: an armored private key file to decrypt with; without it, gpg (and its agent). */
  keyFile?: string | undefined;
  passphrase?: string | undefined;
  /** env and compose: take every key, not only those that look like secrets. */
  all?: boolean | undefined;
}

/** Reads any supported source into candidates with distinct names. */
export async function readSource(source: ImportSource): Promise<ReadResult> {
  const result = await readRaw(source);
  return { ...result, candidates: distinctNames(result.candidates) };
}

async function readRaw(source: ImportSource): Promise<ReadResult> {
  const all = source.all ?? false;
  if (source.kind === 'pass') {
    const decrypt = source.keyFile
      ? await keyDecryptor(await readText(source.keyFile), source.passphrase)
      : gpgDecryptor(source.passphrase);
    return readPassStore(source.path, decrypt);
  }
  const text = source.content ?? (await readText(source.path));
  const name = basename(source.path);
  switch (source.kind) {
    case 'env':
      return readEnv(text, name, all);
    case 'compose':
      return readCompose(text, name, all);
    case 'keepass-xml':
      return readKeepassXml(text, name);
    case 'keepass-csv':
      return readKeepassCsv(text, name);
    case 'bitwarden':
      return readBitwarden(text, name);
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RekeyError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'IO',
      `Cannot read ${path}: ${code ?? 'error'}`,
    );
  }
}
