import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { RekeyError, isRekeyError } from '../../shared/errors';
import { type ReadEntry, readBundleTar } from './bundle-tar';
import { type DecryptWith, decryptStream } from './openpgp';
import { SECRETS_DOCUMENT } from './secrets-document';

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

export interface ReadOptions {
  /** Consumes each entry as it passes (drained otherwise). */
  onEntry?(name: string, data: Readable): Promise<void>;
  /** Bytes of the encrypted file read so far, of `total`. */
  onProgress?(bytes: number, total: number): void;
}

/** Reports how far into the file decryption got; the only progress a bundle read can know. */
class CountBytes extends Transform {
  private bytes = 0;
  private lastReport = 0;

  constructor(
    private readonly total: number,
    private readonly report: (bytes: number, total: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    // A report per MiB (and the last one) is plenty for a progress bar.
    if (this.bytes - this.lastReport >= 1 << 20 || this.bytes === this.total) {
      this.lastReport = this.bytes;
      this.report(this.bytes, this.total);
    }
    done(null, chunk);
  }
}

/**
 * Decrypts `file` and reads its tar: `onEntry` (if given) consumes each entry as it passes.
 * The entries are unauthenticated until this resolves without problems.
 */
export async function readBundle(
  file: string,
  using: DecryptWith,
  options: ReadOptions = {},
): Promise<VerifyReport> {
  const size = (await stat(file)).size;
  const onProgress = options.onProgress;
  const source = onProgress
    ? createReadStream(file).pipe(new CountBytes(size, onProgress))
    : createReadStream(file);
  const { data, authenticated } = await decryptStream(source, using);
  const integrity = authenticated.then(
    () => null,
    (error: unknown) => (isRekeyError(error) ? error.message : TAMPERED),
  );
  let report: Awaited<ReturnType<typeof readBundleTar>>;
  try {
    report = await readBundleTar(data, options.onEntry);
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

/** secrets.json is small; a bundle claiming more is refused rather than held in memory. */
const MAX_SECRETS_DOCUMENT_BYTES = 64 * 1024 * 1024;

export interface VerifiedBundle extends VerifyReport {
  /** secrets.json as read in the verify pass (trust it only when `ok`); null when absent. */
  secrets: Buffer | null;
}

/** The verify pass: every entry hashed and discarded, except secrets.json, which is kept. */
export async function verifyBundle(
  file: string,
  using: DecryptWith,
  onProgress?: (bytes: number, total: number) => void,
): Promise<VerifiedBundle> {
  let secrets: Buffer | null = null;
  const report = await readBundle(file, using, {
    onProgress,
    onEntry: async (name, data) => {
      if (name === SECRETS_DOCUMENT) secrets = await collect(data, MAX_SECRETS_DOCUMENT_BYTES);
      else await drain(data);
    },
  });
  return { ...report, secrets };
}

export async function drain(data: Readable): Promise<void> {
  data.resume();
  await new Promise((resolve, reject) => data.on('end', resolve).on('error', reject));
}

/** The whole entry in memory; more than `limit` bytes is a FORMAT_ERROR. */
export async function collect(data: Readable, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of data) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      data.destroy();
      throw new RekeyError('FORMAT_ERROR', `A bundle entry is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
