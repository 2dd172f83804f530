import { createDecipheriv } from 'node:crypto';

/**
 * Just enough of the OpenPGP packet framing (RFC 4880 §4.2, RFC 9580 §4.2) to find the start
 * of the encrypted data in a message, so that a candidate session key can be checked against
 * the "quick check" bytes of a SEIPD v1 packet before any plaintext is released. openpgp.js
 * does not do this check (it decrypts with whatever key comes out of the key packet), and with
 * a wrong passphrase on a GnuPG-made message that key is simply wrong: without the check a
 * wrong passphrase would look like a damaged file, or, rarely, start releasing garbage.
 */

/** Packet tags we meet before the encrypted data. */
const TAG_PKESK = 1;
const TAG_SKESK = 3;
const TAG_SED = 9;
const TAG_MARKER = 10;
const TAG_SEIPD = 18;
const TAG_AEAD = 20;
/** Tag 21 is the padding packet of RFC 9580; harmless before the data. */
const TAG_PADDING = 21;

/** How far we look for the encrypted data before calling the input "not an OpenPGP message". */
export const MAX_PREFIX_BYTES = 1024 * 1024;

export type PrefixScan =
  /** The bytes so far end inside the key packets or the data packet header: read more. */
  | { kind: 'more' }
  /** Not the start of a binary OpenPGP encrypted message. */
  | { kind: 'invalid'; reason: string }
  | {
      kind: 'found';
      /** Tag of the encrypted data packet: 18 (SEIPD), 20 (AEAD, draft) or 9 (no integrity). */
      dataTag: number;
      /** Offset of the encrypted data packet's header: the key packets lie before it. */
      dataOffset: number;
      /** SEIPD version (1 or 2), when dataTag is 18 and the version byte has been seen. */
      seipdVersion?: number;
      /** The first bytes of the SEIPD v1 ciphertext (after the version byte), up to 18. */
      quickCheckBytes?: Uint8Array;
      /** Tags of the session key packets before the data (1 = public key, 3 = passphrase). */
      sessionKeyTags: number[];
    };

interface Header {
  tag: number;
  /** Offset of the first body byte. */
  bodyStart: number;
  /** Body length; for a partial length, the length of the first part; null: to the end. */
  length: number | null;
  partial: boolean;
}

/** An unsigned big-endian number of `size` bytes at `pos` (the caller checked the length). */
function bigEndian(bytes: Uint8Array, pos: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + (bytes[pos + i] ?? 0);
  return value;
}

/** Parses one packet header at `pos`; `null` when `bytes` ends inside it. */
function readHeader(bytes: Uint8Array, pos: number): Header | null | { invalid: string } {
  const first = bytes[pos];
  if (first === undefined) return null;
  if ((first & 0x80) === 0) return { invalid: 'a packet header is missing its marker bit' };
  if ((first & 0x40) !== 0) {
    // New format: tag in the low six bits, then a one-, two- or five-octet length.
    const tag = first & 0x3f;
    const o1 = bytes[pos + 1];
    if (o1 === undefined) return null;
    if (o1 < 192) return { tag, bodyStart: pos + 2, length: o1, partial: false };
    if (o1 < 224) {
      const o2 = bytes[pos + 2];
      if (o2 === undefined) return null;
      return { tag, bodyStart: pos + 3, length: ((o1 - 192) << 8) + o2 + 192, partial: false };
    }
    if (o1 === 255) {
      if (pos + 6 > bytes.length) return null;
      const length = bigEndian(bytes, pos + 2, 4);
      return { tag, bodyStart: pos + 6, length, partial: false };
    }
    return { tag, bodyStart: pos + 2, length: 1 << (o1 & 0x1f), partial: true };
  }
  // Old format: tag in bits 5..2, length type in bits 1..0.
  const tag = (first >> 2) & 0x0f;
  const lengthType = first & 0x03;
  if (lengthType === 3) return { tag, bodyStart: pos + 1, length: null, partial: false };
  const size = lengthType === 0 ? 1 : lengthType === 1 ? 2 : 4;
  if (pos + 1 + size > bytes.length) return null;
  const length = bigEndian(bytes, pos + 1, size);
  return { tag, bodyStart: pos + 1 + size, length, partial: false };
}

/**
 * Looks for the encrypted data packet in the first bytes of a binary message. Call again with
 * more bytes while it answers `more`.
 */
