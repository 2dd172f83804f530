import { randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { ReadableStream } from 'node:stream/web';
import * as openpgp from 'openpgp';
import { RekeyError, isRekeyError } from '../../shared/errors';
import {
  CFB_CIPHERS,
  MAX_PREFIX_BYTES,
  quickCheck,
  scanMessagePrefix,
  type PrefixScan,
} from './openpgp-packets';
import {
  ByteReader,
  DamagedError,
  decryptSeipdV1,
  literalData,
  packetBody,
  readPacketHeader,
} from './openpgp-seipd';
import { SeipdV1Encryptor } from './openpgp-seipd-write';

/**
 * The OpenPGP layer of backup bundles, on openpgp.js v6.
 *
 * What we write must open with stock GnuPG 2.2 (`gpg --decrypt FILE | tar -x`), so every
 * message is: session key packets (passphrase and/or public keys) + one SEIPD v1 packet
 * (CFB + MDC, no AEAD), AES-256, no compression, binary.
 *
 * Encryption is split. openpgp.js makes the key packets, the real protocol with keys: SKESK v4
 * with an iterated+salted S2K for the passphrase, PKESK v3 for each recipient's public key,
 * around a session key made here (so that openpgp.js never chooses the cipher: it would pick
 * AES-128 for a recipient that does not list AES-256, and its `encrypt` SEIPD v2 for keys that
 * advertise AEAD). The SEIPD v1 packet is written by openpgp-seipd-write.ts with OpenSSL's
 * AES-CFB and SHA-1: openpgp.js's web-stream encryption ran at half of gpg's speed, and
 * bundles are gigabytes.
 *
 * Decryption streams, with bounded memory. openpgp.js holds a whole SEIPD v1 message in memory
 * before releasing a byte unless `allowUnauthenticatedStream` is set, and with it set, a
 * ciphertext modified at an inner length header can leave its stream pending forever (see
 * openpgp-seipd.ts). So openpgp.js only finds the session key (from the key packets), and
 * SEIPD v1 is decrypted here: plaintext comes out as it is decrypted and integrity is known at
 * the end. `decryptStream` says so in its result: the data is UNAUTHENTICATED until
 * `authenticated` resolves, and the data stream itself fails at its end when the check fails,
 * so a consumer that only pipes it still sees the failure. SEIPD v2 (AEAD, authenticated chunk
 * by chunk) and ciphers Node's OpenSSL lacks (CAST5, Twofish...) still go through openpgp.js.
 *
 * A wrong passphrase is told from damage by the OpenPGP quick check (as GnuPG does), before any
 * plaintext is released; damage to the key packets or the first cipher block therefore reads as
 * a wrong passphrase, as it does in GnuPG.
 */

/** Settings for everything we write. Never mutate `openpgp.config`: other code shares it. */
const WRITE_CONFIG: openpgp.PartialConfig = {
  aeadProtect: false, // SEIPD v1 + MDC, and keys that do not advertise SEIPD v2
  v6Keys: false,
  preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256,
  preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed,
  s2kType: openpgp.enums.s2k.iterated, // GnuPG 2.2 has no Argon2
};

const READ_CONFIG: openpgp.PartialConfig = {
  allowUnauthenticatedStream: true, // see the module comment: integrity is reported at the end
  allowUnauthenticatedMessages: false, // never read tag 9 (no integrity protection at all)
};

const SESSION_KEY_ALGORITHM = 'aes256';
const SESSION_KEY_BYTES = 32;
/**
 * Ciphertext buffered ahead of its reader: two 1 MiB parts, so the next part is encrypted while
 * the last one is being written (with the default 16 KiB, each 1 MiB part would wait for the
 * write of the one before).
 */
const ENCRYPT_BUFFER_BYTES = 2 * 1024 * 1024;

export interface EncryptTo {
  passphrase?: string;
  /** Armored public keys (v4; each needs a usable encryption subkey). */
  recipients?: string[];
}

/**
 * Ciphertext stream of `plaintext`: a binary OpenPGP message GnuPG 2.2 decrypts. Throws
 * INVALID_INPUT when neither a passphrase nor a recipient is given, or a recipient key is
 * unusable. An error of `plaintext` ends the ciphertext stream with that error (never a short,
 * valid-looking message).
 */
export async function encryptStream(plaintext: Readable, to: EncryptTo): Promise<Readable> {
  const passphrase = to.passphrase;
  const recipients = to.recipients ?? [];
  if (passphrase !== undefined && passphrase.length === 0) {
    throw new RekeyError('INVALID_INPUT', 'The bundle passphrase is empty');
  }
  if (passphrase === undefined && recipients.length === 0) {
    throw new RekeyError(
      'INVALID_INPUT',
      'A backup bundle needs a passphrase or at least one recipient key',
    );
  }
  const encryptionKeys = await Promise.all(recipients.map(readRecipient));
  // The session key is made here (see the module comment); openpgp.js wraps it in the key
  // packets: SKESK v4 (iterated+salted S2K) and PKESK v3, as WRITE_CONFIG has it.
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  let keyPackets: Uint8Array;
  try {
    keyPackets = await openpgp.encryptSessionKey({
      data: sessionKey,
      algorithm: SESSION_KEY_ALGORITHM,
      passwords: passphrase === undefined ? undefined : [passphrase],
      encryptionKeys,
      format: 'binary',
      config: WRITE_CONFIG,
    });
  } catch (error) {
    plaintext.destroy();
    throw new RekeyError('INTERNAL', 'Could not encrypt the backup bundle', { cause: error });
  }
  return sealedStream(plaintext, keyPackets, new SeipdV1Encryptor(sessionKey, SEIPD_OPTIONS));
}

const SEIPD_OPTIONS = { algorithm: SESSION_KEY_ALGORITHM };

/**
 * The message as a Node stream: the key packets, then the SEIPD packet as the plaintext comes.
 * A plain Transform (no async iteration between the steps: each hop of one cost more than the
 * cipher on large bundles). The MDC is written only on the plaintext's end, so a failed input
 * ends the ciphertext with its error, never in a message that looks complete; a reader that
 * goes away stops the input.
 */
function sealedStream(
  plaintext: Readable,
  keyPackets: Uint8Array,
  encryptor: SeipdV1Encryptor,
): Readable {
  const pushAll = (stream: Transform, pieces: readonly Uint8Array[]) => {
    for (const piece of pieces) {
      stream.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
    }
  };
  const failed = (error: unknown): RekeyError =>
    isRekeyError(error)
      ? error
      : new RekeyError('INTERNAL', 'Could not encrypt the backup bundle', { cause: error });
  const sealed = new Transform({
    readableHighWaterMark: ENCRYPT_BUFFER_BYTES,
    transform(chunk: Buffer, _encoding, callback) {
      try {
        pushAll(this, encryptor.update(chunk));
        callback();
      } catch (error) {
        callback(failed(error));
      }
    },
    flush(callback) {
      try {
        pushAll(this, encryptor.final());
        callback();
      } catch (error) {
        callback(failed(error));
      }
    },
  });
  sealed.push(Buffer.from(keyPackets.buffer, keyPackets.byteOffset, keyPackets.byteLength));
  plaintext.on('error', (error) => {
    sealed.destroy(
      isRekeyError(error)
        ? error
        : new RekeyError('IO', 'Could not read the data to encrypt or decrypt', { cause: error }),
    );
  });
  sealed.on('close', () => {
    if (!plaintext.readableEnded) plaintext.destroy();
  });
  plaintext.pipe(sealed);
  return sealed;
}

export interface DecryptWith {
  passphrase?: string;
  privateKey?: { armored: string; passphrase?: string };
}

export interface DecryptedStream {
  /**
   * The plaintext as it is decrypted: UNAUTHENTICATED until `authenticated` resolves. Treat it
   * as untrusted until then (verify pass: hash and discard; restore: only after a verify pass
   * succeeded). On a modified or incomplete bundle this stream fails (FORMAT_ERROR) at its end
   * instead of ending.
   */
  data: Readable;
  /**
   * Resolves once the whole message has been decrypted and its integrity check passed, which
   * happens just before `data` ends. Rejects with FORMAT_ERROR ("modified or incomplete") when
   * the check fails, IO when reading the ciphertext fails, and INTERNAL when `data` is destroyed
   * before its end (nothing was authenticated then). Never rejects unhandled.
   */
  authenticated: Promise<void>;
}

/**
 * Decrypts a binary OpenPGP message with a passphrase or a private key (or either). Wrong
 * passphrase: WRONG_PASSWORD. A key the message is not encrypted to: INVALID_INPUT ("not
 * encrypted to this key"). These are found before any plaintext is released; damage found
 * later surfaces through `data` and `authenticated`.
 */
export async function decryptStream(
  ciphertext: Readable,
  using: DecryptWith,
): Promise<DecryptedStream> {
  if (using.passphrase === undefined && using.privateKey === undefined) {
    throw new RekeyError(
      'INVALID_INPUT',
      'Decrypting a bundle needs its passphrase or a private key',
    );
  }
  if (using.passphrase !== undefined && using.passphrase.length === 0) {
    throw new RekeyError('INVALID_INPUT', 'The bundle passphrase is empty');
  }
  const key = using.privateKey === undefined ? undefined : await unlockPrivateKey(using.privateKey);
  const source = new ByteSource(ciphertext);
  try {
    const { scan, head } = await source.scanPrefix();
    if (scan.dataTag !== 18 && scan.dataTag !== 20) {
      throw new RekeyError(
        'FORMAT_ERROR',
        'This message is encrypted without integrity protection (an obsolete OpenPGP format); ' +
          'Rekey does not read it',
      );
    }
    // openpgp.js decrypts the session key from the key packets alone.
    let keyPackets: openpgp.Message<Uint8Array>;
    try {
      keyPackets = await openpgp.readMessage({
        binaryMessage: head.subarray(0, scan.dataOffset),
        config: READ_CONFIG,
      });
    } catch (error) {
      throw damaged(error);
    }
    const found = await findSessionKey(keyPackets, scan, using.passphrase, key);
    const mapError = (error: unknown): RekeyError =>
      source.failure() ?? (isRekeyError(error) ? error : damaged(error));
    const algorithm = found.sessionKey.algorithm;
    if (scan.seipdVersion === 1 && algorithm !== null && CFB_CIPHERS[algorithm]) {
      // SEIPD v1, what we and GnuPG 2.2 write: decrypted here (see openpgp-seipd.ts for why).
      const outer = new ByteReader(source.chunks(scan.dataOffset));
      const header = await readPacketHeader(outer);
      const plaintext = (async function* () {
        try {
          yield* literalData(
            decryptSeipdV1(packetBody(outer, header), algorithm, found.sessionKey.data),
          );
          if (!(await outer.eof())) {
            throw new DamagedError('it has data after the end of its encrypted data');
          }
        } finally {
          outer.close();
        }
      })();
      return toNodeReadable(plaintext, mapError, () => source.close());
    }
    // SEIPD v2 / AEAD (authenticated chunk by chunk) or an old cipher: openpgp.js decrypts.
    let result: { data: unknown };
    try {
      const message = await openpgp.readMessage({
        binaryMessage: source.webStream(),
        config: READ_CONFIG,
      });
      result = await openpgp.decrypt({
        message,
        sessionKeys: [found.sessionKey as openpgp.SessionKey],
        format: 'binary',
        config: READ_CONFIG,
      });
    } catch (error) {
      const failure = source.failure();
      if (failure) throw failure;
      // A session key we could not check against the quick-check bytes may just be wrong.
      if (!found.verified) throw wrongPassphrase(error);
      throw damaged(error);
    }
    return toNodeReadable(webChunks(result.data as ReadableStream<Uint8Array>), mapError, () =>
      source.close(),
    );
  } catch (error) {
    source.close();
    if (isRekeyError(error)) throw error;
    throw source.failure() ?? damaged(error);
  }
}

export async function generateKeyPair(input: {
  name: string;
  email?: string;
  passphrase?: string;
}): Promise<{ publicKey: string; privateKey: string; fingerprint: string }> {
  const name = input.name.trim();
  if (name.length === 0) throw new RekeyError('INVALID_INPUT', 'A key needs a name');
  if (input.passphrase !== undefined && input.passphrase.length === 0) {
    throw new RekeyError('INVALID_INPUT', 'The key passphrase is empty');
  }
  const email = input.email?.trim();
  let pair: { publicKey: string; privateKey: string };
  try {
    pair = await openpgp.generateKey({
      // v4 keys on the legacy curve: an Ed25519 (EdDSA) primary for certification and signing,
      // a Curve25519 ECDH subkey for encryption, as GnuPG 2.2 makes and reads them.
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [email ? { name, email } : { name }],
      ...(input.passphrase === undefined ? {} : { passphrase: input.passphrase }),
      format: 'armored',
      config: WRITE_CONFIG,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : '';
    if (/user ?id/i.test(reason)) {
      throw new RekeyError('INVALID_INPUT', 'The name or email address is not valid for a key', {
        cause: error,
      });
    }
    throw new RekeyError('INTERNAL', 'Could not generate the key pair', { cause: error });
  }
  const key = await openpgp.readKey({ armoredKey: pair.publicKey });
  return {
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    fingerprint: key.getFingerprint().toUpperCase(),
  };
}

export interface KeyDescription {
  /** Upper-case hex, as GnuPG prints it. */
  fingerprint: string;
  userIds: string[];
  isPrivate: boolean;
  /** The primary key's algorithm, GnuPG style: ed25519, rsa4096, nistp256... */
  algorithm: string;
  /** Whether `encryptStream` accepts this key as a recipient. */
  canEncrypt: boolean;
}

export async function describeKey(armored: string): Promise<KeyDescription> {
  const key = await readOneKey(armored, 'This');
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    isPrivate: key.isPrivate(),
    algorithm: algorithmName(key.getAlgorithmInfo()),
    canEncrypt: (await encryptionProblem(key)) === null,
  };
}

// --- keys --------------------------------------------------------------------------------

async function readOneKey(armored: string, what: string): Promise<openpgp.Key> {
  let keys: openpgp.Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys: armored });
  } catch (error) {
    throw new RekeyError('INVALID_INPUT', `${what} is not an armored OpenPGP key`, {
      cause: error,
    });
  }
  const [key] = keys;
  if (key === undefined || keys.length !== 1) {
    throw new RekeyError('INVALID_INPUT', `${what} holds ${keys.length} keys; give exactly one`);
  }
  return key;
}

