import { crc32 } from 'node:zlib';
import { SEAL_OVERHEAD, open, sha256 } from './crypto';
import { VaultDamagedError } from './errors';

/**
 * Records follow the header back to back, each in a frame:
 *
 *   u32 LE  sealed length N
 *   u32 LE  crc32 of the length field
 *   N bytes sealed record (nonce | ciphertext | tag)
 *
 * The length checksum separates "the file ends inside the last frame" (a torn append,
 * dropped on open) from "a length field was changed" (damage, reported with its record).
 */
export const FRAME_HEADER_LENGTH = 8;
const MAX_SEALED_LENGTH = 256 * 1024 * 1024;

export interface Frame {
  index: number;
  offset: number;
  /** The whole frame, header included: what the next record's chain hash covers. */
  bytes: Buffer;
  sealed: Buffer;
}

export interface FrameScan {
  frames: Frame[];
  /** Bytes taken by complete frames: the next append goes right after them. */
  consumed: number;
  /** Bytes after them that do not form a complete frame, left by an interrupted append. */
  tornBytes: number;
}

export function encodeFrame(sealed: Buffer): Buffer {
  const frame = Buffer.alloc(FRAME_HEADER_LENGTH + sealed.length);
  frame.writeUInt32LE(sealed.length, 0);
  frame.writeUInt32LE(crc32(frame.subarray(0, 4)), 4);
  sealed.copy(frame, FRAME_HEADER_LENGTH);
  return frame;
}

function isAllZero(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

/**
 * Splits `bytes` (the part of the file that starts at `baseOffset`) into frames. Offsets in
 * the result and in errors are offsets in the file.
 */
export function scanFrames(bytes: Buffer, baseOffset: number, firstIndex: number): FrameScan {
  const frames: Frame[] = [];
  let at = 0;
  while (at < bytes.length) {
    const index = firstIndex + frames.length;
    const offset = baseOffset + at;
    if (bytes.length - at < FRAME_HEADER_LENGTH) break;
    const length = bytes.readUInt32LE(at);
    if (bytes.readUInt32LE(at + 4) !== crc32(bytes.subarray(at, at + 4))) {
      // A file system may extend a file with zeros before the data of a crashed append lands.
      if (isAllZero(bytes.subarray(at))) break;
      throw new VaultDamagedError({ record: index, offset }, 'frame checksum mismatch');
    }
    if (length <= SEAL_OVERHEAD || length > MAX_SEALED_LENGTH) {
      throw new VaultDamagedError({ record: index, offset }, 'frame length out of range');
    }
    const frameEnd = at + FRAME_HEADER_LENGTH + length;
    if (frameEnd > bytes.length) break;
    frames.push({
      index,
      offset,
      bytes: bytes.subarray(at, frameEnd),
      sealed: bytes.subarray(at + FRAME_HEADER_LENGTH, frameEnd),
    });
    at = frameEnd;
  }
  return { frames, consumed: at, tornBytes: bytes.length - at };
}

const RECORD_CONTEXT = Buffer.from('rekey-rec-v1', 'latin1');

/** The first record chains to a value only this vault has, so records cannot move between vaults. */
export function genesisHash(vaultId: Buffer): Buffer {
  return sha256(Buffer.from('rekey-genesis-v1', 'latin1'), vaultId);
}

/**
 * The chain value after a frame: it commits to that frame and, through `previous`, to every
 * frame before it. A record sealed with it therefore vouches for the whole file up to itself,
 * which lets a reader authenticate archived records without decrypting them.
 */
export function chainHash(previous: Buffer, frame: Buffer): Buffer {
  return sha256(previous, frame);
}

/** Associated data binding a record to its vault, its position and everything before it. */
export function recordAad(vaultId: Buffer, index: number, previousHash: Buffer): Buffer {
  const position = Buffer.alloc(8);
  position.writeBigUInt64LE(BigInt(index));
  return Buffer.concat([RECORD_CONTEXT, vaultId, position, previousHash]);
}

export function openFrame(
  vaultKey: Buffer,
  vaultId: Buffer,
  frame: Frame,
  previousHash: Buffer,
): Buffer {
  const plaintext = open(vaultKey, frame.sealed, recordAad(vaultId, frame.index, previousHash));
  if (!plaintext) {
    throw new VaultDamagedError(
      { record: frame.index, offset: frame.offset },
      'record does not authenticate (altered, reordered or from another vault)',
    );
  }
  return plaintext;
}
