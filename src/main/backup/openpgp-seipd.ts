import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import type { Transform } from 'node:stream';
import { createInflate, createInflateRaw } from 'node:zlib';
import { RekeyError } from '../../shared/errors';
import { CFB_CIPHERS } from './openpgp-packets';

/**
 * Streaming decryption of a SEIPD v1 packet (RFC 4880 §5.13: CFB + MDC) and extraction of the
 * literal data inside, done here rather than by openpgp.js.
 *
 * Why: openpgp.js streams SEIPD v1 only with `allowUnauthenticatedStream`, and then parses the
 * decrypted packets before the integrity check. A ciphertext modified so that an inner
 * length header changes (CFB lets a one-bit flip through unchanged) leaves its parser waiting
 * forever: the data stream neither ends nor fails. Here the parse is a plain pull loop over the
 * decrypted bytes, so every input ends: data, or an error, at the latest at the MDC check.
 *
 * Everything yielded is UNAUTHENTICATED until the generator returns: it returns only after the
 * MDC (SHA-1 over the prefix, the whole inner message and the MDC packet header) matched.
 */

const CHUNK = 64 * 1024;
const MDC_LENGTH = 22; // 0xD3 0x14 + SHA-1

export class DamagedError extends RekeyError {
  constructor(detail: string) {
    super('FORMAT_ERROR', `The backup bundle was modified or is incomplete: ${detail}`);
    this.name = 'DamagedError';
  }
}

const truncated = (): DamagedError =>
  new DamagedError('it ends before the end of its encrypted data');

/** Pull-style reads over an async source of byte chunks. */
export class ByteReader {
  private buffer: Uint8Array = new Uint8Array(0);
  private done = false;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(): Promise<boolean> {
    while (this.buffer.length === 0) {
      if (this.done) return false;
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        return false;
      }
      this.buffer = next.value;
    }
    return true;
  }

  async eof(): Promise<boolean> {
    return !(await this.fill());
  }

  /** Up to `max` bytes (at least one), or null at the end. */
  async chunk(max: number): Promise<Uint8Array | null> {
    if (!(await this.fill())) return null;
    const out = this.buffer.subarray(0, max);
    this.buffer = this.buffer.subarray(out.length);
    return out;
  }

  /** Exactly `n` bytes; the end of input before them is damage. */
  async exact(n: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      const part = await this.chunk(n - have);
      if (part === null) throw truncated();
      parts.push(part);
      have += part.length;
    }
    return parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts);
  }

  async byte(): Promise<number> {
    return (await this.exact(1))[0] ?? 0;
  }

  close(): void {
    this.done = true;
    this.source.return?.().catch(() => undefined);
  }
}

export interface PacketHeader {
  tag: number;
  /** Body length (of the first part when `partial`); null: the body runs to the end. */
  length: number | null;
  partial: boolean;
}

async function newFormatLength(reader: ByteReader, first: number) {
  if (first < 192) return { length: first, partial: false };
  if (first < 224)
    return { length: ((first - 192) << 8) + (await reader.byte()) + 192, partial: false };
  if (first === 255) {
    const b = await reader.exact(4);
    return { length: Buffer.from(b).readUInt32BE(0), partial: false };
  }
  return { length: 1 << (first & 0x1f), partial: true };
}

export async function readPacketHeader(reader: ByteReader): Promise<PacketHeader> {
  const first = await reader.byte();
  if ((first & 0x80) === 0) throw new DamagedError('a packet header is malformed');
  if ((first & 0x40) !== 0) {
    return { tag: first & 0x3f, ...(await newFormatLength(reader, await reader.byte())) };
  }
  const tag = (first >> 2) & 0x0f;
  const lengthType = first & 0x03;
  if (lengthType === 3) return { tag, length: null, partial: false };
  const bytes = await reader.exact(lengthType === 0 ? 1 : lengthType === 1 ? 2 : 4);
  let length = 0;
  for (const b of bytes) length = length * 256 + b;
  return { tag, length, partial: false };
}