export function scanMessagePrefix(bytes: Uint8Array): PrefixScan {
  if (bytes.length > 0 && bytes[0] === 0x2d /* '-' */) {
    return {
      kind: 'invalid',
      reason: 'it is ASCII-armored; Rekey reads binary OpenPGP messages (use gpg --dearmor)',
    };
  }
  const sessionKeyTags: number[] = [];
  let pos = 0;
  for (;;) {
    const header = readHeader(bytes, pos);
    if (header === null) return { kind: 'more' };
    if ('invalid' in header) return { kind: 'invalid', reason: header.invalid };
    const { tag } = header;
    if (tag === TAG_PKESK || tag === TAG_SKESK || tag === TAG_MARKER || tag === TAG_PADDING) {
      if (header.partial || header.length === null) {
        return { kind: 'invalid', reason: 'a key packet has no definite length' };
      }
      if (tag === TAG_PKESK || tag === TAG_SKESK) sessionKeyTags.push(tag);
      pos = header.bodyStart + header.length;
      if (pos > bytes.length) return { kind: 'more' };
      continue;
    }
    if (tag === TAG_SEIPD || tag === TAG_AEAD || tag === TAG_SED) {
      if (sessionKeyTags.length === 0) {
        return { kind: 'invalid', reason: 'it has no passphrase or public-key packet' };
      }
      if (tag !== TAG_SEIPD)
        return { kind: 'found', dataTag: tag, dataOffset: pos, sessionKeyTags };
      // Version byte, then (v1) the CFB ciphertext whose first block+2 bytes hold the quick check.
      const available = header.length === null ? Infinity : header.length;
      const wanted = Math.min(available, 1 + 18);
      if (bytes.length - header.bodyStart < wanted) {
        // A partial first part is at least 512 bytes, so `wanted` lies inside it.
        return { kind: 'more' };
      }
      const version = bytes[header.bodyStart];
      if (version === undefined) return { kind: 'more' };
      if (version !== 1 && version !== 2) {
        return {
          kind: 'invalid',
          reason: `its encrypted data has an unknown version (${version})`,
        };
      }
      if (version !== 1) {
        return {
          kind: 'found',
          dataTag: tag,
          dataOffset: pos,
          seipdVersion: version,
          sessionKeyTags,
        };
      }
      return {
        kind: 'found',
        dataTag: tag,
        dataOffset: pos,
        seipdVersion: 1,
        quickCheckBytes: bytes.slice(header.bodyStart + 1, header.bodyStart + wanted),
        sessionKeyTags,
      };
    }
    return {
      kind: 'invalid',
      reason: `it does not start with encrypted data (packet type ${tag})`,
    };
  }
}

export const CFB_CIPHERS: Readonly<
  Record<string, { name: string; blockSize: number; keySize: number }>
> = {
  aes128: { name: 'aes-128-cfb', blockSize: 16, keySize: 16 },
  aes192: { name: 'aes-192-cfb', blockSize: 16, keySize: 24 },
  aes256: { name: 'aes-256-cfb', blockSize: 16, keySize: 32 },
  tripledes: { name: 'des-ede3-cfb', blockSize: 8, keySize: 24 },
};

/**
 * The OpenPGP quick check (RFC 4880 §5.13): the random prefix of a SEIPD v1 packet repeats its
 * last two bytes, so a wrong session key shows at once (a right one always passes; a wrong one
 * passes with probability 2^-16). `undefined` when the cipher or the bytes do not allow it.
 */
export function quickCheck(
  algorithm: string | null,
  sessionKey: Uint8Array,
  ciphertext: Uint8Array,
): boolean | undefined {
  const cipher = algorithm === null ? undefined : CFB_CIPHERS[algorithm];
  if (!cipher || ciphertext.length < cipher.blockSize + 2) return undefined;
  // A key of the wrong size for its algorithm comes from a wrong passphrase (garbage decrypted).
  if (sessionKey.length !== cipher.keySize) return false;
  let prefix: Buffer;
  try {
    const decipher = createDecipheriv(cipher.name, sessionKey, Buffer.alloc(cipher.blockSize));
    prefix = decipher.update(ciphertext.subarray(0, cipher.blockSize + 2));
  } catch {
    return undefined; // a cipher this OpenSSL does not offer
  }
  const bs = cipher.blockSize;
  return prefix[bs - 2] === prefix[bs] && prefix[bs - 1] === prefix[bs + 1];
}
