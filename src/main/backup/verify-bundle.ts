import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { RekeyError, isRekeyError } from '../../shared/errors';
import { type ReadEntry, readBundleTar } from './bundle-tar';
import { type DecryptWith, decryptStream } from './openpgp';

/**
 * Checks a bundle without writing anything: decrypts it, hashes every entry against
 * SHA256SUMS and the manifest, and waits for the OpenPGP integrity check at the very end. Only a
 * report with no problem says the bundle can be restored.
 */

export interface VerifyReport {
  ok: boolean;
  problems: string[];
  manifest: unknown;
  entries: ReadEntry[];
  /** Bytes of the encrypted file. */
  size: number;
}

const TAMPERED = 'The bundle was modified or is incomplete (its OpenPGP integrity check failed)';

/**
 * Decrypts `file` and reads its tar: `onEntry` (if given) consumes each entry as it passes.
 * The entries are unauthenticated until this resolves without problems.
 */
export async function readBundle(
  file: string,
  using: DecryptWith,
  onEntry?: (name: string, data: Readable) => Promise<void>,
): Promise<VerifyReport> {
  const size = (await stat(file)).size;
  const { data, authenticated } = await decryptStream(createReadStream(file), using);
  const integrity = authenticated.then(
    () => null,
    (error: unknown) => (isRekeyError(error) ? error.message : TAMPERED),
  );
  let report: Awaited<ReturnType<typeof readBundleTar>>;
  try {
    report = await readBundleTar(data, onEntry);
  } catch (error) {
    // A cut or altered ciphertext usually breaks the archive first: say what really happened.
    // The decryption was cut short with the archive, so its own verdict may not have come.
    const failed = await integrity;
    const archive = error instanceof Error ? error.message : String(error);
    throw new RekeyError(
      'FORMAT_ERROR',
      failed !== null && !/not read to its end/.test(failed)
        ? failed
        : `The bundle was modified or is incomplete: ${archive}`,
    );
  }
  const failed = await integrity;
  const problems = failed === null ? report.problems : [failed, ...report.problems];
  return {
    ok: problems.length === 0,
    problems,
    manifest: report.manifest,
    entries: report.entries,
    size,
  };
}

export async function verifyBundle(file: string, using: DecryptWith): Promise<VerifyReport> {
  return readBundle(file, using);
}