async function readRecipient(armored: string, index: number): Promise<openpgp.PublicKey> {
  const what = `Recipient ${index + 1}`;
  const key = await readOneKey(armored, what);
  if (key.isPrivate()) {
    throw new RekeyError('INVALID_INPUT', `${what} is a private key; give its public key`);
  }
  const problem = await encryptionProblem(key);
  if (problem !== null) {
    throw new RekeyError(
      'INVALID_INPUT',
      `${what} (${key.getFingerprint().toUpperCase()}) ${problem}`,
    );
  }
  return key;
}

/** Why GnuPG 2.2 could not read a message we encrypt to `key`, or null when it can. */
async function encryptionProblem(key: openpgp.Key): Promise<string | null> {
  const version = key.keyPacket.version;
  if (version !== 4) {
    return `is a version ${version} OpenPGP key; GnuPG 2.2 reads only messages to version 4 keys`;
  }
  let encryptionKey: openpgp.Key | openpgp.Subkey;
  try {
    encryptionKey = await key.getEncryptionKey();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `has no usable encryption key (${reason})`;
  }
  const algorithm = encryptionKey.keyPacket.algorithm;
  if (algorithm === openpgp.enums.publicKey.x25519 || algorithm === openpgp.enums.publicKey.x448) {
    return 'encrypts with an X25519/X448 key of RFC 9580, which GnuPG 2.2 cannot read';
  }
  return null;
}

