import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, pack } from 'tar-stream';
import { RekeyError } from '../../shared/errors';
import { HashingPassThrough } from './hash-thread';

/**
 * The tar stream inside a bundle. Entries are written one after the other with their size known
 * up front (a dump is first written to a private file where it is made), hashed as they pass,
 * and followed by MANIFEST.json and SHA256SUMS, so that after `gpg --decrypt FILE | tar -x`,
 * `sha256sum -c SHA256SUMS` checks everything with stock tools. Reading checks the same, entry by
 * entry, without keeping any entry in memory.
 */

export const MANIFEST = 'MANIFEST.json';
export const SUMS = 'SHA256SUMS';

export interface BundleEntry {
  /** Relative path inside the bundle, e.g. `dumps/synapse.dump`. */
  name: string;
  size: number;
  /** Opened when the entry's turn comes, so only one source is open at a time. */
  open(): Promise<Readable> | Readable;
  mode?: number;
}

export interface WrittenEntry {
  name: string;
  size: number;
  sha256: string;
}

const SAFE_NAME = /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._@+=,-][A-Za-z0-9._@+=,/-]{0,254}$/;

export function checkEntryName(name: string): void {
  if (!SAFE_NAME.test(name) || name === MANIFEST || name === SUMS) {
    throw new RekeyError('INVALID_INPUT', `"${name}" cannot be a file name inside a bundle`);
  }
}

/** Hashes and counts what passes through. */
class Measure extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.push(chunk);
    done();
  }
}

/** `sha256sum` format: two spaces between the hash and the name (text mode). */
export function sumsText(entries: readonly WrittenEntry[]): string {
  return entries.map((entry) => `${entry.sha256}  ${entry.name}\n`).join('');
}

/**
 * A tar stream of the entries followed by the manifest `describe` makes of what was written,
 * and SHA256SUMS over all of them. `onProgress` hears the bytes of each entry as they pass.
 */
export function writeBundleTar(
  entries: readonly BundleEntry[],
  describe: (written: readonly WrittenEntry[]) => object,
  onProgress?: (entry: string, bytes: number) => void,
): { tar: Readable; written: Promise<WrittenEntry[]> } {
  for (const entry of entries) checkEntryName(entry.name);
  const tar = pack();
  const written = (async () => {
    const done: WrittenEntry[] = [];
    try {
      for (const entry of entries) {
        const source = await entry.open();
        // Hashed on a hash thread: the entry's SHA-256 runs beside the encryption.
        const measure = new HashingPassThrough('sha256');
        measure.on('data', () => onProgress?.(entry.name, measure.bytes));
        const sink = tar.entry({ name: entry.name, size: entry.size, mode: entry.mode ?? 0o600 });
        const sha256 = await pipeline(source, measure, sink).then(
          () => measure.hash.digest(),
          (error: unknown) => {
            measure.hash.discard();
            throw error;
          },
        );
        if (measure.bytes !== entry.size) {
          throw new RekeyError(
            'IO',
            `${entry.name} changed while it was bundled (${measure.bytes} bytes, expected ${entry.size})`,
          );
        }
        done.push({ name: entry.name, size: entry.size, sha256: sha256.toString('hex') });
      }
      const manifest = Buffer.from(`${JSON.stringify(describe(done), null, 2)}\n`, 'utf8');
      const manifestEntry = {
        name: MANIFEST,
        size: manifest.length,
        sha256: createHash('sha256').update(manifest).digest('hex'),
      };
      await addBuffer(tar, MANIFEST, manifest);
      await addBuffer(tar, SUMS, Buffer.from(sumsText([...done, manifestEntry]), 'utf8'));
      tar.finalize();
      return done;
    } catch (error) {
      tar.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  })();
  // tar-stream's Pack is a streamx Readable: wrap it so callers get a Node stream.
  return { tar: Readable.from(tar), written };
}

function addBuffer(tar: ReturnType<typeof pack>, name: string, content: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    tar.entry({ name, size: content.length, mode: 0o600 }, content, (error) =>
      error ? reject(error) : resolve(),
    );
  });
}

