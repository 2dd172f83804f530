import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as openpgp from 'openpgp';
import {
  decryptStream,
  encryptStream,
  generateKeyPair,
  type DecryptWith,
} from '../../src/main/backup/openpgp';
import { encryptSeipdV1 } from '../../src/main/backup/openpgp-seipd-write';
import { readFramedPacket } from '../helpers/openpgp-framing';

/**
 * Interoperability with stock GnuPG 2.2 (Debian's `gnupg`): what Rekey writes, `gpg --decrypt`
 * reads, and what gpg writes, Rekey reads. gpg runs in a private GNUPGHOME; passphrases go
 * through files (never argv); the agent it starts is killed and the directory removed after.
 */

const MiB = 1024 * 1024;
const PASSPHRASE = 'a passphrase with spaces & symbols: ü ß';
const KEY_PASSPHRASE = 'key protection passphrase';

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv, stdin?: Buffer) {
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? Buffer.alloc(0));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
  });
}

let dir: string;
let home: string;
let env: NodeJS.ProcessEnv;
let passfiles = 0;

/** A file holding `passphrase`, readable by us only; its path is all argv ever shows. */
function passphraseFile(passphrase: string): string {
  const path = join(dir, `passphrase-${passfiles++}`);
  writeFileSync(path, passphrase, { mode: 0o600 });
  return path;
}

async function gpg(args: string[], options: { passphrase?: string; stdin?: Buffer } = {}) {
  const secret =
    options.passphrase === undefined
      ? []
      : ['--pinentry-mode', 'loopback', '--passphrase-file', passphraseFile(options.passphrase)];
  const result = await run('gpg', ['--batch', '--no-tty', ...secret, ...args], env, options.stdin);
  return result;
}

async function gpgOk(args: string[], options: { passphrase?: string; stdin?: Buffer } = {}) {
  const result = await gpg(args, options);
  if (result.code !== 0) throw new Error(`gpg ${args.join(' ')} failed:\n${result.stderr}`);
  return result;
}