async function unlockPrivateKey(input: {
  armored: string;
  passphrase?: string;
}): Promise<openpgp.PrivateKey> {
  const key = await readOneKey(input.armored, 'The private key');
  if (!key.isPrivate()) {
    throw new RekeyError(
      'INVALID_INPUT',
      'This is a public key; decrypting a bundle needs the private key',
    );
  }
  if (key.isDecrypted()) return key;
  if (input.passphrase === undefined) {
    throw new RekeyError(
      'INVALID_INPUT',
      'The private key is protected by a passphrase, and none was given',
    );
  }
  try {
    return await openpgp.decryptKey({ privateKey: key, passphrase: input.passphrase });
  } catch (error) {
    const reason = error instanceof Error ? error.message : '';
    if (/incorrect key passphrase/i.test(reason)) {
      throw new RekeyError('WRONG_PASSWORD', 'Wrong passphrase for the private key', {
        cause: error,
      });
    }
    throw new RekeyError('INVALID_INPUT', 'Could not unlock the private key', { cause: error });
  }
}

const CURVE_NAMES: Readonly<Record<string, string>> = {
  ed25519Legacy: 'ed25519',
  curve25519Legacy: 'cv25519',
  nistP256: 'nistp256',
  nistP384: 'nistp384',
  nistP521: 'nistp521',
};