export interface ReadEntry extends WrittenEntry {
  /** The manifest and the checksum list are read into memory; other entries never are. */
  content?: Buffer;
}

export interface TarReport {
  entries: ReadEntry[];
  manifest: unknown;
  /** Everything wrong, in words: empty when every checksum and the manifest agree. */
  problems: string[];
}

/**
 * Reads a bundle's tar stream to its end: each entry is hashed (and handed to `onEntry`, which
 * must consume it) and the list of checksums is compared with what was read.
 */
export async function readBundleTar(
  tar: Readable,
  onEntry?: (name: string, data: Readable) => Promise<void>,
): Promise<TarReport> {
  const entries: ReadEntry[] = [];
  const problems: string[] = [];
  const reader = extract();
  const reading = (async () => {
    for await (const entry of reader) {
      const { name, type } = entry.header;
      if (type !== 'file') {
        problems.push(`unexpected ${type ?? 'entry'} ${name} in the bundle`);
        entry.resume();
        continue;
      }
      const keep = name === MANIFEST || name === SUMS;
      const measure = new Measure();
      const chunks: Buffer[] = [];
      if (keep) measure.on('data', (chunk: Buffer) => chunks.push(chunk));
      const consumer = onEntry && !keep ? onEntry(name, measure) : drain(measure, keep);
      await Promise.all([pipeline(entry, measure), consumer]);
      entries.push({
        name,
        size: measure.bytes,
        sha256: measure.hash.digest('hex'),
        ...(keep ? { content: Buffer.concat(chunks) } : {}),
      });
    }
  })();
  await Promise.all([pipeline(tar, reader), reading]).catch((error: unknown) => {
    throw error instanceof RekeyError
      ? error
      : new RekeyError(
          'FORMAT_ERROR',
          `The bundle's contents are not a valid archive: ${String(error)}`,
        );
  });
  const manifest = parseManifest(entries, problems);
  checkSums(entries, problems);
  return { entries, manifest, problems };
}

async function drain(stream: Readable, keep: boolean): Promise<void> {
  if (keep) return; // the 'data' listener consumes it
  stream.resume();
  await new Promise<void>((resolve, reject) => stream.on('end', resolve).on('error', reject));
}

function parseManifest(entries: readonly ReadEntry[], problems: string[]): unknown {
  const entry = entries.find((candidate) => candidate.name === MANIFEST);
  if (!entry?.content) {
    problems.push(`${MANIFEST} is missing`);
    return null;
  }
  try {
    return JSON.parse(entry.content.toString('utf8'));
  } catch {
    problems.push(`${MANIFEST} is not valid JSON`);
    return null;
  }
}

function checkSums(entries: readonly ReadEntry[], problems: string[]): void {
  const sums = entries.find((candidate) => candidate.name === SUMS)?.content;
  if (!sums) {
    problems.push(`${SUMS} is missing`);
    return;
  }
  const listed = new Map<string, string>();
  for (const line of sums.toString('utf8').split('\n')) {
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match?.[1] || !match[2]) {
      problems.push(`${SUMS} has a line that is not "hash  name"`);
      continue;
    }
    listed.set(match[2], match[1]);
  }
  for (const [name, sha256] of listed) {
    const entry = entries.find((candidate) => candidate.name === name);
    if (!entry) problems.push(`${name} is listed in ${SUMS} but missing from the bundle`);
    else if (entry.sha256 !== sha256) problems.push(`${name} does not match its checksum`);
  }
  for (const entry of entries) {
    if (entry.name !== SUMS && !listed.has(entry.name)) {
      problems.push(`${entry.name} is in the bundle but not in ${SUMS}`);
    }
  }
}

/** A Readable of a buffer, for small entries (secrets.json, config files). */
export function bufferEntry(name: string, content: Buffer, mode = 0o600): BundleEntry {
  return { name, size: content.length, mode, open: () => Readable.from([content]) };
}
