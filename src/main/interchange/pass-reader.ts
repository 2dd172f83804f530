import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { RekeyError } from '../../shared/errors';
import {
  type Candidate,
  type ReadResult,
  type SourceProblem,
  safeDeployment,
  safeName,
} from './candidate';
import type { PassDecryptor } from './pass-decrypt';

/**
 * A pass store (`~/.password-store`): every `*.gpg` file below the directory is one entry,
 * named by its path. pass's convention is that the first line is the password and the rest is
 * free text; a multi-line value that is plainly one thing (a PEM block) is kept whole. The top
 * folder becomes the suggested deployment (`prod/db/password` -> `prod`, `db/password`).
 */
export async function readPassStore(dir: string, decrypt: PassDecryptor): Promise<ReadResult> {
  const gpgId = await readFile(join(dir, '.gpg-id'), 'utf8').catch(() => null);
  if (gpgId === null) {
    throw new RekeyError('NOT_FOUND', `${dir} is not a pass store (it has no .gpg-id)`);
  }
  const files = await gpgFiles(dir);
  const candidates: Candidate[] = [];
  const problems: SourceProblem[] = [];
  for (const file of files) {
    const entry = relative(dir, file)
      .split(sep)
      .join('/')
      .replace(/\.gpg$/, '');
    const source = `pass: ${entry}`;
    const text = await decrypt(await readFile(file), entry);
    const { value, notes } = splitEntry(text);
    const parts = entry.split('/');
    const deployment = parts.length > 1 ? safeDeployment(parts[0]) : null;
    const name = safeName(deployment ? parts.slice(1).join('/') : entry);
    if (value === '') problems.push({ source, reason: 'empty password line' });
    else if (!name) problems.push({ source, reason: 'its path is not a valid secret name' });
    else candidates.push({ name, value, deployment, service: '', notes, source });
  }
  return { candidates, problems };
}

export function splitEntry(text: string): { value: string; notes: string } {
  if (/^-----BEGIN [A-Z0-9 ]+-----/.test(text))
    return { value: text.replace(/\n$/, ''), notes: '' };
  const newline = text.indexOf('\n');
  if (newline < 0) return { value: text, notes: '' };
  return {
    value: text.slice(0, newline).replace(/\r$/, ''),
    notes: text.slice(newline + 1).replace(/\n$/, ''),
  };
}

async function gpgFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // .git and .extensions hold no passwords; pass itself skips dot-directories.
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await gpgFiles(path)));
    else if (entry.isFile() && entry.name.endsWith('.gpg')) found.push(path);
  }
  return found.sort();
}
