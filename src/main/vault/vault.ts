import { randomBytes } from 'node:crypto';
import { RekeyError } from '../../shared/errors';
import type { Source } from '../../shared/model';
import { Redactor } from '../redact/redactor';
import { kubeconfigCredentials } from './cluster-state';
import { type SecretValue } from './secret-value';
import { fingerprint, newVaultKey, seal, subkey } from './crypto';
import { VaultDamagedError } from './errors';
import { genesisEventHash } from './events';
import {
  type FileIdentity,
  appendDurably,
  ensureVaultDirectory,
  identityOf,
  isNotFound,
  readFileFrom,
  sameFile,
  writeFileAtomically,
} from './file-io';
import { encodeFrame, chainHash, genesisHash, recordAad } from './frames';
import { type VaultHeader, encodeHeader } from './header';
import { EventHistory } from './event-history';
import { type Journal, type Unlocker, readJournal, readJournalTail } from './journal';
import { type KdfCost, kdfParams } from './kdf';
import { unwrapVaultKey, wrapVaultKey } from './keywrap';
import { acquireVaultLock } from './lock';
import { eventsRecord, eventsRecordFromBlock, snapshotRecord } from './records';
import { encodeSnapshot } from './snapshot';
import { type VaultState, emptyState } from './state';
import { Transaction } from './transaction';

export interface VaultOptions {
  /** Which front door acts: recorded with every event. */
  source: Source;
  /** Shown to a process that waits for the lock, e.g. "rekey secret add". */
  command?: string;
  lockTimeoutMs?: number;
  /**
   * Compact once this many records, or this many events, follow the last snapshot: opening
   * replays everything after it, so both many small appends and a few huge imports count.
   */
  autoCompactAfter?: number;
  autoCompactAfterEvents?: number;
  onWarning?: (message: string) => void;
  now?: () => Date;
}

export const DEFAULT_AUTO_COMPACT_AFTER = 1000;
/** Replaying 5,000 events costs about as much as reading a snapshot of 10,000 secrets. */
export const DEFAULT_AUTO_COMPACT_AFTER_EVENTS = 5000;
/** Events per archived block after compaction: big enough to decrypt fast, small enough to page. */
const ARCHIVE_BLOCK_BYTES = 1024 * 1024;

export function passwordUnlocker(password: string): Unlocker {
  return (header) => unwrapVaultKey(header.wrappedKey, password, header.vaultId, header.kdf);
}

/**
 * An open vault. All writers go through `transact`, which takes the vault lock, catches up
 * with whatever other processes appended, applies the change and appends it as one durable
 * record. Readers take the lock shared while they read, so they never see half an append.
 */
export class Vault {
  #journal: Journal;
  #identity: FileIdentity;
  readonly #options: VaultOptions;
  readonly #fingerprintKey: Buffer;
  #redactor: Redactor | null = null;
  #catchUpQueue: Promise<void> = Promise.resolve();
  readonly #fingerprints = new WeakMap<SecretValue, string>();
  #closed = false;

  private constructor(journal: Journal, identity: FileIdentity, options: VaultOptions) {
    this.#journal = journal;
    this.#identity = identity;
    this.#options = options;
    this.#fingerprintKey = subkey(journal.vaultKey, journal.header.vaultId, 'fingerprint');
  }

  static async create(
    path: string,
    password: string,
    kdfCost: KdfCost,
    options: VaultOptions,
  ): Promise<Vault> {
    await ensureVaultDirectory(path);
    const vaultKey = newVaultKey();
    const vaultId = randomBytes(16);
    const kdf = kdfParams(kdfCost);
    const header: VaultHeader = {
      vaultId,
      createdAt: (options.now?.() ?? new Date()).toISOString(),
      kdf,
      wrappedKey: await wrapVaultKey(vaultKey, password, vaultId, kdf),
    };
    const state = emptyState(genesisEventHash(vaultId));
    const transaction = new Transaction(state, options.source, new Redactor(() => ''), new Date());
    transaction.record({ kind: 'vault.created', data: {} }, { summary: 'Vault created' });
    const headerBytes = encodeHeader(header);
    const record = eventsRecord(transaction.lines);
    const frame = encodeFrame(seal(vaultKey, record, recordAad(vaultId, 0, genesisHash(vaultId))));
    const lock = await acquireVaultLock(path, { ...lockOptions(options), shared: false });
    try {
      await writeFileAtomically(path, Buffer.concat([headerBytes, frame]), { exclusive: true });
    } finally {
      lock.release();
    }
    return Vault.open(path, async () => Buffer.from(vaultKey), options);
  }