/** The body of a packet, across partial-length parts. */
export async function* packetBody(
  reader: ByteReader,
  header: PacketHeader,
): AsyncGenerator<Uint8Array> {
  if (header.length === null) {
    for (;;) {
      const part = await reader.chunk(CHUNK);
      if (part === null) return;
      yield part;
    }
  }
  let remaining = header.length;
  let partial = header.partial;
  for (;;) {
    while (remaining > 0) {
      const part = await reader.chunk(Math.min(remaining, CHUNK));
      if (part === null) throw truncated();
      remaining -= part.length;
      yield part;
    }
    if (!partial) return;
    ({ length: remaining, partial } = await newFormatLength(reader, await reader.byte()));
  }
}

/**
 * The inner message of a SEIPD v1 body (version byte included), with the random prefix and the
 * MDC packet removed. Throws DamagedError when the MDC does not match (after the last byte).
 */
export async function* decryptSeipdV1(
  body: AsyncIterable<Uint8Array>,
  algorithm: string,
  sessionKey: Uint8Array,
): AsyncGenerator<Uint8Array> {
  const cipher = CFB_CIPHERS[algorithm];
  if (!cipher) throw new RekeyError('INTERNAL', `No CFB cipher for ${algorithm}`);
  const decipher = createDecipheriv(cipher.name, sessionKey, Buffer.alloc(cipher.blockSize));
  const hash = createHash('sha1');
  let prefixLeft = cipher.blockSize + 2;
  let versionSeen = false;
  let tail = Buffer.alloc(0);

  /** Hashes plaintext that is not the MDC, and returns what follows the random prefix. */
  const release = (plain: Buffer): Buffer => {
    hash.update(plain);
    if (prefixLeft === 0) return plain;
    const skip = Math.min(prefixLeft, plain.length);
    prefixLeft -= skip;
    return plain.subarray(skip);
  };

  for await (let chunk of body) {
    if (!versionSeen) {
      if (chunk.length === 0) continue;
      if (chunk[0] !== 1) throw new DamagedError('its encrypted data has an unknown version');
      versionSeen = true;
      chunk = chunk.subarray(1);
    }
    const plain = decipher.update(chunk);
    if (plain.length === 0) continue;
    // Hold back the last 22 bytes seen: at the end they are the MDC packet.
    let out: Buffer;
    if (plain.length >= MDC_LENGTH) {
      const body = plain.subarray(0, plain.length - MDC_LENGTH);
      out = tail.length === 0 ? body : Buffer.concat([tail, body]);
      tail = Buffer.from(plain.subarray(plain.length - MDC_LENGTH));
    } else {
      const joined = Buffer.concat([tail, plain]);
      tail = Buffer.from(joined.subarray(Math.max(0, joined.length - MDC_LENGTH)));
      out = joined.subarray(0, joined.length - tail.length);
    }
    const released = release(out);
    if (released.length > 0) yield released;
  }
  const last = decipher.final();
  if (last.length > 0) throw new RekeyError('INTERNAL', 'CFB returned bytes at the end');
  if (!versionSeen || prefixLeft > 0 || tail.length < MDC_LENGTH) throw truncated();
  if (tail[0] !== 0xd3 || tail[1] !== 0x14) {
    throw new DamagedError('its integrity check failed');
  }
  hash.update(tail.subarray(0, 2));
  if (!timingSafeEqual(hash.digest(), tail.subarray(2))) {
    throw new DamagedError('its integrity check failed');
  }
}

const TAG_SIGNATURE = 2;
const TAG_ONE_PASS_SIGNATURE = 4;
const TAG_COMPRESSED = 8;
const TAG_MARKER = 10;
const TAG_LITERAL = 11;
const TAG_PADDING = 21;

