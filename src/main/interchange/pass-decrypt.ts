import { spawn } from 'node:child_process';
import * as openpgp from 'openpgp';
import { RekeyError } from '../../shared/errors';

/** Turns one `.gpg` file of a pass store into its text. */
export type PassDecryptor = (ciphertext: Buffer, file: string) => Promise<string>;

/**
 * Decrypts with an armored private key through openpgp.js: for a key kept outside gpg (a
 * Rekey-made key, a key file on removable media). pass files are small, so the whole message
 * is read and its integrity checked before any text is returned; gpg compresses what it
 * encrypts, which openpgp.js handles.
 */
export async function keyDecryptor(armored: string, passphrase?: string): Promise<PassDecryptor> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch {
    throw new RekeyError('INVALID_INPUT', 'The key file does not hold an OpenPGP private key');
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined) {
      throw new RekeyError('INVALID_INPUT', 'The private key is protected: give its passphrase');
    }
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch {
      throw new RekeyError('WRONG_PASSWORD', 'Wrong passphrase for the private key');
    }
  }
  return async (ciphertext, file) => {
    try {
      const armoredMessage = ciphertext.subarray(0, 40).toString('latin1').includes('-----BEGIN');
      const message = armoredMessage
        ? await openpgp.readMessage({ armoredMessage: ciphertext.toString('utf8') })
        : await openpgp.readMessage({ binaryMessage: ciphertext });
      const { data } = await openpgp.decrypt({ message, decryptionKeys: key, format: 'binary' });
      return Buffer.from(data).toString('utf8');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RekeyError('FORMAT_ERROR', `Cannot decrypt ${file}: ${reason}`);
    }
  };
}

/**
 * Decrypts through the `gpg` binary, for a key that lives in gpg-agent (or on a card): the
 * ciphertext goes in on stdin, the text comes back on stdout, and a passphrase, when given,
 * goes on a separate descriptor (never argv). GNUPGHOME is taken from our environment.
 */
export function gpgDecryptor(passphrase?: string): PassDecryptor {
  return (ciphertext, file) =>
    new Promise((resolve, reject) => {
      const args = ['--batch', '--quiet', '--yes', '--decrypt'];
      if (passphrase !== undefined)
        args.unshift('--pinentry-mode', 'loopback', '--passphrase-fd', '3');
      const child = spawn('gpg', args, { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', (error) =>
        reject(new RekeyError('IO', `Cannot run gpg (is GnuPG installed?): ${error.message}`)),
      );
      child.on('close', (code) => {
        if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
        else {
          const reason = err.trim().split('\n').slice(-2).join(' ') || `exit ${code}`;
          reject(new RekeyError('FORMAT_ERROR', `gpg could not decrypt ${file}: ${reason}`));
        }
      });
      child.stdin.on('error', () => undefined);
      const passphraseStream = child.stdio[3];
      if (passphraseStream && 'end' in passphraseStream) {
        passphraseStream.on('error', () => undefined);
        passphraseStream.end(passphrase === undefined ? '' : `${passphrase}\n`);
      }
      child.stdin.end(ciphertext);
    });
}
