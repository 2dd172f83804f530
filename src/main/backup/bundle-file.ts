import { type FileHandle, open } from 'node:fs/promises';
import { Writable } from 'node:stream';

/**
 * The file a bundle is written to, flushed to disk while it grows.
 *
 * Why: a bundle is gigabytes, and Linux keeps written data in memory until it is 30 s old or a
 * tenth of RAM is dirty. Written plainly, the whole bundle would sit in memory while it is
 * encrypted and the final fsync would then wait for all of it, with the disk idle before. An
 * fdatasync every FLUSH_BYTES, in the background (libuv's pool, one at a time, writes go on
 * meanwhile), keeps the disk busy during encryption, so the caller's final fsync only waits for
 * the tail.
 */

const FLUSH_BYTES = 64 * 1024 * 1024;
/** Enough queued writes to keep the encryption going while one is in the kernel. */
const HIGH_WATER_MARK = 4 * 1024 * 1024;

export class BundleFileWriter extends Writable {
  private handle: FileHandle | null = null;
  private unflushed = 0;
  private flushing: Promise<void> | null = null;
  private flushError: Error | null = null;

  /** Creates `path` (it must not exist) with `mode`. */
  constructor(
    private readonly path: string,
    private readonly mode = 0o600,
    private readonly flushBytes = FLUSH_BYTES,
  ) {
    super({ highWaterMark: HIGH_WATER_MARK });
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.path, 'wx', this.mode).then((handle) => {
      this.handle = handle;
      callback();
    }, callback);
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.writeAll([chunk]).then(() => callback(), callback);
  }

  override _writev(
    chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ): void {
    this.writeAll(chunks.map((entry) => entry.chunk)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    // The last background flush must end (and its failure be heard) before the file is final.
    (async () => {
      await this.flushing;
      if (this.flushError) throw this.flushError;
    })().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    this.handle = null;
    (async () => {
      await this.flushing; // never close the descriptor under a running fdatasync
      await handle?.close();
    })().then(
      () => callback(error),
      (closeError: unknown) => callback(error ?? (closeError as Error)),
    );
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error(`${this.path} is not open`);
    if (this.flushError) throw this.flushError;
    let pending = buffers;
    let total = 0;
    while (pending.length > 0) {
      const { bytesWritten } = await handle.writev(pending);
      total += bytesWritten;
      pending = dropWritten(pending, bytesWritten);
    }
    this.unflushed += total;
    if (this.unflushed >= this.flushBytes && this.flushing === null) {
      this.unflushed = 0;
      this.flushing = handle
        .datasync()
        .catch((error: unknown) => {
          this.flushError ??= error instanceof Error ? error : new Error(String(error));
        })
        .finally(() => {
          this.flushing = null;
        });
    }
  }
}

/** What is left of `buffers` after the first `count` bytes were written. */
function dropWritten(buffers: Buffer[], count: number): Buffer[] {
  let left = count;
  let index = 0;
  while (index < buffers.length && left >= (buffers[index]?.length ?? 0)) {
    left -= buffers[index]?.length ?? 0;
    index++;
  }
  const rest = buffers.slice(index);
  const first = rest[0];
  if (first !== undefined && left > 0) rest[0] = first.subarray(left);
  return rest;
}