/** Resolves when `stream` can take more input, or will never need to (closed, failed). */
function writable(stream: Transform): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/**
 * Decompresses `input` through a zlib stream, with backpressure. The input is always read to
 * its end (unless the consumer stops), so that an integrity failure below is what gets
 * reported when both the compressed data and the MDC are wrong.
 */
async function* decompress(
  input: AsyncIterable<Uint8Array>,
  inflater: Transform,
): AsyncGenerator<Uint8Array> {
  let inputError: unknown;
  let stopped = false;
  const writer = (async () => {
    try {
      for await (const chunk of input) {
        if (stopped) return;
        if (inflater.destroyed || inflater.writableEnded) continue; // read on, for the MDC
        if (!inflater.write(chunk)) await writable(inflater);
      }
      if (!inflater.destroyed && !inflater.writableEnded) inflater.end();
    } catch (error) {
      inputError = error;
      inflater.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  let completed = false;
  try {
    for await (const piece of inflater) yield piece as Buffer;
    completed = true;
  } catch {
    inflater.destroy();
    await writer;
    throw inputError ?? new DamagedError('its compressed data does not decode');
  } finally {
    if (!completed) stopped = true;
    inflater.destroy();
  }
  await writer;
  if (inputError !== undefined) throw inputError;
}

/**
 * The literal data of an OpenPGP message (RFC 4880 §11.3): a literal data packet, possibly in
 * a compressed packet, possibly between signature packets (skipped: bundles are not signed,
 * and a signature would prove nothing without its key). Reads its input to the end.
 */
export async function* literalData(
  message: AsyncIterable<Uint8Array>,
  depth = 0,
): AsyncGenerator<Uint8Array> {
  const reader = new ByteReader(message[Symbol.asyncIterator]());
  let seen = false;
  try {
    while (!(await reader.eof())) {
      const header = await readPacketHeader(reader);
      switch (header.tag) {
        case TAG_LITERAL: {
          if (seen) throw new DamagedError('it holds a second data packet');
          seen = true;
          const body = new ByteReader(packetBody(reader, header));
          await body.exact(1); // format: binary, text or UTF-8; bytes are given as they are
          await body.exact(await body.byte()); // file name
          await body.exact(4); // date
          for (let part = await body.chunk(CHUNK); part; part = await body.chunk(CHUNK)) {
            yield part;
          }
          break;
        }
        case TAG_COMPRESSED: {
          if (seen || depth > 0) throw new DamagedError('it has an unexpected compressed packet');
          seen = true;
          const body = new ByteReader(packetBody(reader, header));
          const algorithm = await body.byte();
          const rest = (async function* () {
            for (let part = await body.chunk(CHUNK); part; part = await body.chunk(CHUNK)) {
              yield part;
            }
          })();
          if (algorithm === 0) yield* literalData(rest, depth + 1);
          else if (algorithm === 1)
            yield* literalData(decompress(rest, createInflateRaw()), depth + 1);
          else if (algorithm === 2)
            yield* literalData(decompress(rest, createInflate()), depth + 1);
          else if (algorithm === 3) {
            throw new RekeyError(
              'FORMAT_ERROR',
              'This message is BZip2-compressed, which Rekey does not read; encrypt it with ' +
                '--compress-algo zlib (or none)',
            );
          } else throw new DamagedError(`it uses an unknown compression (${algorithm})`);
          // Whatever the decompressor left of the packet must still be read (and so checked).
          for (let part = await body.chunk(CHUNK); part; part = await body.chunk(CHUNK)) {
            // trailing bytes after the compressed stream: ignored, as GnuPG does
          }
          break;
        }
        case TAG_SIGNATURE:
        case TAG_ONE_PASS_SIGNATURE:
        case TAG_MARKER:
        case TAG_PADDING:
          for await (const _ of packetBody(reader, header)) {
            // skipped
          }
          break;
        default:
          throw new DamagedError(`it holds an unexpected packet (type ${header.tag})`);
      }
    }
    if (!seen) throw new DamagedError('it holds no data packet');
  } finally {
    reader.close();
  }
}