function algorithmName(info: openpgp.AlgorithmInfo): string {
  switch (info.algorithm) {
    case 'rsaEncryptSign':
    case 'rsaEncrypt':
    case 'rsaSign':
      return info.bits === undefined ? 'rsa' : `rsa${info.bits}`;
    case 'dsa':
    case 'elgamal':
      return info.bits === undefined ? info.algorithm : `${info.algorithm}${info.bits}`;
    case 'eddsaLegacy':
    case 'ecdsa':
    case 'ecdh':
      return info.curve === undefined ? info.algorithm : (CURVE_NAMES[info.curve] ?? info.curve);
    default:
      return info.algorithm;
  }
}

// --- session keys ------------------------------------------------------------------------

interface FoundSessionKey {
  sessionKey: openpgp.DecryptedSessionKey;
  /** Known right: passed the quick check, or came out of an integrity-checked key packet. */
  verified: boolean;
}

/**
 * Finds the session key with the private key and/or the passphrase, before any plaintext is
 * released: the caller learns "wrong passphrase" or "not encrypted to this key" up front.
 */
async function findSessionKey(
  message: openpgp.Message<Uint8Array>,
  scan: Extract<PrefixScan, { kind: 'found' }>,
  passphrase: string | undefined,
  key: openpgp.PrivateKey | undefined,
): Promise<FoundSessionKey> {
  const failures: RekeyError[] = [];
  if (key !== undefined) {
    const addressed = message.getEncryptionKeyIDs();
    const mine = key.getKeys().map((k) => k.getKeyID());
    const notForThisKey = new RekeyError(
      'INVALID_INPUT',
      `This bundle is not encrypted to this key (${key.getFingerprint().toUpperCase()})`,
    );
    if (!addressed.some((id) => mine.some((own) => own.equals(id, true)))) {
      failures.push(notForThisKey);
    } else {
      // The bundle names this key; failing from here on means damage (the key packet carries
      // its own check: AES key wrap, PKCS#1 or AEAD; the data its quick check).
      let candidates: openpgp.DecryptedSessionKey[] = [];
      try {
        candidates = await openpgp.decryptSessionKeys({
          message,
          decryptionKeys: [key],
          config: READ_CONFIG,
        });
      } catch {
        // reported below
      }
      const picked = pick(candidates, scan, true);
      if (picked) return picked;
      failures.push(
        new RekeyError(
          'FORMAT_ERROR',
          candidates.length === 0
            ? 'The backup bundle was modified or is incomplete: its key packet for this key does not decrypt'
            : 'The backup bundle was modified or is incomplete: its data does not match its key packet',
        ),
      );
    }
  }
  if (passphrase !== undefined) {
    if (!scan.sessionKeyTags.includes(3)) {
      failures.push(
        new RekeyError(
          'INVALID_INPUT',
          'This bundle is not protected by a passphrase: it is encrypted to public keys only',
        ),
      );
    } else {
      try {
        const candidates = await openpgp.decryptSessionKeys({
          message,
          passwords: [passphrase],
          config: READ_CONFIG,
        });
        const picked = pick(candidates, scan, scan.seipdVersion === 2 || scan.dataTag === 20);
        if (picked) return picked;
      } catch {
        // fall through: reported below
      }
      failures.push(wrongPassphrase());
    }
  }
  throw failures.find((f) => f.code === 'WRONG_PASSWORD') ?? failures[0] ?? wrongPassphrase();
}

