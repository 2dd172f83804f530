import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decryptStream,
  describeKey,
  encryptStream,
  generateKeyPair,
  type DecryptWith,
  type EncryptTo,
} from '../../src/main/backup/openpgp';
import { quickCheck, scanMessagePrefix } from '../../src/main/backup/openpgp-packets';
import { RekeyError } from '../../src/shared/errors';

const PASSPHRASE = 'correct horse battery staple';
const MiB = 1024 * 1024;

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stream that hands out `bytes` in chunks of a few sizes, as files and sockets do. */
function chunked(bytes: Buffer, size = 65_536): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
  return Readable.from(parts);
}

async function encrypt(plaintext: Buffer, to: EncryptTo): Promise<Buffer> {
  return collect(await encryptStream(chunked(plaintext, 50_000), to));
}

type Outcome =
  | { kind: 'ok'; plaintext: Buffer }
  | { kind: 'refused'; error: RekeyError }
  | { kind: 'failed'; released: number; dataError: RekeyError; authError: RekeyError };

/** Decrypts and reports how it ended: refused up front, failed while streaming, or ok. */
async function decrypt(ciphertext: Buffer, using: DecryptWith): Promise<Outcome> {
  let result: Awaited<ReturnType<typeof decryptStream>>;
  try {
    result = await decryptStream(chunked(ciphertext, 40_000), using);
  } catch (error) {
    expect(error).toBeInstanceOf(RekeyError);
    return { kind: 'refused', error: error as RekeyError };
  }
  const authOutcome = result.authenticated.then(
    () => null,
    (error: unknown) => error as RekeyError,
  );
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of result.data) chunks.push(chunk as Buffer);
  } catch (dataError) {
    const authError = await authOutcome;
    expect(authError).toBeInstanceOf(RekeyError);
    expect(dataError).toBeInstanceOf(RekeyError);
    return {
      kind: 'failed',
      released: Buffer.concat(chunks).length,
      dataError: dataError as RekeyError,
      authError: authError as RekeyError,
    };
  }
  // The data ended: `authenticated` must have resolved (it settles before the end).
  expect(await authOutcome).toBeNull();
  return { kind: 'ok', plaintext: Buffer.concat(chunks) };
}

async function expectPlaintext(ciphertext: Buffer, using: DecryptWith, expected: Buffer) {
  const outcome = await decrypt(ciphertext, using);
  if (outcome.kind !== 'ok')
    throw new Error(`expected a plaintext, got ${JSON.stringify(outcome)}`);
  expect(outcome.plaintext.equals(expected)).toBe(true);
}

async function expectRefused(ciphertext: Buffer, using: DecryptWith): Promise<RekeyError> {
  const outcome = await decrypt(ciphertext, using);
  if (outcome.kind !== 'refused') throw new Error(`expected a refusal, got ${outcome.kind}`);
  return outcome.error;
}

/** What openpgp.js sees inside a message: session key algorithm and the packets inside. */
async function inspect(ciphertext: Buffer, passphrase: string) {
  const message = await openpgp.readMessage({ binaryMessage: new Uint8Array(ciphertext) });
  const [sessionKey] = await openpgp.decryptSessionKeys({ message, passwords: [passphrase] });
  const decrypted = await message.decrypt(undefined, [passphrase]);
  return {
    algorithm: sessionKey?.algorithm,
    innerTags: decrypted.packets.map(
      (packet) => (packet.constructor as unknown as { tag: number }).tag,
    ),
  };
}

let alice: Awaited<ReturnType<typeof generateKeyPair>>;
let bob: Awaited<ReturnType<typeof generateKeyPair>>;
let carol: Awaited<ReturnType<typeof generateKeyPair>>;

beforeAll(async () => {
  [alice, bob, carol] = await Promise.all([
    generateKeyPair({
      name: 'Alice Backup',
      email: 'alice@example.com',
      passphrase: 'alice key pw',
    }),
    generateKeyPair({ name: 'Bob Backup' }),
    generateKeyPair({ name: 'Carol', email: 'carol@example.com' }),
  ]);
});

