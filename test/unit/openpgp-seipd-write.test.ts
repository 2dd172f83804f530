import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { decryptStream } from '../../src/main/backup/openpgp';
import {
  ByteReader,
  decryptSeipdV1,
  packetBody,
  readPacketHeader,
} from '../../src/main/backup/openpgp-seipd';
import {
  DEFAULT_PART_LOG2,
  PartialBodyWriter,
  encryptSeipdV1,
} from '../../src/main/backup/openpgp-seipd-write';
import { type FramedPart, readFramedPacket } from '../helpers/openpgp-framing';

/**
 * The SEIPD v1 writer: partial-length framing at every boundary of both packets (the SEIPD
 * packet and the literal packet inside it), read back by our decryptor; a failing plaintext
 * never ends in a complete message; input is pulled only as output is taken. GnuPG reading the
 * same output is in test/integration/openpgp-interop.test.ts.
 */

const PASSPHRASE = 'writer test passphrase';
const SMALL = 9; // 512-byte parts, the smallest RFC 4880 allows: boundaries at small sizes
const P = 2 ** SMALL;
const MiB = 1024 * 1024;

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

async function* from(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

/** What a reader must find: every partial part of exactly 2^log2, then one definite part. */
function expectFraming(framing: FramedPart[], log2: number, bodyLength: number): void {
  const last = framing[framing.length - 1];
  expect(last?.partial).toBe(false);
  for (const part of framing.slice(0, -1))
    expect(part).toEqual({ length: 2 ** log2, partial: true });
  // The last part is empty only when the whole body is; a body of one part has no partials.
  if (bodyLength > 0) expect(last?.length).toBeGreaterThan(0);
  expect(framing.length).toBe(Math.max(1, Math.ceil(bodyLength / 2 ** log2)));
}

const sessionKey = randomBytes(32);

async function seipd(plaintext: Buffer, chunk: number, partLog2 = SMALL, date?: Date) {
  return collect(
    encryptSeipdV1(from(pieces(plaintext, chunk)), sessionKey, {
      algorithm: 'aes256',
      partLog2,
      date,
    }),
  );
}

/** The inner message: decrypted by our decryptor (MDC checked) from the framed packet. */
async function innerMessage(packet: Buffer): Promise<Buffer> {
  const reader = new ByteReader(from([packet])[Symbol.asyncIterator]());
  const header = await readPacketHeader(reader);
  return collect(decryptSeipdV1(packetBody(reader, header), 'aes256', sessionKey));
}

describe('PartialBodyWriter', () => {
  function framed(sizes: number[], log2 = SMALL): { bytes: Buffer; body: Buffer } {
    const writer = new PartialBodyWriter(11, log2);
    const out: Uint8Array[] = [];
    const body = randomBytes(sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const size of sizes) {
      writer.write(body.subarray(at, at + size), out);
      at += size;
    }
    writer.end(out);
    return { bytes: Buffer.concat(out), body };
  }

  it.each([0, 1, 191, 192, 8383, 8384, P - 1, P, P + 1, 2 * P, 2 * P + 1, 5 * P + 3])(
    'a body of %i bytes: partial parts of 2^k, a definite last part, the bytes unchanged',
    (size) => {
      for (const split of [[size], pieces(Buffer.alloc(size), 7).map((b) => b.length)]) {
        const log2 = size > 4 * P ? 10 : SMALL;
        const { bytes, body } = framed(split, log2);
        const read = readFramedPacket(bytes);
        expect(read.tag).toBe(11);
        expect(read.end).toBe(bytes.length);
        expect(read.body.equals(body)).toBe(true);
        expectFraming(read.parts, log2, size);
      }
    },
  );

  it('definite lengths use the shortest encoding (1, 2 or 5 bytes)', () => {
    expect(framed([191]).bytes.length).toBe(1 + 1 + 191);
    expect(framed([192], 13).bytes.length).toBe(1 + 2 + 192);
    expect(framed([8383], 14).bytes.length).toBe(1 + 2 + 8383);
    expect(framed([8384], 14).bytes.length).toBe(1 + 5 + 8384);
  });

  it('refuses parts smaller than 512 bytes or larger than 2^30', () => {
    expect(() => new PartialBodyWriter(11, 8)).toThrow();
    expect(() => new PartialBodyWriter(11, 31)).toThrow();
  });
});

describe('encryptSeipdV1 framing at boundaries, read back by our decryptor', () => {
  it('every size from 0 to 3 parts + 64, in one chunk and in odd chunks', async () => {
    const seen = { literalAt: new Set<number>(), seipdAt: new Set<number>() };
    const date = new Date('2024-05-06T07:08:09.987Z');
    for (let size = 0; size <= 3 * P + 64; size++) {
      const plaintext = randomBytes(size);
      for (const chunk of size % 5 === 0 ? [Math.max(1, size), 37] : [Math.max(1, size)]) {
        const packet = await seipd(plaintext, chunk, SMALL, date);
        const outer = readFramedPacket(packet);
        expect(outer.tag).toBe(18);
        expect(outer.end).toBe(packet.length);
        expect(outer.body[0]).toBe(1); // version, in clear
        expectFraming(outer.parts, SMALL, outer.body.length);
        const inner = await innerMessage(packet);
        const literal = readFramedPacket(inner);
        expect(literal.tag).toBe(11);
        expect(literal.end).toBe(inner.length);
        expectFraming(literal.parts, SMALL, literal.body.length);
        expect(literal.body[0]).toBe(0x62); // 'b'
        expect(literal.body[1]).toBe(0); // no file name
        expect(literal.body.readUInt32BE(2)).toBe(Math.floor(date.getTime() / 1000));
        expect(literal.body.subarray(6).equals(plaintext)).toBe(true);
        seen.literalAt.add(literal.body.length % P);
        seen.seipdAt.add(outer.body.length % P);
      }
    }
    // The sweep crossed each packet's part boundaries: exactly a multiple, and one past it.
    for (const set of [seen.literalAt, seen.seipdAt]) {
      expect(set.has(0)).toBe(true);
      expect(set.has(1)).toBe(true);
    }
  }, 60_000);

  it.each([
    ['0 bytes', 0],
    ['1 byte', 1],
    ['a literal body of exactly one part', MiB - 6],
    ['one part + 1', MiB - 5],
    ['several parts', 3 * MiB + 17],
  ])('default 1 MiB parts, through decryptStream with the passphrase: %s', async (_label, size) => {
    const plaintext = randomBytes(size);
    const keyPackets = await openpgp.encryptSessionKey({
      data: sessionKey,
      algorithm: 'aes256',
      passwords: [PASSPHRASE],
      format: 'binary',
      config: { aeadProtect: false },
    });
    const packet = await seipd(plaintext, 64 * 1024, DEFAULT_PART_LOG2);
    const outer = readFramedPacket(packet);
    expectFraming(outer.parts, DEFAULT_PART_LOG2, outer.body.length);
    const { data, authenticated } = await decryptStream(
      Readable.from(pieces(Buffer.concat([keyPackets, packet]), 100_000)),
      { passphrase: PASSPHRASE },
    );
    const out = await collect(data);
    await authenticated;
    expect(out.equals(plaintext)).toBe(true);
  });

  it('a changed byte anywhere fails the MDC (the writer hashes what it encrypts)', async () => {
    const packet = await seipd(randomBytes(2 * P + 100), 64);
    expect(readFramedPacket(packet).parts.length).toBeGreaterThan(1);
    for (const at of [40, P, packet.length - 30, packet.length - 1]) {
      const copy = Buffer.from(packet);
      copy[at] = (copy[at] ?? 0) ^ 0x04;
      await expect(innerMessage(copy)).rejects.toMatchObject({ code: 'FORMAT_ERROR' });
    }
  });
});

describe('encryptSeipdV1 streams', () => {
  it('a plaintext error is thrown before the MDC: no complete message comes out', async () => {
    for (const failAfter of [0, 1, P, 3 * P + 5]) {
      const written: Buffer[] = [];
      const failing = (async function* () {
        if (failAfter > 0) yield randomBytes(failAfter);
        throw new Error('disk unplugged');
      })();
      const writer = encryptSeipdV1(failing, sessionKey, { algorithm: 'aes256', partLog2: SMALL });
      await expect(
        (async () => {
          for await (const chunk of writer) written.push(Buffer.from(chunk));
        })(),
      ).rejects.toThrow('disk unplugged');
      // What was written before the error is a packet that ends early: damage, not a message.
      await expect(innerMessage(Buffer.concat(written))).rejects.toMatchObject({
        code: 'FORMAT_ERROR',
      });
    }
  });

  it('pulls the plaintext only as its output is taken (bounded memory)', async () => {
    let pulled = 0;
    const endless = (async function* () {
      for (;;) {
        pulled += 64 * 1024;
        yield Buffer.alloc(64 * 1024);
      }
    })();
    const writer = encryptSeipdV1(endless, sessionKey, { algorithm: 'aes256' });
    let out = 0;
    while (out < 4 * MiB) {
      const next = await writer.next();
      out += next.value?.length ?? 0;
    }
    await writer.return(undefined);
    expect(out).toBeGreaterThanOrEqual(4 * MiB);
    // About one part ahead of what came out, never the whole (endless) input.
    expect(pulled).toBeLessThanOrEqual(out + 2 * MiB);
  });

  it('refuses a session key of the wrong size or an unknown cipher', async () => {
    await expect(
      collect(encryptSeipdV1(from([]), randomBytes(16), { algorithm: 'aes256' })),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(
      collect(encryptSeipdV1(from([]), sessionKey, { algorithm: 'cast5' })),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
