import { type Cipher, createCipheriv, createHash, randomBytes } from 'node:crypto';
import { RekeyError } from '../../shared/errors';
import { CFB_CIPHERS } from './openpgp-packets';

/**
 * Writes the encrypted data of a backup bundle: one SEIPD v1 packet (RFC 4880 §5.13: CFB + MDC)
 * holding one binary literal data packet, the inverse of decryptSeipdV1 and literalData in
 * openpgp-seipd.ts.
 *
 * Why not openpgp.js: its web-stream pipeline (small chunks through several TransformStreams,
 * cipher and hash in JavaScript-driven steps, its own buffering for the partial lengths) made
 * encryption about twice as slow as gpg, and bundles are gigabytes. This is only packet framing
 * around OpenSSL: the cipher is node:crypto's AES-CFB (OpenPGP's CFB for SEIPD, RFC 4880 §13.9:
 * zero IV, random prefix, no resync, is plain CFB) and the MDC is node:crypto's SHA-1, both on
 * this thread (on other threads, the copies and wake-ups around them cost more CPU than they
 * saved on a two-core machine). The key packets, the part that is real protocol with keys (S2K,
 * public-key encryption), still come from openpgp.js.
 *
 * Both packets are framed with partial body lengths (RFC 4880 §4.2.2.4), as gpg frames a stream
 * of unknown length, in parts of 2^partLog2 bytes (1 MiB by default, so the framing costs
 * nothing measurable), and a last part with a definite length. Memory stays at about two parts
 * whatever the size of the input.
 */

/** 1 MiB parts: few headers and few, large writes downstream. */
export const DEFAULT_PART_LOG2 = 20;
/** RFC 4880 §4.2.2.4: the first partial part must be at least 512 bytes. */
const MIN_PART_LOG2 = 9;
/** A partial length is one byte 0xE0 | log2, log2 at most 30. */
const MAX_PART_LOG2 = 30;

const TAG_LITERAL = 11;
const TAG_SEIPD = 18;
const SEIPD_VERSION = 1;
const LITERAL_BINARY = 0x62; // 'b'
const MDC_HEADER = Buffer.from([0xd3, 0x14]); // new-format tag 19, length 20 (SHA-1)

/** A new-format definite body length (RFC 4880 §4.2.2.1-3). */
function definiteLength(length: number): Buffer {
  if (length < 192) return Buffer.from([length]);
  if (length < 8384) {
    const rest = length - 192;
    return Buffer.from([(rest >> 8) + 192, rest & 0xff]);
  }
  const out = Buffer.alloc(5);
  out[0] = 0xff;
  out.writeUInt32BE(length, 1);
  return out;
}

/**
 * The body of one packet of unknown length, framed as it comes: every time more than one part
 * is buffered, a part goes out behind its partial length, so that the last part (given at
 * `end`) is never empty unless the whole body is, and a body of at most one part gets a plain
 * definite length. Output is a list of slices (headers and the caller's bytes, not copied).
 */
export class PartialBodyWriter {
  private readonly partSize: number;
  private readonly partHeader: Buffer;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private started = false;

  constructor(
    private readonly tag: number,
    private readonly partLog2 = DEFAULT_PART_LOG2,
  ) {
    if (!Number.isInteger(partLog2) || partLog2 < MIN_PART_LOG2 || partLog2 > MAX_PART_LOG2) {
      throw new RekeyError('INTERNAL', `Partial body parts of 2^${partLog2} bytes are not valid`);
    }
    this.partSize = 2 ** partLog2;
    this.partHeader = Buffer.from([0xe0 | partLog2]);
  }

  /** Adds body bytes; appends to `out` whatever whole parts are now ready. */
  write(bytes: Uint8Array, out: Uint8Array[]): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    while (this.pendingBytes > this.partSize) {
      this.header(this.partHeader, out);
      this.take(this.partSize, out);
    }
  }

  /** Appends the last part, with its definite length, to `out`. */
  end(out: Uint8Array[]): void {
    this.header(definiteLength(this.pendingBytes), out);
    this.take(this.pendingBytes, out);
  }

  private header(length: Buffer, out: Uint8Array[]): void {
    if (!this.started) {
      this.started = true;
      out.push(Buffer.from([0xc0 | this.tag]));
    }
    out.push(length);
  }

  private take(count: number, out: Uint8Array[]): void {
    let left = count;
    while (left > 0) {
      const first = this.pending[0];
      if (first === undefined) throw new RekeyError('INTERNAL', 'Partial body writer underrun');
      if (first.length <= left) {
        out.push(first);
        this.pending.shift();
        left -= first.length;
      } else {
        out.push(first.subarray(0, left));
        this.pending[0] = first.subarray(left);
        left = 0;
      }
    }
    this.pendingBytes -= count;
  }
}

export interface SeipdWriteOptions {
  /** A key of CFB_CIPHERS; bundles use aes256. */
  algorithm: string;
  /** The literal packet's date (seconds are kept). */
  date?: Date;
  /** Parts of 2^partLog2 bytes for both packets; tests use small parts to reach boundaries. */
  partLog2?: number;
}

