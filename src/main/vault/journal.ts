import { UnknownEventKindError, decodeEvent, genesisEventHash } from './events';
import { EventHistory } from './event-history';
import { type Frame, chainHash, genesisHash, openFrame, scanFrames } from './frames';
import { type VaultHeader, FORMAT_VERSION, decodeHeader } from './header';
import { VaultDamagedError, newerFormat } from './errors';
import { RECORD_EVENTS, RECORD_SNAPSHOT, splitLines } from './records';
import { type VaultState, InconsistentEventError, applyEvent, emptyState } from './state';
import { decodeSnapshot } from './snapshot';

/**
 * Reads a vault file into memory: header, then every record, each authenticated against its
 * position and everything before it. The state comes from the last snapshot plus the events
 * after it; older event blocks stay sealed until someone reads the history.
 */

/** Where the next append goes, and what it must chain to. */
export interface JournalPosition {
  end: number;
  nextIndex: number;
  lastFrameHash: Buffer;
  /** Bytes of an interrupted append after `end`; the next writer truncates them. */
  tornBytes: number;
  recordsSinceSnapshot: number;
  /** The state's event count when the last snapshot was taken (0 without one). */
  eventCountAtSnapshot: number;
}

export interface Journal {
  path: string;
  header: VaultHeader;
  headerLength: number;
  vaultKey: Buffer;
  state: VaultState;
  /** Every events record's lines, oldest first: the full history. */
  history: EventHistory;
  position: JournalPosition;
}

/**
 * What an unlocker may ask of the file beyond its header. A key kept elsewhere (the OS
 * keychain) has no password check to pass, so it is tried on the first record instead:
 * a stale key then fails as such, not as "record 0 is damaged".
 */
export interface UnlockContext {
  keyOpensVault(key: Buffer): boolean;
}

/** Produces the vault key for a header: from a password, or from a key kept elsewhere. */
export type Unlocker = (header: VaultHeader, context?: UnlockContext) => Promise<Buffer>;

function keyOpensFirstRecord(key: Buffer, vaultId: Buffer, frames: readonly Frame[]): boolean {
  const first = frames[0];
  if (!first) return false;
  try {
    openFrame(key, vaultId, first, genesisHash(vaultId));
    return true;
  } catch {
    return false;
  }
}

interface OpenedRecord {
  frame: Frame;
  type: number;
  body: Buffer;
}

function openRecord(
  vaultKey: Buffer,
  vaultId: Buffer,
  frame: Frame,
  previous: Buffer,
): OpenedRecord {
  const plaintext = openFrame(vaultKey, vaultId, frame, previous);
  const type = plaintext[0];
  if (type !== RECORD_EVENTS && type !== RECORD_SNAPSHOT) {
    throw newerFormat(FORMAT_VERSION + 1, FORMAT_VERSION);
  }
  return { frame, type, body: plaintext.subarray(1) };
}

function damaged(frame: Frame, reason: string): VaultDamagedError {
  return new VaultDamagedError({ record: frame.index, offset: frame.offset }, reason);
}

function applyEventsRecord(state: VaultState, record: OpenedRecord): void {
  for (const line of splitLines(record.body)) {
    try {
      applyEvent(state, decodeEvent(line));
    } catch (error) {
      if (error instanceof UnknownEventKindError) {
        throw newerFormat(FORMAT_VERSION + 1, FORMAT_VERSION);
      }
      const reason = error instanceof InconsistentEventError ? error.message : 'unreadable event';
      throw damaged(record.frame, reason);
    }
  }
}

/**
 * Opens records from the newest back to the last snapshot. When one fails, every later one
 * fails too (they are sealed against chain values covering it), so the damaged record is
 * found by opening forward from the start.
 */
function openBackToSnapshot(
  vaultKey: Buffer,
  vaultId: Buffer,
  frames: readonly Frame[],
  previousOf: (index: number) => Buffer,
): { opened: OpenedRecord[]; snapshotAt: number } {
  const opened: OpenedRecord[] = [];
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i] as Frame;
    let record: OpenedRecord;
    try {
      record = openRecord(vaultKey, vaultId, frame, previousOf(i));
    } catch (error) {
      if (!(error instanceof VaultDamagedError)) throw error;
      for (const [at, earlier] of frames.entries())
        openFrame(vaultKey, vaultId, earlier, previousOf(at));
      throw error;
    }
    opened.unshift(record);
    if (record.type === RECORD_SNAPSHOT) return { opened, snapshotAt: i };
  }
  return { opened, snapshotAt: -1 };
}

