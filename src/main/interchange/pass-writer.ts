import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { encryptStream } from '../backup/openpgp';
import { writeFileAtomically } from '../vault/file-io';
import type { ExportEntry } from './export-entry';
import { type Recipient, resolveRecipients } from './recipients';

/**
 * Writes secrets into a pass store that stock `pass show` reads: `DIR/deployment/name.gpg`,
 * each encrypted with the backup layer's OpenPGP writer (SEIPD v1, AES-256, no AEAD: what gpg
 * 2.2 decrypts) to every recipient of the store's `.gpg-id`. First line the value, then the
 * description, as pass keeps passwords and notes. Files are written 0600 and renamed into
 * place; nothing is written in clear.
 */
export async function writePassStore(
  dir: string,
  entries: readonly ExportEntry[],
  given: readonly string[],
): Promise<{ recipients: Recipient[]; files: string[] }> {
  const gpgIdText = await readFile(join(dir, '.gpg-id'), 'utf8').catch(() => null);
  const gpgIds =
    gpgIdText === null
      ? null
      : gpgIdText
          .split('\n')
          .map((line) => line.replace(/#.*/, '').trim())
          .filter((line) => line !== '');
  const recipients = await resolveRecipients(gpgIds, given);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (gpgIds === null) {
    const ids = recipients.map((recipient) => recipient.id).join('\n');
    await writeFileAtomically(join(dir, '.gpg-id'), Buffer.from(`${ids}\n`));
  }
  const files: string[] = [];
  for (const entry of entries) {
    const file = join(dir, entry.deployment, `${entry.name}.gpg`);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    // A multi-line value (a PEM key) is the whole file: notes after it would become part of it.
    const text =
      entry.notes && !entry.value.includes('\n')
        ? `${entry.value}\n${entry.notes}\n`
        : `${entry.value}\n`;
    const ciphertext = await encrypt(Buffer.from(text, 'utf8'), recipients);
    await writeFileAtomically(file, ciphertext);
    files.push(file);
  }
  return { recipients, files };
}

async function encrypt(plaintext: Buffer, recipients: readonly Recipient[]): Promise<Buffer> {
  const stream = await encryptStream(Readable.from([plaintext]), {
    recipients: recipients.map((recipient) => recipient.armored),
  });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