/** The first candidate that passes the quick check, else one that cannot be checked. */
function pick(
  candidates: openpgp.DecryptedSessionKey[],
  scan: Extract<PrefixScan, { kind: 'found' }>,
  verifiedByPacket: boolean,
): FoundSessionKey | undefined {
  let unchecked: openpgp.DecryptedSessionKey | undefined;
  for (const candidate of candidates) {
    const check =
      scan.quickCheckBytes === undefined
        ? undefined
        : quickCheck(candidate.algorithm, candidate.data, scan.quickCheckBytes);
    if (check === true) return { sessionKey: candidate, verified: true };
    if (check === undefined) unchecked ??= candidate;
  }
  return unchecked === undefined
    ? undefined
    : { sessionKey: unchecked, verified: verifiedByPacket };
}

function wrongPassphrase(cause?: unknown): RekeyError {
  return new RekeyError('WRONG_PASSWORD', 'Wrong passphrase for this backup bundle', { cause });
}

function damaged(cause: unknown): RekeyError {
  const reason = cause instanceof Error ? cause.message : '';
  const detail = /modification detected/i.test(reason)
    ? 'its integrity check failed'
    : /end of (packet|stream|input)|truncat|unexpected end/i.test(reason)
      ? 'it ends before the end of its encrypted data'
      : 'its encrypted data does not decode';
  return new RekeyError(
    'FORMAT_ERROR',
    `The backup bundle was modified or is incomplete: ${detail}`,
    {
      cause,
    },
  );
}

