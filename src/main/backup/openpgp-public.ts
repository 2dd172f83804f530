import * as openpgp from 'openpgp';
import { RekeyError } from '../../shared/errors';

/** The public part of an armored private key: what bundles are encrypted to. */
export async function publicArmored(armored: string): Promise<string> {
  try {
    const key = await openpgp.readKey({ armoredKey: armored });
    return key.toPublic().armor();
  } catch (error) {
    throw new RekeyError('INVALID_INPUT', 'Not an armored OpenPGP key', { cause: error });
  }
}

/** Whether an armored private key is locked by a passphrase (needed before it can decrypt). */
export async function isPassphraseProtected(armored: string): Promise<boolean> {
  const key = await openpgp.readPrivateKey({ armoredKey: armored });
  return !key.isDecrypted();
}
