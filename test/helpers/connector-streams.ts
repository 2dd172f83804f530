import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { Connector } from '../../src/main/connectors/connector';
import { processArgs, waitFor } from './ssh-client';

/**
 * The streaming half of the Connector contract (openRead, execStream), run against a real
 * transport by each connector's test file: local processes, or the private sshd.
 */

export const MiB = 1024 * 1024;
const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest('hex');

export function errorOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  return promise.then(
    () => {
      throw new Error('expected a failure, but it succeeded');
    },
    (error: unknown) => error as Error & { code?: string },
  );
}

/** The error a stream fails with; it must fail, not end. */
export function streamErrorOf(stream: Readable): Promise<Error & { code?: string }> {
  return new Promise((resolve, reject) => {
    stream.once('error', resolve);
    stream.once('end', () => reject(new Error('the stream ended instead of failing')));
  });
}

/** Reads a stream at the pace a test sets: slowly, not at all, or as fast as it can. */
export class PacedReader {
  bytes = 0;
  readonly finished: Promise<void>;
  private delayMs = 0;
  private held = false;

  constructor(private readonly stream: Readable) {
    this.finished = new Promise((resolve, reject) => {
      stream.once('end', resolve);
      stream.once('error', reject);
    });
    // Tests that expect a failure check it on the stream or on `done`.
    this.finished.catch(() => undefined);
    stream.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      if (this.delayMs === 0) return;
      stream.pause();
      setTimeout(() => {
        if (!this.held) stream.resume();
      }, this.delayMs);
    });
  }

  /** One chunk, then a pause of `delayMs`, and so on. */
  slow(delayMs: number): void {
    this.delayMs = delayMs;
  }

  hold(): void {
    this.held = true;
    this.stream.pause();
  }

  fast(): void {
    this.held = false;
    this.delayMs = 0;
    this.stream.resume();
  }
}

/** Memory the process holds: resident, and outside the JS heap (Buffers live there). */
function memory(): { rss: number; external: number } {
  const { rss, external } = process.memoryUsage();
  return { rss, external };
}

/**
 * Starts a 256 MiB producer, reads it slowly for a while, then not at all for a second: what
 * the process holds must not grow by more than 64 MiB meanwhile (without backpressure the
 * producer would push far more than that into Rekey within the second). Then reads it all.
 */
export async function checkBoundedMemory(connector: Connector): Promise<void> {
  const total = 256 * MiB;
  const { stdout, done } = await connector.execStream({
    argv: ['head', '-c', String(total), '/dev/urandom'],
  });
  const reader = new PacedReader(stdout);
  reader.slow(5);
  await waitFor('the slow consumer to read 1 MiB', () => (reader.bytes > MiB ? true : undefined));
  await sleep(300);
  reader.hold();
  await sleep(100);
  const before = memory();
  const bytesBefore = reader.bytes;
  await sleep(1_000);
  const after = memory();
  expect(reader.bytes).toBe(bytesBefore);
  expect(bytesBefore).toBeLessThan(total / 2);
  expect(stdout.readableLength).toBeLessThan(4 * MiB);
  expect(after.rss - before.rss).toBeLessThan(64 * MiB);
  expect(after.external - before.external).toBeLessThan(64 * MiB);

  reader.fast();
  await reader.finished;
  expect(reader.bytes).toBe(total);
  expect(await done).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
}