// --- streams -----------------------------------------------------------------------------

/**
 * Bytes of a Node stream, handed to openpgp.js as a web stream (it no longer takes Node
 * streams). Done by hand rather than with `Readable.toWeb`: the first bytes are peeked for the
 * packet scan, chunks become plain Uint8Array views (a Buffer's `slice` does not copy, a
 * Uint8Array's does), pulls are strictly on demand, and a failure of the Node stream is kept
 * so that it is reported as itself (IO) rather than as damage.
 */
class ByteSource {
  private readonly iterator: AsyncIterator<unknown>;
  private head: Uint8Array[] = [];
  private error: RekeyError | undefined;

  constructor(stream: Readable) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  /** The failure of the underlying Node stream, if it failed. */
  failure(): RekeyError | undefined {
    return this.error;
  }

  close(): void {
    this.iterator.return?.().catch(() => undefined);
  }

  private async next(): Promise<Uint8Array | null> {
    for (;;) {
      let result: IteratorResult<unknown>;
      try {
        result = await this.iterator.next();
      } catch (error) {
        this.error ??= isRekeyError(error)
          ? error
          : new RekeyError('IO', 'Could not read the data to encrypt or decrypt', { cause: error });
        throw this.error;
      }
      if (result.done) return null;
      const chunk = result.value;
      if (!(chunk instanceof Uint8Array)) {
        this.error = new RekeyError('INVALID_INPUT', 'Expected a stream of bytes, not of text');
        throw this.error;
      }
      if (chunk.byteLength > 0)
        return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }

  /** Reads until the encrypted data packet is in view; keeps what it read for later. */
  async scanPrefix(): Promise<{ scan: FoundScan; head: Uint8Array }> {
    let buffered = new Uint8Array(0);
    for (;;) {
      const chunk = await this.next();
      if (chunk === null) {
        throw new RekeyError(
          'FORMAT_ERROR',
          buffered.length === 0
            ? 'The backup bundle is empty'
            : 'The backup bundle was modified or is incomplete: it ends before its encrypted data',
        );
      }
      const joined = new Uint8Array(buffered.length + chunk.length);
      joined.set(buffered);
      joined.set(chunk, buffered.length);
      buffered = joined;
      this.head = [buffered];
      const scan = scanMessagePrefix(buffered);
      if (scan.kind === 'found') return { scan, head: buffered };
      if (scan.kind === 'invalid') {
        throw new RekeyError('FORMAT_ERROR', `Not an OpenPGP encrypted message: ${scan.reason}`);
      }
      if (buffered.length > MAX_PREFIX_BYTES) {
        throw new RekeyError(
          'FORMAT_ERROR',
          'Not an OpenPGP encrypted message: no encrypted data in its first megabyte',
        );
      }
    }
  }

  /** The bytes from offset `from` of what was kept, then the rest of the stream. */
  async *chunks(from = 0): AsyncGenerator<Uint8Array> {
    try {
      let skip = from;
      for (let queued = this.head.shift(); queued !== undefined; queued = this.head.shift()) {
        const part = queued.subarray(Math.min(skip, queued.length));
        skip -= queued.length - part.length;
        if (part.length > 0) yield part;
      }
      for (let chunk = await this.next(); chunk !== null; chunk = await this.next()) yield chunk;
    } finally {
      this.close();
    }
  }

  webStream(): ReadableStream<Uint8Array> {
    const chunks = this.chunks();
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          try {
            const next = await chunks.next();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          } catch (error) {
            controller.error(error);
          }
        },
        cancel: async () => {
          await chunks.return(undefined);
        },
      },
      { highWaterMark: 0 },
    );
  }
}

