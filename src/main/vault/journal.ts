import {
  type VaultEvent,
  UnknownEventKindError,
  decodeEvent,
  genesisEventHash,
  hashEventLine,
} from './events';
import { type Frame, frameHash, genesisHash, openFrame, scanFrames } from './frames';
import { type VaultHeader, FORMAT_VERSION, decodeHeader } from './header';
import { VaultDamagedError, newerFormat } from './errors';
import { RECORD_EVENTS, RECORD_SNAPSHOT, countLines, lastLine, splitLines } from './records';
import { type VaultState, InconsistentEventError, applyEvent, emptyState } from './state';
import { decodeSnapshot } from './snapshot';

/**
 * Reads a vault file into memory: header, then every record, each authenticated against its
 * position and its predecessor. The state comes from the last snapshot plus the events after
 * it; older event blocks are kept as bytes and parsed only when someone reads the history.
 */

/** Where the next append goes, and what it must chain to. */
export interface JournalPosition {
  end: number;
  nextIndex: number;
  lastFrameHash: Buffer;
  /** Bytes of an interrupted append after `end`; the next writer truncates them. */
  tornBytes: number;
  recordsSinceSnapshot: number;
}

export interface Journal {
  path: string;
  header: VaultHeader;
  headerLength: number;
  vaultKey: Buffer;
  state: VaultState;
  /** Every events record's lines, oldest first: the full history. */
  eventBlocks: Buffer[];
  position: JournalPosition;
}

/** Produces the vault key for a header: from a password, or from a key kept elsewhere. */
export type Unlocker = (header: VaultHeader) => Promise<Buffer>;

interface OpenedRecord {
  frame: Frame;
  type: number;
  body: Buffer;
}

function openRecords(
  vaultKey: Buffer,
  vaultId: Buffer,
  frames: Frame[],
  previousHash: Buffer,
): { records: OpenedRecord[]; lastHash: Buffer } {
  const records: OpenedRecord[] = [];
  let lastHash = previousHash;
  for (const frame of frames) {
    const plaintext = openFrame(vaultKey, vaultId, frame, lastHash);
    const type = plaintext[0];
    if (type !== RECORD_EVENTS && type !== RECORD_SNAPSHOT) {
      throw newerFormat(FORMAT_VERSION + 1, FORMAT_VERSION);
    }
    records.push({ frame, type, body: plaintext.subarray(1) });
    lastHash = frameHash(frame.bytes);
  }
  return { records, lastHash };
}

function damaged(frame: Frame, reason: string): VaultDamagedError {
  return new VaultDamagedError({ record: frame.index, offset: frame.offset }, reason);
}

function applyEventsRecord(state: VaultState, record: OpenedRecord): VaultEvent[] {
  const events: VaultEvent[] = [];
  for (const line of splitLines(record.body)) {
    let event: VaultEvent;
    try {
      event = decodeEvent(line);
      applyEvent(state, event);
    } catch (error) {
      if (error instanceof UnknownEventKindError)
        throw newerFormat(FORMAT_VERSION + 1, FORMAT_VERSION);
      const reason = error instanceof InconsistentEventError ? error.message : 'unreadable event';
      throw damaged(record.frame, reason);
    }
    events.push(event);
  }
  return events;
}

export async function readJournal(bytes: Buffer, path: string, unlock: Unlocker): Promise<Journal> {
  const { header, length: headerLength } = decodeHeader(bytes, path);
  const scan = scanFrames(bytes.subarray(headerLength), headerLength, 0);
  const vaultKey = await unlock(header);
  const { records, lastHash } = openRecords(
    vaultKey,
    header.vaultId,
    scan.frames,
    genesisHash(header.vaultId),
  );

  let snapshotAt = -1;
  for (let i = records.length - 1; i >= 0; i--) {
    if (records[i]?.type === RECORD_SNAPSHOT) {
      snapshotAt = i;
      break;
    }
  }

  const eventBlocks: Buffer[] = [];
  let state = emptyState(genesisEventHash(header.vaultId));
  if (snapshotAt >= 0) {
    const archived = records.slice(0, snapshotAt).filter((r) => r.type === RECORD_EVENTS);
    for (const record of archived) eventBlocks.push(record.body);
    const snapshotRecord = records[snapshotAt] as OpenedRecord;
    state = loadSnapshot(snapshotRecord, eventBlocks);
  }
  const journal: Journal = {
    path,
    header,
    headerLength,
    vaultKey,
    state,
    eventBlocks,
    position: {
      end: headerLength + scan.consumed,
      nextIndex: scan.frames.length,
      lastFrameHash: lastHash,
      tornBytes: scan.tornBytes,
      recordsSinceSnapshot: 0,
    },
  };
  applyRecords(journal, records.slice(snapshotAt + 1));
  return journal;
}

/** A snapshot must agree with the events before it, or it is not trusted. */
function loadSnapshot(record: OpenedRecord, eventBlocks: Buffer[]): VaultState {
  let state: VaultState;
  try {
    state = decodeSnapshot(record.body);
  } catch {
    throw damaged(record.frame, 'unreadable snapshot');
  }
  const eventCount = eventBlocks.reduce((sum, block) => sum + countLines(block), 0);
  const lastBlock = eventBlocks.at(-1);
  const headHash = lastBlock ? hashEventLine(lastLine(lastBlock)) : null;
  if (state.eventCount !== eventCount || (headHash !== null && headHash !== state.headHash)) {
    throw damaged(record.frame, 'snapshot does not match the history before it');
  }
  return state;
}

function applyRecords(journal: Journal, records: OpenedRecord[]): void {
  for (const record of records) {
    if (record.type === RECORD_EVENTS) {
      applyEventsRecord(journal.state, record);
      journal.eventBlocks.push(record.body);
      journal.position.recordsSinceSnapshot++;
    } else {
      const state = loadSnapshot(record, journal.eventBlocks);
      if (state.eventCount !== journal.state.eventCount) {
        throw damaged(record.frame, 'snapshot does not match the history before it');
      }
      journal.state = state;
      journal.position.recordsSinceSnapshot = 0;
    }
  }
}

/**
 * Brings an open journal up to date with records another process appended: `tail` holds the
 * file's bytes from `journal.position.end` on.
 */
export function readJournalTail(journal: Journal, tail: Buffer): void {
  const { position } = journal;
  const scan = scanFrames(tail, position.end, position.nextIndex);
  const { records, lastHash } = openRecords(
    journal.vaultKey,
    journal.header.vaultId,
    scan.frames,
    position.lastFrameHash,
  );
  applyRecords(journal, records);
  position.end += scan.consumed;
  position.nextIndex += scan.frames.length;
  position.lastFrameHash = lastHash;
  position.tornBytes = scan.tornBytes;
}