  static async open(
    path: string,
    unlock: string | Unlocker,
    options: VaultOptions,
  ): Promise<Vault> {
    const unlocker = typeof unlock === 'string' ? passwordUnlocker(unlock) : unlock;
    if (!(await identityOf(path))) throw missingVault(path);
    const lock = await acquireVaultLock(path, { ...lockOptions(options), shared: true });
    try {
      const { bytes, identity } = await readFileFrom(path).catch((error: unknown) => {
        throw isNotFound(error) ? missingVault(path) : error;
      });
      const journal = await readJournal(bytes, path, unlocker);
      const vault = new Vault(journal, identity, options);
      vault.#warnAboutTornTail();
      return vault;
    } finally {
      lock.release();
    }
  }

  get path(): string {
    return this.#journal.path;
  }

  get vaultId(): string {
    return this.#journal.header.vaultId.toString('hex');
  }

  get kdf(): VaultHeader['kdf'] {
    return this.#journal.header.kdf;
  }

  get createdAt(): string {
    return this.#journal.header.createdAt;
  }

  /** The state as of the last read; call `refresh()` to see other processes' changes. */
  get state(): Readonly<VaultState> {
    this.#assertOpen();
    return this.#journal.state;
  }

  get fileSize(): number {
    return this.#journal.position.end;
  }

  get recordCount(): number {
    return this.#journal.position.nextIndex;
  }