/**
 * The SEIPD v1 packet of a plaintext given piece by piece, synchronously: `update` returns the
 * packet's bytes framed so far (ciphertext pieces and length headers, not copied), `final`
 * the rest with the MDC. The cipher (OpenSSL's AES-CFB) and the MDC's SHA-1 run inline: on a
 * two-core machine, handing either to another thread cost more in copies and wake-ups than it
 * saved, and a synchronous step keeps the stream around it a plain Node Transform. Whoever
 * stops before `final` never has a message that looks complete.
 */
export class SeipdV1Encryptor {
  private readonly cipher: Cipher;
  private readonly mdc = createHash('sha1');
  private readonly seipd: PartialBodyWriter;
  private readonly literal: PartialBodyWriter;
  private readonly pieces: Uint8Array[] = [];
  private ready: Uint8Array[] = [];
  private done = false;

  constructor(sessionKey: Uint8Array, options: SeipdWriteOptions) {
    const spec = CFB_CIPHERS[options.algorithm];
    if (!spec) throw new RekeyError('INTERNAL', `No CFB cipher for ${options.algorithm}`);
    if (sessionKey.length !== spec.keySize) {
      throw new RekeyError(
        'INTERNAL',
        `A ${options.algorithm} session key has ${spec.keySize} bytes`,
      );
    }
    const partLog2 = options.partLog2 ?? DEFAULT_PART_LOG2;
    // OpenPGP CFB (RFC 4880 §13.9) for SEIPD: a zero IV and no resync, which is plain CFB.
    this.cipher = createCipheriv(spec.name, sessionKey, Buffer.alloc(spec.blockSize));
    this.seipd = new PartialBodyWriter(TAG_SEIPD, partLog2);
    this.literal = new PartialBodyWriter(TAG_LITERAL, partLog2);
    this.seipd.write(Buffer.from([SEIPD_VERSION]), this.ready); // outside the encryption
    // Random prefix whose last two bytes repeat: the quick check of a session key.
    const bs = spec.blockSize;
    const prefix = randomBytes(bs + 2);
    prefix[bs] = prefix[bs - 2] ?? 0;
    prefix[bs + 1] = prefix[bs - 1] ?? 0;
    this.seal([prefix]);
    const header = Buffer.alloc(6);
    header[0] = LITERAL_BINARY;
    header[1] = 0; // no file name: the tar inside names its files
    header.writeUInt32BE(Math.floor((options.date ?? new Date()).getTime() / 1000) >>> 0, 2);
    this.literal.write(header, this.pieces);
  }

  /** Adds plaintext; returns the bytes of the packet that are ready. */
  update(chunk: Uint8Array): Uint8Array[] {
    if (this.done) throw new RekeyError('INTERNAL', 'The encryption has ended');
    this.literal.write(chunk, this.pieces);
    if (this.pieces.length > 0) {
      this.seal(this.pieces);
      this.pieces.length = 0;
    }
    return this.take();
  }

  /** Ends the plaintext: the last parts and the MDC. */
  final(): Uint8Array[] {
    if (this.done) throw new RekeyError('INTERNAL', 'The encryption has ended');
    this.done = true;
    this.literal.end(this.pieces);
    this.seal(this.pieces);
    this.mdc.update(MDC_HEADER);
    const digest = this.mdc.digest();
    this.seipd.write(this.cipher.update(Buffer.concat([MDC_HEADER, digest])), this.ready);
    const rest = this.cipher.final();
    if (rest.length > 0) this.seipd.write(rest, this.ready); // CFB is a stream mode: nothing is left
    this.seipd.end(this.ready);
    return this.take();
  }

  /** Plaintext of the SEIPD body: hashed for the MDC, encrypted, framed. */
  private seal(pieces: readonly Uint8Array[]): void {
    for (const piece of pieces) {
      this.mdc.update(piece);
      this.seipd.write(this.cipher.update(piece), this.ready);
    }
  }

  /**
   * What is framed so far, as it is: joining the pieces into one buffer per part would copy
   * every byte once more, and the GC of those buffers cost more than the extra chunks.
   */
  private take(): Uint8Array[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }
}

/**
 * The SEIPD v1 packet of `plaintext` under `sessionKey`, as an async generator over
 * SeipdV1Encryptor: pulls `plaintext` only as fast as its output is taken. An error of
 * `plaintext` is thrown from here before the last part and the MDC are written.
 */
export async function* encryptSeipdV1(
  plaintext: AsyncIterable<Uint8Array>,
  sessionKey: Uint8Array,
  options: SeipdWriteOptions,
): AsyncGenerator<Uint8Array> {
  const encryptor = new SeipdV1Encryptor(sessionKey, options);
  for await (const chunk of plaintext) yield* encryptor.update(chunk);
  yield* encryptor.final();
}
