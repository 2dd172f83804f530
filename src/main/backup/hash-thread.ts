import { Transform } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { RekeyError } from '../../shared/errors';

/**
 * Incremental hashes computed on worker threads, beside the main thread's work.
 *
 * Why: writing a bundle hashes every byte three times (SHA-256 per tar entry for SHA256SUMS,
 * SHA-1 for the OpenPGP MDC, SHA-256 of the encrypted file) and encrypts it once with AES-CFB,
 * all of it serial work. On one thread that is about twice gpg's work (gpg hashes once, and tar
 * runs in its own process); on threads of their own the hashes run while the main thread
 * encrypts. The hash is still OpenSSL's (node:crypto in the worker).
 *
 * The bytes travel through a ring buffer in shared memory (one per thread, reused), not in
 * messages: a message per chunk cost the main thread about as much as hashing the chunk itself.
 * The main thread copies into the ring and moves on; it waits only when the ring is full, so a
 * slow hash holds back its feeder and memory stays bounded. Threads are pooled: a hash takes one
 * at its first byte and gives it back with its digest; idle ones end after a few seconds. A
 * thread holds the process open only while the main thread waits for it, so neither an idle
 * thread nor an abandoned hash does.
 */

/** Bytes of each ring: a power of two, so positions wrap with a mask. */
export const RING_BYTES = 4 * 1024 * 1024;
/**
 * The worker is woken when this much has come since it was last woken (or the ring is full, or
 * the hash ends), not at every write: a wake-up is a system call and a context switch, and with
 * the hash faster than its feeder the worker would otherwise be woken for every small chunk.
 */
const WAKE_BYTES = 1024 * 1024;
/** The worker publishes its progress at least this often, so the feeder can refill early. */
const STEP_BYTES = 256 * 1024;
/** Idle threads kept for the next hash (a bundle hashes its entries one after the other)... */
const MAX_IDLE = 3;
/** ...for a few seconds: then they go, with their memory (an isolate and a ring each). */
const IDLE_MS = 5000;

// Control words, in an Int32Array over shared memory. Positions count bytes and wrap at 2^32
// (`| 0`): only their differences and their low bits are used.
const WRITTEN = 0;
const READ = 1;
const CLOSED = 2;
/**
 * Bumped by the feeder after each write and at the close; the worker sleeps on it. Read before
 * looking for work, so that nothing the feeder does after that look can be missed (sleeping on
 * WRITTEN alone would miss a close that comes between the look and the sleep).
 */
const SIGNAL = 3;