describe('encryptStream / decryptStream round trips', () => {
  it.each([
    ['0 bytes', 0],
    ['1 byte', 1],
    ['5 MiB', 5 * MiB],
  ])('passphrase: %s', async (_label, size) => {
    const plaintext = randomBytes(size);
    const ciphertext = await encrypt(plaintext, { passphrase: PASSPHRASE });
    await expectPlaintext(ciphertext, { passphrase: PASSPHRASE }, plaintext);
  });

  it('writes SEIPD v1 (MDC), AES-256, a passphrase packet, no compression', async () => {
    const plaintext = Buffer.from('a'.repeat(100_000)); // compressible: would shrink if compressed
    const ciphertext = await encrypt(plaintext, { passphrase: PASSPHRASE });
    expect(ciphertext.length).toBeGreaterThan(plaintext.length);
    const scan = scanMessagePrefix(ciphertext);
    expect(scan).toMatchObject({
      kind: 'found',
      dataTag: 18,
      seipdVersion: 1,
      sessionKeyTags: [3],
    });
    const inside = await inspect(ciphertext, PASSPHRASE);
    expect(inside.algorithm).toBe('aes256');
    expect(inside.innerTags).toEqual([openpgp.enums.packet.literalData]);
  });

  it('one recipient', async () => {
    const plaintext = randomBytes(300_000);
    const ciphertext = await encrypt(plaintext, { recipients: [bob.publicKey] });
    expect(scanMessagePrefix(ciphertext)).toMatchObject({ seipdVersion: 1, sessionKeyTags: [1] });
    await expectPlaintext(ciphertext, { privateKey: { armored: bob.privateKey } }, plaintext);
  });

  it('two recipients: each decrypts alone', async () => {
    const plaintext = randomBytes(200_000);
    const ciphertext = await encrypt(plaintext, { recipients: [alice.publicKey, bob.publicKey] });
    await expectPlaintext(
      ciphertext,
      { privateKey: { armored: alice.privateKey, passphrase: 'alice key pw' } },
      plaintext,
    );
    await expectPlaintext(ciphertext, { privateKey: { armored: bob.privateKey } }, plaintext);
    const notCarol = await expectRefused(ciphertext, { privateKey: { armored: carol.privateKey } });
    expect(notCarol.code).toBe('INVALID_INPUT');
  });

  it('passphrase and recipient: either opens it', async () => {
    const plaintext = randomBytes(123_457);
    const ciphertext = await encrypt(plaintext, {
      passphrase: PASSPHRASE,
      recipients: [bob.publicKey],
    });
    expect(scanMessagePrefix(ciphertext)).toMatchObject({ sessionKeyTags: [1, 3] });
    await expectPlaintext(ciphertext, { passphrase: PASSPHRASE }, plaintext);
    await expectPlaintext(ciphertext, { privateKey: { armored: bob.privateKey } }, plaintext);
    // A wrong key next to the right passphrase still opens it.
    await expectPlaintext(
      ciphertext,
      { passphrase: PASSPHRASE, privateKey: { armored: carol.privateKey } },
      plaintext,
    );
  });

  it('stays SEIPD v1 / AES-256 even for a recipient key that advertises AEAD (SEIPD v2)', async () => {
    const aeadKey = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'AEAD fan' }],
      format: 'armored',
      config: { aeadProtect: true, preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes128 },
    });
    const plaintext = randomBytes(10_000);
    const ciphertext = await encrypt(plaintext, {
      recipients: [aeadKey.publicKey],
      passphrase: PASSPHRASE,
    });
    expect(scanMessagePrefix(ciphertext)).toMatchObject({ seipdVersion: 1 });
    expect((await inspect(ciphertext, PASSPHRASE)).algorithm).toBe('aes256');
    await expectPlaintext(ciphertext, { privateKey: { armored: aeadKey.privateKey } }, plaintext);
  });
});