/** Shell pipelines (tar | gpg); the passphrase still travels in a file. */
async function sh(script: string, vars: Record<string, string>) {
  const result = await run('sh', ['-c', script], { ...env, ...vars });
  if (result.code !== 0) throw new Error(`sh -c '${script}' failed:\n${result.stderr}`);
  return result;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function encryptToFile(
  plaintext: Buffer,
  to: Parameters<typeof encryptStream>[1],
): Promise<string> {
  const path = join(dir, `ours-${randomBytes(4).toString('hex')}.gpg`);
  await pipeline(await encryptStream(Readable.from([plaintext]), to), createWriteStream(path));
  return path;
}

/** Decrypts with Rekey; resolves only when the data ended and `authenticated` resolved. */
async function decryptFile(path: string, using: DecryptWith): Promise<Buffer> {
  const { data, authenticated } = await decryptStream(createReadStream(path), using);
  const plaintext = await collect(data);
  await authenticated;
  return plaintext;
}

beforeAll(async () => {
  const version = await run('gpg', ['--version'], process.env).catch(() => null);
  if (!version || version.code !== 0) {
    throw new Error('gpg is not installed: scripts/install-test-deps.sh installs gnupg');
  }
  dir = mkdtempSync(join(tmpdir(), 'rekey-gpg-'));
  home = join(dir, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  env = { ...process.env, GNUPGHOME: home, LC_ALL: 'C' };
});

afterAll(async () => {
  if (!dir) return;
  // The agent gpg started for this home: stop it, then remove everything.
  await run('gpgconf', ['--kill', 'all'], env).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('Rekey writes, GnuPG 2.2 reads', () => {
  it('a passphrase message: gpg --decrypt gives the exact bytes', async () => {
    const plaintext = randomBytes(3 * MiB + 17);
    const path = await encryptToFile(plaintext, { passphrase: PASSPHRASE });
    const { stdout } = await gpgOk(['--decrypt', path], { passphrase: PASSPHRASE });
    expect(stdout.equals(plaintext)).toBe(true);
  });

  it('the packets are SKESK v4 AES-256 + SEIPD v1 (MDC) + literal, uncompressed', async () => {
    const path = await encryptToFile(Buffer.from('x'.repeat(50_000)), { passphrase: PASSPHRASE });
    const { stdout } = await gpgOk(['--list-packets', path], { passphrase: PASSPHRASE });
    const listing = stdout.toString();
    expect(listing).toMatch(/:symkey enc packet: version 4, cipher 9, aead 0/);
    // A message of one part has a definite length; a longer one, partial lengths ("unknown").
    expect(listing).toMatch(/:encrypted data packet:\n\s+length: 50053\n\s+mdc_method: 2/);
    expect(listing).toMatch(/:literal data packet:/);
    expect(listing).not.toMatch(/compressed packet/);
    expect(listing).not.toMatch(/aead encrypted|aead [1-9]/i);
  });

  it('the stock pipeline: gpg --decrypt FILE | tar -x', async () => {
    const source = join(dir, 'tar-src-ours');
    const out = join(dir, 'tar-out-ours');
    mkdirSync(source);
    mkdirSync(out);
    const first = randomBytes(300_000);
    const second = Buffer.from('DATABASE_URL=postgres://app@db/app\n');
    writeFileSync(join(source, 'secrets.env'), second);
    writeFileSync(join(source, 'dump.bin'), first);
    const { stdout: tarball } = await sh('tar -cf - -C "$SRC" secrets.env dump.bin', {
      SRC: source,
    });
    const bundle = await encryptToFile(tarball, { passphrase: PASSPHRASE });
    await sh(
      'gpg --batch --no-tty --pinentry-mode loopback --passphrase-file "$PASS" --decrypt "$BUNDLE" | tar -x -C "$OUT"',
      { PASS: passphraseFile(PASSPHRASE), BUNDLE: bundle, OUT: out },
    );
    expect(readFileSync(join(out, 'dump.bin')).equals(first)).toBe(true);
    expect(readFileSync(join(out, 'secrets.env')).equals(second)).toBe(true);
  });

  it('a message to a generated key: gpg imports the private key and decrypts', async () => {
    const pair = await generateKeyPair({
      name: 'Rekey Backup',
      email: 'backup@example.com',
      passphrase: KEY_PASSPHRASE,
    });
    await gpgOk(['--import'], { passphrase: KEY_PASSPHRASE, stdin: Buffer.from(pair.privateKey) });
    const { stdout: keys } = await gpgOk(['--with-colons', '--list-secret-keys', pair.fingerprint]);
    expect(keys.toString()).toMatch(/^sec:.*:ed25519:/m);
    expect(keys.toString()).toMatch(/^ssb:.*:cv25519:/m);
    const plaintext = randomBytes(1 * MiB);
    const path = await encryptToFile(plaintext, { recipients: [pair.publicKey] });
    const { stdout } = await gpgOk(['--decrypt', path], { passphrase: KEY_PASSPHRASE });
    expect(stdout.equals(plaintext)).toBe(true);
  });

  it('a message to a key GnuPG made (and a passphrase): gpg decrypts with its key', async () => {
    await gpgOk(
      ['--quick-gen-key', 'GnuPG Made <gpg@example.com>', 'future-default', 'default', 'never'],
      {
        passphrase: KEY_PASSPHRASE,
      },
    );
    const { stdout: publicKey } = await gpgOk(['--armor', '--export', 'gpg@example.com']);
    const plaintext = randomBytes(200_000);
    const path = await encryptToFile(plaintext, {
      recipients: [publicKey.toString()],
      passphrase: PASSPHRASE,
    });
    const { stdout } = await gpgOk(['--decrypt', '--try-secret-key', 'gpg@example.com', path], {
      passphrase: KEY_PASSPHRASE,
    });
    expect(stdout.equals(plaintext)).toBe(true);
  });
});

describe("Rekey's SEIPD writer at its part boundaries: gpg --decrypt gives the exact bytes", () => {
  const SMALL = 9; // 512-byte parts, the smallest allowed: boundaries at small sizes
  const P = 2 ** SMALL;
  const sessionKey = randomBytes(32);
  let pair: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    pair = await generateKeyPair({ name: 'Boundary Key' }); // no passphrase: nothing to ask
    await gpgOk(['--import'], { stdin: Buffer.from(pair.privateKey) });
  });

  async function packet(plaintext: Buffer): Promise<Buffer> {
    const out: Buffer[] = [];
    const input = (async function* () {
      for (let at = 0; at < plaintext.length; at += 300) yield plaintext.subarray(at, at + 300);
    })();
    for await (const chunk of encryptSeipdV1(input, sessionKey, {
      algorithm: 'aes256',
      partLog2: SMALL,
    })) {
      out.push(Buffer.from(chunk));
    }
    return Buffer.concat(out);
  }

  /**
   * Sizes where the literal packet's body or the SEIPD packet's body is exactly a multiple of
   * the part size or one past it (found by writing, not by formula), plus 0 and 1 byte.
   */
  async function boundarySizes(): Promise<number[]> {
    const picked = new Map<string, number>();
    for (let size = 0; size <= 2 * P + 32; size++) {
      const seipdBody = readFramedPacket(await packet(Buffer.alloc(size))).body.length;
      const literalBody = size + 6;
      for (const [layer, length] of [
        ['literal', literalBody],
        ['seipd', seipdBody],
      ] as const) {
        const rest = length % P;
        if (length >= P && rest <= 1) picked.set(`${layer} ${length - rest} +${rest}`, size);
      }
    }
    return [0, 1, ...new Set(picked.values())].sort((a, b) => a - b);
  }

  async function keyPackets(to: { passphrase?: string; key?: string }): Promise<Uint8Array> {
    return openpgp.encryptSessionKey({
      data: sessionKey,
      algorithm: 'aes256',
      passwords: to.passphrase === undefined ? undefined : [to.passphrase],
      encryptionKeys:
        to.key === undefined ? undefined : [await openpgp.readKey({ armoredKey: to.key })],
      format: 'binary',
      config: { aeadProtect: false },
    });
  }

  it('512-byte parts, passphrase and public key, every boundary of both packets', async () => {
    const sizes = await boundarySizes();
    expect(sizes.length).toBeGreaterThanOrEqual(2 + 8); // two boundaries x2 per packet
    const toPassphrase = await keyPackets({ passphrase: PASSPHRASE });
    const toKey = await keyPackets({ key: pair.publicKey });
    for (const size of sizes) {
      const plaintext = randomBytes(size);
      const data = await packet(plaintext);
      for (const [label, keys, passphrase] of [
        ['passphrase', toPassphrase, PASSPHRASE],
        ['key', toKey, undefined],
      ] as const) {
        const path = join(dir, `boundary-${label}-${size}.gpg`);
        writeFileSync(path, Buffer.concat([keys, data]));
        const { stdout } = await gpgOk(['--decrypt', path], passphrase ? { passphrase } : {});
        expect(stdout.equals(plaintext), `${label}, ${size} bytes`).toBe(true);
      }
    }
  }, 120_000);

  it.each([
    ['0 bytes', 0],
    ['1 byte', 1],
    ['a literal body of exactly one 1 MiB part', MiB - 6],
    ['one part + 1', MiB - 5],
  ])('encryptStream (1 MiB parts), passphrase and key: %s', async (_label, size) => {
    const plaintext = randomBytes(size);
    const byPassphrase = await encryptToFile(plaintext, { passphrase: PASSPHRASE });
    const { stdout: one } = await gpgOk(['--decrypt', byPassphrase], { passphrase: PASSPHRASE });
    expect(one.equals(plaintext)).toBe(true);
    const byKey = await encryptToFile(plaintext, { recipients: [pair.publicKey] });
    const { stdout: two } = await gpgOk(['--decrypt', byKey]);
    expect(two.equals(plaintext)).toBe(true);
  });
});

describe('GnuPG 2.2 writes, Rekey reads', () => {
  it.each([
    ['uncompressed', ['--compress-algo', 'none'], null],
    ["gpg's default compression (ZIP)", [], 1],
    ['ZLIB', ['--compress-algo', 'zlib'], 2],
  ])('gpg --symmetric --cipher-algo AES256, %s', async (_label, compression, algorithm) => {
    // Text first: gpg leaves input uncompressed when its first bytes look like a compressed
    // file's magic number, which random bytes sometimes do.
    const plaintext = Buffer.concat([
      Buffer.from('# a database dump\n'),
      randomBytes(700_000),
      Buffer.alloc(500_000, 'a'),
    ]);
    const input = join(dir, `plain-${randomBytes(4).toString('hex')}`);
    const output = `${input}.gpg`;
    writeFileSync(input, plaintext);
    await gpgOk(['--symmetric', '--cipher-algo', 'AES256', ...compression, '-o', output, input], {
      passphrase: PASSPHRASE,
    });
    const { stdout: listing } = await gpgOk(['--list-packets', output], {
      passphrase: PASSPHRASE,
    });
    if (algorithm === null) expect(listing.toString()).not.toMatch(/compressed packet/);
    else expect(listing.toString()).toContain(`compressed packet: algo=${algorithm}`);
    expect((await decryptFile(output, { passphrase: PASSPHRASE })).equals(plaintext)).toBe(true);
    await expect(decryptFile(output, { passphrase: 'not the passphrase' })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
  });

  it('gpg --symmetric with BZip2: a clear FORMAT_ERROR', async () => {
    const input = join(dir, 'plain-bzip2');
    writeFileSync(input, 'compressible text\n'.repeat(1000));
    await gpgOk(['--symmetric', '--compress-algo', 'bzip2', '-o', `${input}.gpg`, input], {
      passphrase: PASSPHRASE,
    });
    await expect(decryptFile(`${input}.gpg`, { passphrase: PASSPHRASE })).rejects.toMatchObject({
      code: 'FORMAT_ERROR',
      message: expect.stringMatching(/BZip2/),
    });
  });

  it('gpg --encrypt -r to our key: Rekey decrypts with the private key', async () => {
    const pair = await generateKeyPair({ name: 'Restore Key', passphrase: KEY_PASSPHRASE });
    await gpgOk(['--import'], { stdin: Buffer.from(pair.publicKey) });
    const plaintext = randomBytes(2 * MiB + 3);
    const input = join(dir, 'plain-to-key');
    writeFileSync(input, plaintext);
    const { stderr } = await gpgOk([
      '--trust-model',
      'always',
      '--encrypt',
      '-r',
      pair.fingerprint,
      '-o',
      `${input}.gpg`,
      input,
    ]);
    expect(stderr).not.toMatch(/AEAD|OCB/);
    const decrypted = await decryptFile(`${input}.gpg`, {
      privateKey: { armored: pair.privateKey, passphrase: KEY_PASSPHRASE },
    });
    expect(decrypted.equals(plaintext)).toBe(true);
  });

  it('tar -c of two files | gpg --symmetric: Rekey gives the tar bytes back', async () => {
    const source = join(dir, 'tar-src-gpg');
    mkdirSync(source);
    writeFileSync(join(source, 'a.txt'), 'first file\n');
    writeFileSync(join(source, 'b.bin'), randomBytes(123_456));
    const tarball = join(dir, 'stock.tar');
    const bundle = join(dir, 'stock.tar.gpg');
    await sh(
      'tar -cf - -C "$SRC" a.txt b.bin | tee "$TAR" | gpg --batch --no-tty --pinentry-mode loopback --passphrase-file "$PASS" --symmetric --cipher-algo AES256 -o "$OUT"',
      { SRC: source, TAR: tarball, OUT: bundle, PASS: passphraseFile(PASSPHRASE) },
    );
    const decrypted = await decryptFile(bundle, { passphrase: PASSPHRASE });
    expect(decrypted.equals(readFileSync(tarball))).toBe(true);
  });
});

describe('memory', () => {
  const SIZE = 256 * MiB;
  /** Generous: buffering the message would add 256 MiB; streaming stays far below. */
  const LIMIT = 100 * MiB;

  /** Peak resident memory while `work` runs, sampled on a timer and by the caller. */
  async function peakRss<T>(work: (sample: () => void) => Promise<T>) {
    let peak = process.memoryUsage.rss();
    const sample = (): void => {
      peak = Math.max(peak, process.memoryUsage.rss());
    };
    const timer = setInterval(sample, 5);
    try {
      const value = await work(sample);
      sample();
      return { value, peak };
    } finally {
      clearInterval(timer);
    }
  }

  it('encrypting and decrypting 256 MiB (hash and discard) keeps RSS growth bounded', async () => {
    const block = randomBytes(MiB);
    const expected = createHash('sha256');
    for (let i = 0; i < SIZE / MiB; i++) expected.update(block);
    const digest = expected.digest('hex');
    const path = join(dir, 'big.gpg');
    const baseline = process.memoryUsage.rss();

    const encrypted = await peakRss(async (sample) => {
      const plaintext = Readable.from(
        (function* () {
          for (let i = 0; i < SIZE / MiB; i++) {
            sample();
            yield block;
          }
        })(),
      );
      await pipeline(
        await encryptStream(plaintext, { passphrase: PASSPHRASE }),
        createWriteStream(path),
      );
    });

    const decrypted = await peakRss(async (sample) => {
      const { data, authenticated } = await decryptStream(createReadStream(path), {
        passphrase: PASSPHRASE,
      });
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of data) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
        sample();
      }
      await authenticated;
      return { size, digest: hash.digest('hex') };
    });

    expect(decrypted.value).toEqual({ size: SIZE, digest });
    const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
    const encryptGrowth = encrypted.peak - baseline;
    const decryptGrowth = decrypted.peak - baseline;
    expect(encryptGrowth, `encrypt: peak RSS growth ${mib(encryptGrowth)}`).toBeLessThan(LIMIT);
    expect(decryptGrowth, `decrypt: peak RSS growth ${mib(decryptGrowth)}`).toBeLessThan(LIMIT);
  }, 300_000);
});
