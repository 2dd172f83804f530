import ssh2 from 'ssh2';
import { RekeyError } from '../../shared/errors';
import type { HostAuth } from '../vault/events';
import { wellFormedEd25519 } from '../vault/ssh-ed25519';
import { describeHostKey } from './host-key';

/**
 * The key pairs Rekey logs in with, kept in the vault. Generated keys are ed25519 in OpenSSH's
 * format (what `ssh-keygen -t ed25519` writes); imported keys are kept exactly as given, with
 * their passphrase, so they stay usable by OpenSSH too. ssh2 parses both: no key parsing here.
 */

// ssh2 is CommonJS: the ESM bundle of the CLI can only import its default export.
const { utils } = ssh2;

export type KeyLogin = Extract<HostAuth, { kind: 'key' }>;

export function generateLoginKey(comment: string): KeyLogin {
  const pair = wellFormedEd25519(() => utils.generateKeyPairSync('ed25519', { comment }));
  return { kind: 'key', privateKey: pair.private, passphrase: null, publicKey: pair.public };
}

/** Checks that `privateKey` opens (with `passphrase` when it is protected) before keeping it. */
export function importLoginKey(privateKey: string, passphrase: string | null): KeyLogin {
  const parsed = utils.parseKey(privateKey, passphrase ?? undefined);
  if (parsed instanceof Error) {
    // ssh2's messages name the problem, never the key or passphrase.
    const reason = parsed.message;
    if (/no passphrase given/i.test(reason)) {
      throw new RekeyError('INVALID_INPUT', 'The key is passphrase-protected: give its passphrase');
    }
    if (/bad passphrase|integrity check failed/i.test(reason)) {
      throw new RekeyError('INVALID_INPUT', 'The passphrase does not open this key');
    }
    throw new RekeyError('INVALID_INPUT', `Not a private key Rekey can use: ${reason}`);
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key?.isPrivateKey()) {
    throw new RekeyError('INVALID_INPUT', 'This is a public key; Rekey needs the private key');
  }
  const blob = key.getPublicSSH();
  const comment = key.comment ? ` ${key.comment}` : '';
  return {
    kind: 'key',
    privateKey,
    passphrase: passphrase === '' ? null : passphrase,
    publicKey: `${key.type} ${blob.toString('base64')}${comment}`,
  };
}

/** The fingerprint of an `authorized_keys`-style public key line. */
export function publicKeyFingerprint(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1];
  if (!blob) throw new RekeyError('INVALID_INPUT', 'Not a public key line');
  return describeHostKey(Buffer.from(blob, 'base64')).fingerprint;
}