type FoundScan = Extract<PrefixScan, { kind: 'found' }>;

async function* webChunks(web: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = web.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) reader.cancel().catch(() => undefined);
  }
}

/**
 * A Node stream of the chunks of `chunks`, plus a promise that settles with it: it resolves
 * when `chunks` ended cleanly (just before `data` ends), rejects when it failed (and `data`
 * fails with the same error) or when `data` was destroyed before its end.
 */
function toNodeReadable(
  chunks: AsyncGenerator<Uint8Array>,
  mapError: (error: unknown) => RekeyError,
  abort: () => void,
  highWaterMark?: number,
): DecryptedStream {
  let settled = false;
  let resolve!: () => void;
  let reject!: (error: RekeyError) => void;
  const authenticated = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  authenticated.catch(() => undefined); // callers that only watch `data` must not crash the process
  const settle = (error?: RekeyError): void => {
    if (settled) return;
    settled = true;
    if (error) reject(error);
    else resolve();
  };
  const data = new Readable({
    highWaterMark,
    read() {
      void (async () => {
        try {
          for (;;) {
            const next = await chunks.next();
            if (next.done) {
              settle();
              this.push(null);
              return;
            }
            const value = next.value;
            if (value.byteLength > 0) {
              this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
              return;
            }
          }
        } catch (error) {
          const failure = mapError(error);
          settle(failure);
          this.destroy(failure);
        }
      })();
    },
    destroy(error, callback) {
      if (!settled) {
        settle(
          new RekeyError(
            'INTERNAL',
            'The data was not read to its end, so the bundle was not authenticated',
            { cause: error ?? undefined },
          ),
        );
        chunks.return(undefined).catch(() => undefined);
        abort();
      }
      callback(error);
    },
  });
  return { data, authenticated };
}
