/**
 * What a sealed record holds once opened: one type byte, then either a block of events
 * (one JSON event per line) or a snapshot of the whole state (JSON).
 */
export const RECORD_EVENTS = 0x01;
export const RECORD_SNAPSHOT = 0x02;

const NEWLINE = 0x0a;

export function eventsRecord(lines: readonly string[]): Buffer {
  return Buffer.concat([
    Buffer.from([RECORD_EVENTS]),
    Buffer.from(lines.join('\n') + '\n', 'utf8'),
  ]);
}

/** An events record around a block that already holds newline-terminated event lines. */
export function eventsRecordFromBlock(block: Buffer): Buffer {
  return Buffer.concat([Buffer.from([RECORD_EVENTS]), block]);
}

export function snapshotRecord(snapshot: Buffer): Buffer {
  return Buffer.concat([Buffer.from([RECORD_SNAPSHOT]), snapshot]);
}

/** Event lines of an events block; blocks always end with a newline. */
export function splitLines(block: Buffer): string[] {
  const text = block.toString('utf8');
  const lines = text.split('\n');
  lines.pop();
  return lines;
}

export function countLines(block: Buffer): number {
  let count = 0;
  let at = block.indexOf(NEWLINE);
  while (at !== -1) {
    count++;
    at = block.indexOf(NEWLINE, at + 1);
  }
  return count;
}

export function lastLine(block: Buffer): string {
  const end = block.length - 1;
  const start = block.lastIndexOf(NEWLINE, end - 1) + 1;
  return block.subarray(start, end).toString('utf8');
}