export async function readJournal(bytes: Buffer, path: string, unlock: Unlocker): Promise<Journal> {
  const { header, length: headerLength } = decodeHeader(bytes, path);
  const { frames, consumed, tornBytes } = scanFrames(bytes.subarray(headerLength), headerLength, 0);
  const { vaultId } = header;
  const vaultKey = await unlock(header, {
    keyOpensVault: (key) => keyOpensFirstRecord(key, vaultId, frames),
  });

  const chain: Buffer[] = [];
  let previous = genesisHash(vaultId);
  for (const frame of frames) {
    previous = chainHash(previous, frame.bytes);
    chain.push(previous);
  }
  const previousOf = (index: number) =>
    index === 0 ? genesisHash(vaultId) : (chain[index - 1] as Buffer);
  const { opened, snapshotAt } = openBackToSnapshot(vaultKey, vaultId, frames, previousOf);

  let state = emptyState(genesisEventHash(vaultId));
  let history = new EventHistory(vaultKey, vaultId, [], null);
  let tail = opened;
  if (snapshotAt >= 0) {
    const [snapshot, ...rest] = opened as [OpenedRecord, ...OpenedRecord[]];
    try {
      state = decodeSnapshot(snapshot.body);
    } catch {
      throw damaged(snapshot.frame, 'unreadable snapshot');
    }
    const sealed = frames
      .slice(0, snapshotAt)
      .map((frame) => ({ frame, previous: previousOf(frame.index) }));
    history = new EventHistory(vaultKey, vaultId, sealed, {
      eventCount: state.eventCount,
      headHash: state.headHash,
    });
    tail = rest;
  }
  const journal: Journal = {
    path,
    header,
    headerLength,
    vaultKey,
    state,
    history,
    position: {
      end: headerLength + consumed,
      nextIndex: frames.length,
      lastFrameHash: previous,
      tornBytes,
      recordsSinceSnapshot: 0,
      eventCountAtSnapshot: state.eventCount,
    },
  };
  applyRecords(journal, tail);
  return journal;
}

function applyRecords(journal: Journal, records: readonly OpenedRecord[]): void {
  for (const record of records) {
    if (record.type === RECORD_EVENTS) {
      applyEventsRecord(journal.state, record);
      journal.history.append(record.body);
      journal.position.recordsSinceSnapshot++;
      continue;
    }
    // Writers only put snapshots at the end of a compacted file; one appended later must
    // agree with the state we replayed.
    let snapshot: VaultState;
    try {
      snapshot = decodeSnapshot(record.body);
    } catch {
      throw damaged(record.frame, 'unreadable snapshot');
    }
    if (
      snapshot.eventCount !== journal.state.eventCount ||
      snapshot.headHash !== journal.state.headHash
    ) {
      throw damaged(record.frame, 'snapshot does not match the history before it');
    }
    journal.state = snapshot;
    journal.position.recordsSinceSnapshot = 0;
    journal.position.eventCountAtSnapshot = snapshot.eventCount;
  }
}

/**
 * Brings an open journal up to date with records another process appended: `tail` holds the
 * file's bytes from `journal.position.end` on.
 */
export function readJournalTail(journal: Journal, tail: Buffer): void {
  const { position, vaultKey, header } = journal;
  const scan = scanFrames(tail, position.end, position.nextIndex);
  let previous = position.lastFrameHash;
  const records = scan.frames.map((frame) => {
    const record = openRecord(vaultKey, header.vaultId, frame, previous);
    previous = chainHash(previous, frame.bytes);
    return record;
  });
  applyRecords(journal, records);
  position.end += scan.consumed;
  position.nextIndex += scan.frames.length;
  position.lastFrameHash = previous;
  position.tornBytes = scan.tornBytes;
}