// Plain CommonJS run with `eval`: no separate file to locate once the sources are bundled.
// One job at a time: hash what the feeder writes until it closes the ring, then reply with
// the digest.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ algorithm, control, ring }) => {
  const ctl = new Int32Array(control);
  const bytes = Buffer.from(ring);
  const mask = bytes.length - 1;
  const hash = createHash(algorithm);
  let read = Atomics.load(ctl, ${READ});
  for (;;) {
    const signal = Atomics.load(ctl, ${SIGNAL});
    const closed = Atomics.load(ctl, ${CLOSED}); // before WRITTEN: then WRITTEN is final
    const written = Atomics.load(ctl, ${WRITTEN});
    let available = (written - read) | 0;
    if (available === 0) {
      if (closed === 1) break;
      Atomics.wait(ctl, ${SIGNAL}, signal);
      continue;
    }
    while (available > 0) {
      const at = read & mask;
      const n = Math.min(available, bytes.length - at, ${STEP_BYTES});
      hash.update(bytes.subarray(at, at + n));
      read = (read + n) | 0;
      available -= n;
      Atomics.store(ctl, ${READ}, read);
      Atomics.notify(ctl, ${READ});
    }
  }
  parentPort.postMessage(hash.digest());
});
`;

class HashWorker {
  readonly worker = new Worker(WORKER_SOURCE, { eval: true, name: 'rekey-hash' });
  readonly control = new Int32Array(new SharedArrayBuffer(4 * 4));
  readonly ring = Buffer.from(new SharedArrayBuffer(RING_BYTES));
  private failure: Error | null = null;
  private pending: { resolve(digest: Buffer): void; reject(error: Error): void } | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Settles when the thread dies: a feeder waiting for room must not wait forever. */
  readonly died: Promise<void>;

  constructor() {
    let died!: () => void;
    this.died = new Promise((resolve) => (died = resolve));
    const fail = (error: Error): void => {
      this.failure ??= new RekeyError('INTERNAL', 'A hash thread failed', { cause: error });
      this.pending?.reject(this.failure);
      this.pending = null;
      const at = idle.indexOf(this);
      if (at >= 0) idle.splice(at, 1);
      died();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the hash thread exited (${code})`)));
    this.worker.unref();
    this.worker.on('message', (digest: Uint8Array) => {
      this.pending?.resolve(Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength));
      this.pending = null;
    });
  }

  get failed(): Error | null {
    return this.failure;
  }

  start(algorithm: string): void {
    this.control.fill(0);
    this.worker.postMessage({ algorithm, control: this.control.buffer, ring: this.ring.buffer });
  }

  /**
   * Waits for `promise` with the thread referenced: nothing else may keep Node's event loop
   * running meanwhile (a wait on shared memory does not). Otherwise the thread is unreferenced,
   * so that a hash abandoned half-way never holds the process open.
   */
  async hold<T>(promise: Promise<T>): Promise<T> {
    this.worker.ref();
    try {
      return await promise;
    } finally {
      this.worker.unref();
    }
  }

  finish(): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    const digest = new Promise<Buffer>((resolve, reject) => (this.pending = { resolve, reject }));
    Atomics.store(this.control, CLOSED, 1);
    signal(this.control);
    return this.hold(digest);
  }

  release(): void {
    if (this.failure !== null || idle.length >= MAX_IDLE) {
      void this.worker.terminate();
      return;
    }
    idle.push(this);
    this.idleTimer = setTimeout(() => {
      const at = idle.indexOf(this);
      if (at >= 0) idle.splice(at, 1);
      void this.worker.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  /** Taken from the idle pool for a new hash. */
  reuse(): this {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    return this;
  }
}

const idle: HashWorker[] = [];

/**
 * Copies `piece` into the ring at `offset`. Not with `Uint8Array.prototype.set` (nor
 * `Buffer.copy`, which uses it): into shared memory V8 copies with relaxed atomic stores, word
 * by word, or byte by byte when source and target are not aligned alike, three to fifteen times
 * slower than memcpy. `Buffer.prototype.fill` with a buffer of the length to fill is a memcpy.
 * The copy is published to the worker by the atomic store of WRITTEN that follows it.
 */
function copyInto(ring: Buffer, offset: number, piece: Uint8Array): void {
  ring.fill(piece, offset, offset + piece.length);
}

/** Wakes the worker (see SIGNAL). */
function signal(control: Int32Array): void {
  Atomics.add(control, SIGNAL, 1);
  Atomics.notify(control, SIGNAL);
}

/** `Atomics.waitAsync` (ES2024; in Node since 16), typed here: the project's lib is ES2023. */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** A hash like node:crypto's `createHash(algorithm)`, computed on a hash thread. */
export class ThreadHash {
  private thread: HashWorker | null = null;
  private written = 0;
  /** `written` when the worker was last woken. */
  private woken = 0;
  private finished = false;

  constructor(private readonly algorithm: 'sha1' | 'sha256') {}

  /**
   * Hashes `bytes`, which the caller may reuse as soon as the promise resolves (at once, unless
   * the ring is full: then once the thread has made room).
   */
  async update(bytes: Uint8Array): Promise<void> {
    if (this.finished) throw new RekeyError('INTERNAL', 'This hash is finished');
    const thread = this.acquire();
    const { control, ring } = thread;
    let at = 0;
    while (at < bytes.length) {
      if (thread.failed) throw thread.failed;
      const read = Atomics.load(control, READ);
      const free = RING_BYTES - ((this.written - read) | 0);
      if (free === 0) {
        this.wake(control);
        const wait = waitAsync(control, READ, read);
        if (wait.async) await thread.hold(Promise.race([wait.value, thread.died]));
        continue;
      }
      const offset = this.written & (RING_BYTES - 1);
      const n = Math.min(free, bytes.length - at, RING_BYTES - offset);
      copyInto(ring, offset, bytes.subarray(at, at + n));
      at += n;
      this.written = (this.written + n) | 0;
      Atomics.store(control, WRITTEN, this.written);
      if (((this.written - this.woken) | 0) >= WAKE_BYTES) this.wake(control);
    }
  }

  private wake(control: Int32Array): void {
    this.woken = this.written;
    signal(control);
  }

  /** The digest of everything given to `update`; the hash cannot be used afterwards. */
  async digest(): Promise<Buffer> {
    if (this.finished) throw new RekeyError('INTERNAL', 'This hash is finished');
    const thread = this.acquire();
    this.finished = true;
    try {
      return await thread.finish();
    } finally {
      this.thread = null;
      thread.release();
    }
  }

  /** Abandons the hash (after a failure elsewhere); its thread is stopped, not reused. */
  discard(): void {
    this.finished = true;
    const thread = this.thread;
    this.thread = null;
    if (thread) void thread.worker.terminate();
  }

  private acquire(): HashWorker {
    if (this.thread) return this.thread;
    const thread = idle.pop()?.reuse() ?? new HashWorker();
    thread.start(this.algorithm);
    this.thread = thread;
    return thread;
  }
}

/**
 * Passes bytes through unchanged while hashing them on a hash thread and counting them. A chunk
 * goes on at once; the next is taken when the hash has its copy (backpressure from the thread).
 */
export class HashingPassThrough extends Transform {
  readonly hash: ThreadHash;
  bytes = 0;

  constructor(algorithm: 'sha1' | 'sha256') {
    super();
    this.hash = new ThreadHash(algorithm);
  }

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.bytes += chunk.length;
    this.push(chunk);
    this.hash.update(chunk).then(() => done(), done);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error) this.hash.discard(); // nobody will ask for the digest: stop its thread
    callback(error);
  }
}