/** The streaming contract for one connector; `connect` gives a fresh one per test. */
export function streamingContract(connect: () => Promise<Connector>, tempDir: () => string) {
  it('openRead streams a 64 MiB file with its size; NOT_FOUND when missing', async () => {
    const connector = await connect();
    const dir = tempDir();
    const content = randomBytes(64 * MiB);
    writeFileSync(join(dir, 'dump.bin'), content);
    const { size, stream } = await connector.openRead(join(dir, 'dump.bin'));
    expect(size).toBe(content.length);
    const hash = createHash('sha256');
    await pipeline(stream, hash);
    expect(hash.digest('hex')).toBe(sha256(content));

    expect((await errorOf(connector.openRead(join(dir, 'missing')))).code).toBe('NOT_FOUND');
    mkdirSync(join(dir, 'a-dir'));
    const onDirectory = await errorOf(connector.openRead(join(dir, 'a-dir')));
    expect(onDirectory.message).toContain('not a regular file');
  });

  it('execStream holds memory bounded under a slow consumer, then delivers all 256 MiB', async () => {
    await checkBoundedMemory(await connect());
  }, 120_000);

  it('execStream pipes input after stdin; the command reads both', async () => {
    const connector = await connect();
    const content = randomBytes(32 * MiB);
    const chunks = Array.from({ length: 32 }, (_, i) => content.subarray(i * MiB, (i + 1) * MiB));
    const hashed = await connector.execStream({
      argv: ['sha256sum'],
      input: Readable.from(chunks),
    });
    const stdout: Buffer[] = [];
    hashed.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    expect(await hashed.done).toMatchObject({ code: 0, stderr: '' });
    expect(Buffer.concat(stdout).toString()).toBe(`${sha256(content)}  -\n`);

    const both = await connector.execStream({
      argv: ['cat'],
      stdin: 'first\n',
      input: Readable.from([Buffer.from('then the stream\n')]),
    });
    const text: Buffer[] = [];
    both.stdout.on('data', (chunk: Buffer) => text.push(chunk));
    await both.done;
    expect(Buffer.concat(text).toString()).toBe('first\nthen the stream\n');
  }, 60_000);

  it('execStream reports a non-zero exit with stderr, passes env, and fails on bad input', async () => {
    const connector = await connect();
    const failing = await connector.execStream({ argv: ['sh', '-c', 'echo oops >&2; exit 3'] });
    failing.stdout.resume();
    expect(await failing.done).toEqual({ code: 3, signal: null, stdout: '', stderr: 'oops\n' });

    const value = `x y\n'"$(id)\u00e9`;
    const echoed = await connector.execStream({
      argv: ['sh', '-c', 'printf %s "$X"'],
      env: { X: value },
    });
    const out: Buffer[] = [];
    echoed.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    expect((await echoed.done).code).toBe(0);
    expect(Buffer.concat(out).toString('utf8')).toBe(value);

    // A failing input stops the command rather than letting it run on a truncated input.
    const broken = new Readable({ read() {} });
    broken.push('partial');
    const fed = await connector.execStream({ argv: ['cat'], input: broken });
    fed.stdout.resume();
    fed.stdout.on('error', () => undefined);
    broken.destroy(new Error('source went away'));
    expect((await errorOf(fed.done)).code).toBe('IO');

    expect((await errorOf(connector.execStream({ argv: [] }))).code).toBe('INVALID_INPUT');
  });

  it('execStream kills a command that outlives its timeout: CONNECTION_TIMEOUT, stdout fails', async () => {
    const connector = await connect();
    const marker = `rekey-stream-timeout-${randomBytes(4).toString('hex')}`;
    const started = Date.now();
    const { stdout, done } = await connector.execStream({
      argv: ['sh', '-c', 'echo started; sleep 30 & sleep 31; true', marker],
      timeoutMs: 500,
    });
    const streamError = streamErrorOf(stdout);
    stdout.resume();
    const error = await errorOf(done);
    expect(error.code).toBe('CONNECTION_TIMEOUT');
    expect(await streamError).toBe(error);
    expect(Date.now() - started).toBeLessThan(5_000);
    await waitFor('the timed-out command to be killed', () =>
      processArgs().includes(marker) ? undefined : true,
    );
  });

  it('execStream stops the command when the consumer destroys stdout early', async () => {
    const connector = await connect();
    const marker = `rekey-stream-abandon-${randomBytes(4).toString('hex')}`;
    const { stdout, done } = await connector.execStream({
      argv: ['sh', '-c', 'while :; do echo y; done', marker],
    });
    stdout.once('data', () => stdout.destroy());
    expect((await errorOf(done)).code).toBe('IO');
    await waitFor('the abandoned command to be stopped', () =>
      processArgs().includes(marker) ? undefined : true,
    );
    // Commands still run afterwards (over SSH: the channel slot was given back).
    expect((await connector.exec({ argv: ['echo', 'ok'] })).stdout).toBe('ok\n');
  });
}
