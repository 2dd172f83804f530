/**
 * Reads the new-format length headers of one OpenPGP packet (RFC 4880 §4.2.2), written
 * independently of the code under test so that tests can check the framing Rekey writes.
 */

export interface FramedPart {
  length: number;
  partial: boolean;
}

export interface FramedPacket {
  tag: number;
  parts: FramedPart[];
  /** The body, its parts joined. */
  body: Buffer;
  /** Offset just past the packet in the input. */
  end: number;
}

/** The packet at the start of `bytes`; throws when it is not new-format or ends early. */
export function readFramedPacket(bytes: Buffer): FramedPacket {
  const first = bytes[0];
  if (first === undefined || (first & 0xc0) !== 0xc0) {
    throw new Error('not a new-format packet header');
  }
  const parts: FramedPart[] = [];
  const body: Buffer[] = [];
  let at = 1;
  for (;;) {
    const o1 = bytes[at];
    if (o1 === undefined) throw new Error('the packet ends inside a length header');
    let length: number;
    let partial = false;
    if (o1 < 192) {
      length = o1;
      at += 1;
    } else if (o1 < 224) {
      length = ((o1 - 192) << 8) + (bytes[at + 1] ?? 0) + 192;
      at += 2;
    } else if (o1 === 255) {
      length = bytes.readUInt32BE(at + 1);
      at += 5;
    } else {
      length = 2 ** (o1 & 0x1f);
      partial = true;
      at += 1;
    }
    if (at + length > bytes.length) throw new Error('the packet ends inside its body');
    parts.push({ length, partial });
    body.push(bytes.subarray(at, at + length));
    at += length;
    if (!partial) return { tag: first & 0x3f, parts, body: Buffer.concat(body), end: at };
  }
}
