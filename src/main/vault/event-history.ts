import { hashEventLine } from './events';
import { VaultDamagedError } from './errors';
import { type Frame, openFrame } from './frames';
import { RECORD_EVENTS, countLines, lastLine } from './records';

/** A sealed record kept for later, with the chain value it was sealed against. */
export interface SealedRecord {
  frame: Frame;
  previous: Buffer;
}

/** What the snapshot says the archived events amount to. */
export interface ArchiveExpectation {
  eventCount: number;
  headHash: string;
}

/**
 * The full history as event blocks (one JSON event per line), oldest first. Blocks archived
 * before the last snapshot stay sealed until someone reads the history: opening a vault then
 * costs the snapshot and the recent records, not the whole past. Their bytes are already
 * authenticated, because the snapshot's record was sealed against a chain value committing to
 * every frame before it; decrypting them later only has to agree with what the snapshot says.
 */
export class EventHistory {
  #sealed: SealedRecord[];
  #archived: Buffer[] | null;
  readonly #recent: Buffer[] = [];
  readonly #key: Buffer;
  readonly #vaultId: Buffer;
  readonly #expected: ArchiveExpectation | null;

  constructor(
    key: Buffer,
    vaultId: Buffer,
    sealed: SealedRecord[],
    expected: ArchiveExpectation | null,
  ) {
    this.#key = key;
    this.#vaultId = vaultId;
    this.#sealed = sealed;
    this.#archived = sealed.length === 0 && !expected ? [] : null;
    this.#expected = expected;
  }

  /** Starts a history whose every block is known in plaintext (after compaction). */
  static fromBlocks(key: Buffer, vaultId: Buffer, blocks: Buffer[]): EventHistory {
    const history = new EventHistory(key, vaultId, [], null);
    history.#recent.push(...blocks);
    return history;
  }

  blocks(): readonly Buffer[] {
    return [...this.#archivedBlocks(), ...this.#recent];
  }

  append(block: Buffer): void {
    this.#recent.push(block);
  }

  wipe(): void {
    for (const block of this.#archived ?? []) block.fill(0);
    for (const block of this.#recent) block.fill(0);
  }

  #archivedBlocks(): Buffer[] {
    if (this.#archived) return this.#archived;
    const blocks: Buffer[] = [];
    for (const { frame, previous } of this.#sealed) {
      const plaintext = openFrame(this.#key, this.#vaultId, frame, previous);
      if (plaintext[0] === RECORD_EVENTS) blocks.push(plaintext.subarray(1));
    }
    const expected = this.#expected;
    if (expected) {
      const count = blocks.reduce((sum, block) => sum + countLines(block), 0);
      const last = blocks.at(-1);
      const head = last ? hashEventLine(lastLine(last)) : null;
      if (count !== expected.eventCount || (head !== null && head !== expected.headHash)) {
        const frame = this.#sealed.at(-1)?.frame;
        throw new VaultDamagedError(
          { record: frame ? frame.index + 1 : 0, offset: frame?.offset ?? 0 },
          'snapshot does not match the history before it',
        );
      }
    }
    this.#sealed = [];
    this.#archived = blocks;
    return blocks;
  }
}