describe('reads what other OpenPGP writers make', () => {
  const plaintext = Buffer.concat([randomBytes(300_000), Buffer.alloc(300_000, 'z')]);

  async function openpgpMessage(config: openpgp.PartialConfig, signed = false): Promise<Buffer> {
    const signingKey = signed
      ? await openpgp.readPrivateKey({ armoredKey: bob.privateKey })
      : undefined;
    const message = await openpgp.createMessage({ binary: new Uint8Array(plaintext) });
    const encrypted = await openpgp.encrypt({
      message,
      passwords: [PASSPHRASE],
      ...(signingKey ? { signingKeys: [signingKey] } : {}),
      format: 'binary',
      config,
    });
    return Buffer.from(encrypted);
  }

  it.each([
    ['ZIP-compressed', { preferredCompressionAlgorithm: openpgp.enums.compression.zip }],
    ['ZLIB-compressed', { preferredCompressionAlgorithm: openpgp.enums.compression.zlib }],
    ['AES-128', { preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes128 }],
    ['SEIPD v2 (AEAD, OCB)', { aeadProtect: true }],
  ])('%s', async (_label, config) => {
    const ciphertext = await openpgpMessage(config);
    await expectPlaintext(ciphertext, { passphrase: PASSPHRASE }, plaintext);
  });

  it('signed and compressed (one-pass signature + literal + signature, inside ZLIB)', async () => {
    const ciphertext = await openpgpMessage(
      { preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
      true,
    );
    await expectPlaintext(ciphertext, { passphrase: PASSPHRASE }, plaintext);
  });

  it('SEIPD v2 damaged at the end: rejected', async () => {
    const ciphertext = await openpgpMessage({ aeadProtect: true });
    ciphertext[ciphertext.length - 1] = (ciphertext[ciphertext.length - 1] ?? 0) ^ 1;
    const outcome = await decrypt(ciphertext, { passphrase: PASSPHRASE });
    expect(outcome.kind).not.toBe('ok');
    const truncatedOutcome = await decrypt(ciphertext.subarray(0, ciphertext.length - 100), {
      passphrase: PASSPHRASE,
    });
    expect(truncatedOutcome.kind).not.toBe('ok');
  });
});

describe('wrong passphrase or key: refused up front, with a clear error', () => {
  let ciphertext: Buffer;
  beforeAll(async () => {
    ciphertext = await encrypt(randomBytes(100_000), { passphrase: PASSPHRASE });
  });

  it('wrong passphrase: WRONG_PASSWORD, and the message does not hold it', async () => {
    for (const attempt of ['wrong', 'correct horse battery stapl', 'x'.repeat(200)]) {
      const error = await expectRefused(ciphertext, { passphrase: attempt });
      expect(error.code).toBe('WRONG_PASSWORD');
      expect(error.message).toMatch(/wrong passphrase/i);
      expect(error.message).not.toContain(attempt);
    }
  });

  it('a key the bundle is not encrypted to: INVALID_INPUT "not encrypted to this key"', async () => {
    const toBob = await encrypt(randomBytes(1000), { recipients: [bob.publicKey] });
    const error = await expectRefused(toBob, { privateKey: { armored: carol.privateKey } });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/not encrypted to this key/);
    // A passphrase-only bundle and a key.
    const onlyKey = await expectRefused(ciphertext, { privateKey: { armored: bob.privateKey } });
    expect(onlyKey.message).toMatch(/not encrypted to this key/);
    // A key-only bundle and a passphrase.
    const onlyPassphrase = await expectRefused(toBob, { passphrase: PASSPHRASE });
    expect(onlyPassphrase.code).toBe('INVALID_INPUT');
    expect(onlyPassphrase.message).toMatch(/not protected by a passphrase/);
  });

  it('private key: wrong or missing passphrase, public key instead of private', async () => {
    const toAlice = await encrypt(randomBytes(1000), { recipients: [alice.publicKey] });
    const wrong = await decryptStream(chunked(toAlice), {
      privateKey: { armored: alice.privateKey, passphrase: 'not it' },
    }).catch((error: unknown) => error as RekeyError);
    expect(wrong).toMatchObject({ code: 'WRONG_PASSWORD' });
    expect((wrong as RekeyError).message).not.toContain('not it');
    await expect(
      decryptStream(chunked(toAlice), { privateKey: { armored: alice.privateKey } }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/protected/) });
    await expect(
      decryptStream(chunked(toAlice), { privateKey: { armored: alice.publicKey } }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/public key/),
    });
  });

  it('neither passphrase nor key, or an empty passphrase: INVALID_INPUT', async () => {
    await expect(decryptStream(chunked(ciphertext), {})).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(decryptStream(chunked(ciphertext), { passphrase: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('not an OpenPGP message, armored, or empty: FORMAT_ERROR', async () => {
    for (const input of [
      Buffer.alloc(0),
      Buffer.from('just some text, not a message at all'),
      Buffer.from('-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----\n'),
      Buffer.alloc(2 * MiB, 0x88), // signature packets, back to back
      Buffer.concat(
        Array.from({ length: 300_000 }, () => Buffer.from([0xa8, 3, 0x50, 0x47, 0x50])),
      ), // markers
    ]) {
      const error = await expectRefused(input, { passphrase: PASSPHRASE });
      expect(error.code).toBe('FORMAT_ERROR');
    }
  });
});

describe('damage: every modification or truncation ends in a rejection, never a success', () => {
  const plaintext = randomBytes(1 * MiB);
  let ciphertext: Buffer;
  let toKey: Buffer;
  beforeAll(async () => {
    ciphertext = await encrypt(plaintext, { passphrase: PASSPHRASE });
    toKey = await encrypt(plaintext, { recipients: [bob.publicKey] });
  });

  function flipped(bytes: Buffer, at: number): Buffer {
    const copy = Buffer.from(bytes);
    copy[at] = (copy[at] ?? 0) ^ 0x01;
    return copy;
  }

  /** The outcome of a damaged bundle: refused, or failed with FORMAT_ERROR at the end. */
  async function expectRejected(damaged: Buffer, using: DecryptWith) {
    const outcome = await decrypt(damaged, using);
    expect(outcome.kind).not.toBe('ok');
    if (outcome.kind === 'failed') {
      expect(outcome.dataError.code).toBe('FORMAT_ERROR');
      expect(outcome.authError.code).toBe('FORMAT_ERROR');
      expect(outcome.authError.message).toMatch(/modified or is incomplete/);
    }
    return outcome;
  }

  it('flips in the key packet or the first cipher block: refused (like gpg: "bad key")', async () => {
    const scan = scanMessagePrefix(ciphertext);
    expect(scan.kind).toBe('found');
    for (const at of [0, 1, 3, 10, 20, 40]) {
      const outcome = await expectRejected(flipped(ciphertext, at), { passphrase: PASSPHRASE });
      expect(outcome.kind).toBe('refused');
      if (outcome.kind === 'refused') {
        expect(['FORMAT_ERROR', 'WRONG_PASSWORD']).toContain(outcome.error.code);
      }
    }
  });

  it('flips in the public-key packet or the first cipher block of a key message: FORMAT_ERROR', async () => {
    const scan = scanMessagePrefix(toKey);
    if (scan.kind !== 'found') throw new Error('no data packet');
    // The end of the PKESK (the wrapped session key), then the first cipher block.
    for (const at of [scan.dataOffset - 5, scan.dataOffset - 1, scan.dataOffset + 8]) {
      const outcome = await expectRejected(flipped(toKey, at), {
        privateKey: { armored: bob.privateKey },
      });
      expect(outcome.kind).toBe('refused');
      if (outcome.kind === 'refused') {
        expect(outcome.error.code, `flip at ${at}`).toBe('FORMAT_ERROR');
        expect(outcome.error.message).toMatch(/modified or is incomplete/);
      }
    }
  });

  it('flips in the middle and in the last bytes: FORMAT_ERROR "modified or incomplete"', async () => {
    const positions = [
      60,
      200,
      Math.floor(ciphertext.length / 3),
      Math.floor(ciphertext.length / 2),
      ciphertext.length - 30,
      ciphertext.length - 21, // MDC packet header
      ciphertext.length - 20, // SHA-1 of the MDC
      ciphertext.length - 2,
      ciphertext.length - 1,
    ];
    for (const at of positions) {
      const outcome = await expectRejected(flipped(ciphertext, at), { passphrase: PASSPHRASE });
      if (at >= 200) {
        // Past the packet headers the damage shows only at the end, after streaming.
        expect(outcome.kind).toBe('failed');
      }
    }
    await expectRejected(flipped(toKey, Math.floor(toKey.length / 2)), {
      privateKey: { armored: bob.privateKey },
    });
    await expectRejected(flipped(toKey, toKey.length - 1), {
      privateKey: { armored: bob.privateKey },
    });
  });

  it('truncations: half, last byte, last 20 bytes, inside the header', async () => {
    for (const length of [
      Math.floor(ciphertext.length / 2),
      ciphertext.length - 1,
      ciphertext.length - 20,
      ciphertext.length - 22,
      30,
      1,
    ]) {
      const outcome = await expectRejected(ciphertext.subarray(0, length), {
        passphrase: PASSPHRASE,
      });
      if (outcome.kind === 'refused') expect(outcome.error.code).toBe('FORMAT_ERROR');
      if (length > 1000) {
        expect(outcome.kind).toBe('failed');
        if (outcome.kind === 'failed') expect(outcome.released).toBeLessThan(plaintext.length);
      }
    }
    await expectRejected(toKey.subarray(0, toKey.length - 1), {
      privateKey: { armored: bob.privateKey },
    });
  });

  it('a flip on any byte around the inner length headers ends, never hangs', async () => {
    // With openpgp.js's own streaming parser, flipping the bit of an inner partial-length
    // header left the data stream pending forever; every outcome here must settle quickly.
    // Our writer's parts are 1 MiB: the SEIPD packet's second length header and the literal
    // packet's (inside the encryption) both lie a few bytes after 1 MiB into the data packet.
    const scan = scanMessagePrefix(ciphertext);
    if (scan.kind !== 'found') throw new Error('no data packet');
    const around = scan.dataOffset + MiB;
    expect(ciphertext[around + 2]).toBe(0x32); // definite length of the SEIPD's last 50 bytes
    for (let at = around - 16; at < Math.min(around + 80, ciphertext.length); at++) {
      const outcome = await Promise.race([
        expectRejected(flipped(ciphertext, at), { passphrase: PASSPHRASE }),
        new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000)),
      ]);
      expect(outcome, `flip at ${at}`).not.toBe('hung');
    }
  }, 120_000);

  it('bytes appended after the message: FORMAT_ERROR', async () => {
    await expectRejected(Buffer.concat([ciphertext, Buffer.from('trailing junk')]), {
      passphrase: PASSPHRASE,
    });
  });
});

describe('streams', () => {
  it('a failing plaintext fails the ciphertext stream (never a short, valid message)', async () => {
    const source = new Readable({ read() {} });
    const ciphertext = await encryptStream(source, { passphrase: PASSPHRASE });
    source.push(randomBytes(200_000));
    setTimeout(() => source.destroy(new Error('disk unplugged')), 20);
    await expect(collect(ciphertext)).rejects.toMatchObject({ code: 'IO' });
  });

  it('a reader that goes away stops the plaintext', async () => {
    const source = new Readable({ read() {} });
    const ciphertext = await encryptStream(source, { passphrase: PASSPHRASE });
    source.push(randomBytes(100_000));
    await once(ciphertext, 'readable');
    const closed = once(source, 'close');
    ciphertext.destroy();
    await closed;
    expect(source.destroyed).toBe(true);
  });

  it('a failing ciphertext source fails data and authenticated with IO', async () => {
    const ciphertext = await encrypt(randomBytes(1 * MiB), { passphrase: PASSPHRASE });
    const half = ciphertext.subarray(0, ciphertext.length / 2);
    const source = Readable.from(
      (async function* () {
        yield half;
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('network went away');
      })(),
    );
    const { data, authenticated } = await decryptStream(source, { passphrase: PASSPHRASE });
    await expect(collect(data)).rejects.toMatchObject({ code: 'IO' });
    await expect(authenticated).rejects.toMatchObject({ code: 'IO' });
  });

  it('destroying data early rejects authenticated instead of leaving it to look fine', async () => {
    const ciphertext = await encrypt(randomBytes(2 * MiB), { passphrase: PASSPHRASE });
    const { data, authenticated } = await decryptStream(chunked(ciphertext), {
      passphrase: PASSPHRASE,
    });
    data.once('data', () => data.destroy());
    await expect(authenticated).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('an unobserved failure of authenticated does not become an unhandled rejection', async () => {
    const ciphertext = await encrypt(randomBytes(100_000), { passphrase: PASSPHRASE });
    const damaged = Buffer.from(ciphertext);
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] ?? 0) ^ 1;
    const { data } = await decryptStream(chunked(damaged), { passphrase: PASSPHRASE });
    await expect(collect(data)).rejects.toMatchObject({ code: 'FORMAT_ERROR' });
    // vitest fails the run on an unhandled rejection; reaching here without one is the check.
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
});

describe('encryptStream input checks', () => {
  it('neither passphrase nor recipient, or an empty passphrase: INVALID_INPUT', async () => {
    await expect(encryptStream(Readable.from([]), {})).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(encryptStream(Readable.from([]), { recipients: [] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(encryptStream(Readable.from([]), { passphrase: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('refuses unusable recipients: garbage, a private key, a v6 key', async () => {
    await expect(
      encryptStream(Readable.from([]), { recipients: ['not a key'] }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      encryptStream(Readable.from([]), { recipients: [bob.privateKey] }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/private/) });
    const v6 = await openpgp.generateKey({
      userIDs: [{ name: 'New style' }],
      format: 'armored',
      config: { v6Keys: true },
    });
    await expect(
      encryptStream(Readable.from([]), { recipients: [v6.publicKey] }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/version 6/) });
    expect((await describeKey(v6.publicKey)).canEncrypt).toBe(false);
  });
});

describe('keys', () => {
  it('generateKeyPair: v4 ed25519 + cv25519, AES-256 first, no AEAD / SEIPD v2 advertised', async () => {
    const key = await openpgp.readKey({ armoredKey: alice.publicKey });
    expect(key.keyPacket.version).toBe(4);
    expect(key.getAlgorithmInfo()).toMatchObject({
      algorithm: 'eddsaLegacy',
      curve: 'ed25519Legacy',
    });
    const encryptionKey = await key.getEncryptionKey();
    expect(encryptionKey.getAlgorithmInfo()).toMatchObject({
      algorithm: 'ecdh',
      curve: 'curve25519Legacy',
    });
    const { selfCertification } = await key.getPrimaryUser();
    const features = selfCertification.features?.[0] ?? 0;
    // Feature flags (RFC 9580 §5.2.3.32): 0x01 SEIPD v1 (MDC), 0x08 SEIPD v2 (AEAD).
    expect(features & 0x01).toBe(0x01);
    expect(features & 0x08).toBe(0);
    expect(selfCertification.preferredSymmetricAlgorithms?.[0]).toBe(
      openpgp.enums.symmetric.aes256,
    );
    expect(
      (selfCertification as unknown as { preferredCipherSuites: unknown }).preferredCipherSuites,
    ).toBeNull();
    expect(alice.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(alice.fingerprint).toBe(key.getFingerprint().toUpperCase());
  });

  it('the private key is protected when a passphrase is given, and only then', async () => {
    const protectedKey = await openpgp.readPrivateKey({ armoredKey: alice.privateKey });
    expect(protectedKey.isDecrypted()).toBe(false);
    await openpgp.decryptKey({ privateKey: protectedKey, passphrase: 'alice key pw' });
    const openKey = await openpgp.readPrivateKey({ armoredKey: bob.privateKey });
    expect(openKey.isDecrypted()).toBe(true);
    await expect(generateKeyPair({ name: '  ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(generateKeyPair({ name: 'X', passphrase: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('describeKey', async () => {
    expect(await describeKey(alice.publicKey)).toEqual({
      fingerprint: alice.fingerprint,
      userIds: ['Alice Backup <alice@example.com>'],
      isPrivate: false,
      algorithm: 'ed25519',
      canEncrypt: true,
    });
    expect(await describeKey(bob.privateKey)).toMatchObject({
      fingerprint: bob.fingerprint,
      userIds: ['Bob Backup'],
      isPrivate: true,
      canEncrypt: true,
    });
    const rsa = await openpgp.generateKey({
      type: 'rsa',
      rsaBits: 2048,
      userIDs: [{ name: 'Old RSA' }],
      format: 'armored',
    });
    expect(await describeKey(rsa.publicKey)).toMatchObject({
      algorithm: 'rsa2048',
      canEncrypt: true,
    });
    await expect(describeKey('nonsense')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('quickCheck / scanMessagePrefix', () => {
  it('tells a right session key from a wrong one', async () => {
    const ciphertext = await encrypt(randomBytes(1000), { passphrase: PASSPHRASE });
    const scan = scanMessagePrefix(ciphertext);
    if (scan.kind !== 'found' || !scan.quickCheckBytes) throw new Error('no quick check bytes');
    const message = await openpgp.readMessage({ binaryMessage: new Uint8Array(ciphertext) });
    const [right] = await openpgp.decryptSessionKeys({ message, passwords: [PASSPHRASE] });
    if (!right) throw new Error('no session key');
    expect(quickCheck(right.algorithm, right.data, scan.quickCheckBytes)).toBe(true);
    let wrongPassed = 0;
    for (let i = 0; i < 50; i++) {
      if (quickCheck('aes256', randomBytes(32), scan.quickCheckBytes)) wrongPassed++;
    }
    expect(wrongPassed).toBe(0);
    expect(quickCheck('aes256', randomBytes(16), scan.quickCheckBytes)).toBe(false);
    expect(quickCheck('twofish', randomBytes(32), scan.quickCheckBytes)).toBeUndefined();
  });

  it('asks for more bytes while the header is incomplete', async () => {
    const ciphertext = await encrypt(randomBytes(1000), { passphrase: PASSPHRASE });
    expect(scanMessagePrefix(ciphertext.subarray(0, 1)).kind).toBe('more');
    expect(scanMessagePrefix(ciphertext.subarray(0, 40)).kind).toBe('more');
    expect(scanMessagePrefix(ciphertext.subarray(0, 100)).kind).toBe('found');
  });
});