  get vaultIdBytes(): Buffer {
    return Buffer.from(this.#journal.header.vaultId);
  }

  /**
   * A copy of the vault key, for "remember on this device" only: the caller hands it to the
   * OS keychain and zeroes the copy. The key never changes, so it stays valid after `passwd`.
   */
  copyVaultKey(): Buffer {
    this.#assertOpen();
    return Buffer.from(this.#journal.vaultKey);
  }

  get recordsSinceSnapshot(): number {
    return this.#journal.position.recordsSinceSnapshot;
  }

  get eventsSinceSnapshot(): number {
    return this.#journal.state.eventCount - this.#journal.position.eventCountAtSnapshot;
  }

  #compactionDue(): boolean {
    const records = this.#options.autoCompactAfter ?? DEFAULT_AUTO_COMPACT_AFTER;
    const events = this.#options.autoCompactAfterEvents ?? DEFAULT_AUTO_COMPACT_AFTER_EVENTS;
    return this.recordsSinceSnapshot >= records || this.eventsSinceSnapshot >= events;
  }

  /** Event blocks, oldest first: the raw material of history queries. */
  get eventBlocks(): readonly Buffer[] {
    return this.#journal.history.blocks();
  }

  fingerprint(value: string | SecretValue): string {
    if (typeof value === 'string') return fingerprint(this.#fingerprintKey, value);
    // Listings fingerprint every current value on each call; an HMAC each adds up at 10,000.
    let known = this.#fingerprints.get(value);
    if (known === undefined) {
      known = fingerprint(this.#fingerprintKey, value.reveal());
      this.#fingerprints.set(value, known);
    }
    return known;
  }

  /** A redactor that knows every value this vault has ever held. */
  get redactor(): Redactor {
    if (!this.#redactor) {
      this.#redactor = new Redactor((value) => this.fingerprint(value));
      this.#learnValues(this.#redactor);
    }
    return this.#redactor;
  }

  async refresh(): Promise<void> {
    this.#assertOpen();
    const lock = await acquireVaultLock(this.path, { ...lockOptions(this.#options), shared: true });
    try {
      await this.#catchUp();
    } finally {
      lock.release();
    }
  }

  async transact<T>(change: (transaction: Transaction) => T): Promise<T> {
    this.#assertOpen();
    const lock = await acquireVaultLock(this.path, {
      ...lockOptions(this.#options),
      shared: false,
    });
    try {
      await this.#catchUp();
      const transaction = new Transaction(
        this.#journal.state,
        this.#options.source,
        this.redactor,
        this.#now(),
      );
      let result: T;
      try {
        result = change(transaction);
        if (transaction.lines.length > 0) await this.#append(eventsRecord(transaction.lines));
      } catch (error) {
        // The change may have touched the in-memory state before failing: the file is the truth.
        if (transaction.lines.length > 0) await this.#reload();
        throw error;
      }
      if (transaction.lines.length > 0 && this.#compactionDue()) await this.#compactLocked();
      return result;
    } finally {
      lock.release();
    }
  }

  /**
   * Rewrites the file as archived event blocks plus a snapshot of the state. Every event is
   * kept byte for byte, so the history and its hash chain are unchanged.
   */
  async compact(): Promise<{ before: number; after: number }> {
    this.#assertOpen();
    const lock = await acquireVaultLock(this.path, {
      ...lockOptions(this.#options),
      shared: false,
    });
    try {
      await this.#catchUp();
      const before = this.fileSize;
      await this.#compactLocked();
      return { before, after: this.fileSize };
    } finally {
      lock.release();
    }
  }

  /** Re-wraps the vault key under a new password; records are copied, never re-encrypted. */
  async changePassword(current: string, next: string, kdfCost: KdfCost): Promise<void> {
    this.#assertOpen();
    const lock = await acquireVaultLock(this.path, {
      ...lockOptions(this.#options),
      shared: false,
    });
    try {
      await this.#catchUp();
      const { header, headerLength, position, vaultKey } = this.#journal;
      await unwrapVaultKey(header.wrappedKey, current, header.vaultId, header.kdf);
      const kdf = kdfParams(kdfCost);
      const newHeader: VaultHeader = {
        ...header,
        kdf,
        wrappedKey: await wrapVaultKey(vaultKey, next, header.vaultId, kdf),
      };
      const { bytes } = await readFileFrom(this.path, headerLength);
      const records = bytes.subarray(0, position.end - headerLength);
      const transaction = new Transaction(
        this.#journal.state,
        this.#options.source,
        this.redactor,
        this.#now(),
      );
      transaction.record(
        { kind: 'vault.password-changed', data: {} },
        { summary: 'Password changed' },
      );
      const plaintext = eventsRecord(transaction.lines);
      const frame = encodeFrame(
        seal(
          vaultKey,
          plaintext,
          recordAad(header.vaultId, position.nextIndex, position.lastFrameHash),
        ),
      );
      const headerBytes = encodeHeader(newHeader);
      try {
        await writeFileAtomically(this.path, Buffer.concat([headerBytes, records, frame]));
      } catch (error) {
        await this.#reload();
        throw error;
      }
      this.#journal.header = newHeader;
      this.#journal.headerLength = headerBytes.length;
      this.#journal.history.append(plaintext.subarray(1));
      position.end = headerBytes.length + records.length + frame.length;
      position.nextIndex++;
      position.lastFrameHash = chainHash(position.lastFrameHash, frame);
      position.tornBytes = 0;
      position.recordsSinceSnapshot++;
      await this.#rememberIdentity();
    } finally {
      lock.release();
    }
  }

  /** Forgets the key and the decrypted history; the object is unusable afterwards. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#journal.vaultKey.fill(0);
    this.#fingerprintKey.fill(0);
    this.#journal.history.wipe();
    this.#redactor = null;
  }

  #assertOpen(): void {
    if (this.#closed) throw new RekeyError('VAULT_LOCKED', 'The vault is locked');
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  #learnValues(redactor: Redactor): void {
    for (const host of this.#journal.state.hosts.values()) {
      if (host.auth.kind !== 'key') continue;
      redactor.add(host.auth.privateKey.reveal());
      if (host.auth.passphrase) redactor.add(host.auth.passphrase.reveal());
    }
    for (const secret of this.#journal.state.secrets.values()) {
      for (const version of secret.versions) redactor.add(version.value.reveal());
    }
    for (const key of this.#journal.state.pgpKeys.values()) {
      if (key.privateKey) redactor.add(key.privateKey.reveal());
    }
    for (const cluster of this.#journal.state.clusters.values()) {
      if (cluster.kubeconfig.kind !== 'vault') continue;
      for (const credential of kubeconfigCredentials(cluster.kubeconfig.text.reveal())) {
        redactor.add(credential);
      }
    }
  }

  #warnAboutTornTail(): void {
    const { tornBytes, end } = this.#journal.position;
    if (tornBytes > 0) {
      this.#options.onWarning?.(
        `Ignored ${tornBytes} bytes at the end of ${this.path} (offset ${end}): ` +
          'an interrupted write that was never confirmed. They are removed on the next change.',
      );
    }
  }

  /**
   * Catch-ups of this object run one after the other: two readers in one process (the UI
   * polling while a run records its steps) may both hold the shared lock, and two catch-ups
   * reading the same new bytes would apply them twice (the second fails to authenticate).
   */
  #catchUp(): Promise<void> {
    const next = this.#catchUpQueue.then(() => this.#catchUpNow());
    this.#catchUpQueue = next.catch(() => undefined);
    return next;
  }

  async #catchUpNow(): Promise<void> {
    const identity = await identityOf(this.path);
    if (!identity) throw missingVault(this.path);
    const { position } = this.#journal;
    if (!sameFile(identity, this.#identity) || identity.size < position.end) {
      await this.#reload();
    } else if (identity.size !== this.#identity.size || position.tornBytes > 0) {
      const { bytes } = await readFileFrom(this.path, position.end);
      try {
        readJournalTail(this.#journal, bytes);
      } catch (error) {
        await this.#reload();
        throw error;
      }
      this.#identity = identity;
    }
  }

  /** Reads the whole file again with the key we hold (the password may have changed). */
  async #reload(): Promise<void> {
    const { bytes, identity } = await readFileFrom(this.path);
    const key = Buffer.from(this.#journal.vaultKey);
    const journal = await readJournal(bytes, this.path, async () => key);
    if (!journal.header.vaultId.equals(this.#journal.header.vaultId)) {
      throw new RekeyError('NOT_A_VAULT', `${this.path} was replaced by a different vault`);
    }
    this.#journal.vaultKey.fill(0);
    this.#journal.history.wipe();
    this.#journal = journal;
    this.#identity = identity;
    this.#redactor = null;
  }

  async #rememberIdentity(): Promise<void> {
    const identity = await identityOf(this.path);
    if (!identity) throw missingVault(this.path);
    this.#identity = identity;
  }

  async #append(plaintext: Buffer): Promise<void> {
    const { header, position, vaultKey } = this.#journal;
    const aad = recordAad(header.vaultId, position.nextIndex, position.lastFrameHash);
    const frame = encodeFrame(seal(vaultKey, plaintext, aad));
    await appendDurably(this.path, position.end, frame);
    this.#journal.history.append(plaintext.subarray(1));
    position.end += frame.length;
    position.nextIndex++;
    position.lastFrameHash = chainHash(position.lastFrameHash, frame);
    position.tornBytes = 0;
    position.recordsSinceSnapshot++;
    this.#identity = { ...this.#identity, size: position.end };
  }

  async #compactLocked(): Promise<void> {
    const transaction = new Transaction(
      this.#journal.state,
      this.#options.source,
      this.redactor,
      this.#now(),
    );
    transaction.record({ kind: 'vault.compacted', data: {} }, { summary: 'Vault compacted' });
    const blocks = archiveBlocks([
      ...this.#journal.history.blocks(),
      eventsRecord(transaction.lines).subarray(1),
    ]);
    const { header, vaultKey } = this.#journal;
    const plaintexts = [
      ...blocks.map(eventsRecordFromBlock),
      snapshotRecord(encodeSnapshot(this.#journal.state)),
    ];
    const headerBytes = encodeHeader(header);
    const frames: Buffer[] = [];
    let previous = genesisHash(header.vaultId);
    for (const [index, plaintext] of plaintexts.entries()) {
      const frame = encodeFrame(
        seal(vaultKey, plaintext, recordAad(header.vaultId, index, previous)),
      );
      frames.push(frame);
      previous = chainHash(previous, frame);
    }
    const bytes = Buffer.concat([headerBytes, ...frames]);
    try {
      await writeFileAtomically(this.path, bytes);
    } catch (error) {
      await this.#reload();
      throw error;
    }
    this.#journal.headerLength = headerBytes.length;
    this.#journal.history.wipe();
    this.#journal.history = EventHistory.fromBlocks(vaultKey, header.vaultId, blocks);
    this.#journal.position = {
      end: bytes.length,
      nextIndex: frames.length,
      lastFrameHash: previous,
      tornBytes: 0,
      recordsSinceSnapshot: 0,
      eventCountAtSnapshot: this.#journal.state.eventCount,
    };
    await this.#rememberIdentity();
  }
}

/** Packs event blocks into blocks of about ARCHIVE_BLOCK_BYTES, never splitting a line. */
function archiveBlocks(blocks: readonly Buffer[]): Buffer[] {
  const packed: Buffer[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for (const block of blocks) {
    pending.push(block);
    pendingBytes += block.length;
    if (pendingBytes >= ARCHIVE_BLOCK_BYTES) {
      packed.push(Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    }
  }
  if (pending.length > 0) packed.push(Buffer.concat(pending));
  return packed;
}

function lockOptions(options: VaultOptions): { timeoutMs?: number; command: string } {
  return {
    command: options.command ?? `rekey (${options.source})`,
    ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
  };
}

function missingVault(path: string): RekeyError {
  return new RekeyError('VAULT_MISSING', `No vault at ${path}; create one with \`rekey init\``);
}

export { VaultDamagedError };
