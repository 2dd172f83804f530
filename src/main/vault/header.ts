import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { type KdfParams, checkKdfCost } from './kdf';
import { VaultDamagedError, newerFormat, notAVault } from './errors';

/**
 * The vault header, format version 1.
 *
 *   0  magic "REKEYVLT"            8 bytes
 *   8  format version             u16 LE
 *  10  flags (0)                  u16 LE
 *  12  crc32 of bytes 0..12       u32 LE
 *  16  body length L              u32 LE
 *  20  body: JSON, UTF-8          L bytes
 *  20+L crc32 of bytes 16..20+L   u32 LE
 *
 * The 16-byte prefix keeps this layout in every future version so that a newer file is
 * recognised as newer rather than as damaged. The checksums tell damage apart from a wrong
 * password: a header that passes them and still does not unwrap means the password is wrong.
 */
export const MAGIC = Buffer.from('REKEYVLT', 'latin1');
export const FORMAT_VERSION = 1;
const PREFIX_LENGTH = 16;
const MAX_BODY_LENGTH = 64 * 1024;

export interface VaultHeader {
  vaultId: Buffer;
  createdAt: string;
  kdf: KdfParams;
  wrappedKey: Buffer;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const headerBodySchema = z.strictObject({
  vaultId: base64,
  createdAt: z.iso.datetime(),
  kdf: z.strictObject({
    algorithm: z.literal('argon2id'),
    version: z.literal(19),
    memoryKiB: z.number().int(),
    iterations: z.number().int(),
    parallelism: z.number().int(),
    salt: base64,
  }),
  wrappedKey: base64,
});

export function encodeHeader(header: VaultHeader): Buffer {
  const body = Buffer.from(
    JSON.stringify({
      vaultId: header.vaultId.toString('base64'),
      createdAt: header.createdAt,
      kdf: { ...header.kdf, salt: header.kdf.salt.toString('base64') },
      wrappedKey: header.wrappedKey.toString('base64'),
    }),
    'utf8',
  );
  const bytes = Buffer.alloc(PREFIX_LENGTH + 4 + body.length + 4);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt16LE(FORMAT_VERSION, 8);
  bytes.writeUInt16LE(0, 10);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 12)), 12);
  bytes.writeUInt32LE(body.length, 16);
  body.copy(bytes, 20);
  bytes.writeUInt32LE(crc32(bytes.subarray(16, 20 + body.length)), 20 + body.length);
  return bytes;
}

/** Counts differing bytes so that a flipped magic byte reads as damage, not as "not a vault". */
function magicDistance(bytes: Buffer): number {
  let distance = 0;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) distance++;
  return distance;
}

export function decodeHeader(bytes: Buffer, path: string): { header: VaultHeader; length: number } {
  if (bytes.length < MAGIC.length || magicDistance(bytes) > 2) throw notAVault(path);
  if (bytes.length < PREFIX_LENGTH + 4) {
    throw new VaultDamagedError({ offset: 0 }, 'file ends inside the header');
  }
  if (magicDistance(bytes) > 0 || bytes.readUInt32LE(12) !== crc32(bytes.subarray(0, 12))) {
    throw new VaultDamagedError({ offset: 0 }, 'header prefix checksum mismatch');
  }
  const version = bytes.readUInt16LE(8);
  if (version > FORMAT_VERSION) throw newerFormat(version, FORMAT_VERSION);
  if (version < 1) throw new VaultDamagedError({ offset: 8 }, `unknown format version ${version}`);

  const bodyLength = bytes.readUInt32LE(16);
  const end = 20 + bodyLength + 4;
  if (bodyLength > MAX_BODY_LENGTH || end > bytes.length) {
    throw new VaultDamagedError({ offset: 16 }, 'header length out of range');
  }
  if (bytes.readUInt32LE(20 + bodyLength) !== crc32(bytes.subarray(16, 20 + bodyLength))) {
    throw new VaultDamagedError({ offset: 16 }, 'header checksum mismatch');
  }
  return { header: parseBody(bytes.subarray(20, 20 + bodyLength)), length: end };
}

function parseBody(body: Buffer): VaultHeader {
  let parsed: z.infer<typeof headerBodySchema>;
  try {
    parsed = headerBodySchema.parse(JSON.parse(body.toString('utf8')));
  } catch {
    throw new VaultDamagedError({ offset: 20 }, 'header fields are not valid');
  }
  const kdf: KdfParams = { ...parsed.kdf, salt: Buffer.from(parsed.kdf.salt, 'base64') };
  try {
    checkKdfCost(kdf);
  } catch {
    throw new VaultDamagedError({ offset: 20 }, 'key derivation parameters out of range');
  }
  const vaultId = Buffer.from(parsed.vaultId, 'base64');
  if (vaultId.length !== 16 || kdf.salt.length < 16) {
    throw new VaultDamagedError({ offset: 20 }, 'vault id or salt has the wrong length');
  }
  return {
    vaultId,
    createdAt: parsed.createdAt,
    kdf,
    wrappedKey: Buffer.from(parsed.wrappedKey, 'base64'),
  };
}
