import type { VerifyReport } from '../../shared/api';
import { type VaultEvent, decodeEvent, genesisEventHash } from '../vault/events';
import { splitLines } from '../vault/records';
import { encodeSnapshot } from '../vault/snapshot';
import { type VaultState, applyEvent, emptyState } from '../vault/state';

/**
 * Checks the history end to end: every event is well-formed, numbered without gaps and
 * names the hash of its predecessor, starting from this vault's genesis value; and replaying
 * all of them from nothing yields exactly the state the vault holds now (so a snapshot
 * cannot claim what the events do not say). The record layer (authenticated encryption
 * chained record to record) was already checked when the vault was opened.
 */
export function verifyHistory(
  vaultId: Buffer,
  blocks: readonly Buffer[],
  current: Readonly<VaultState>,
  records: number,
): VerifyReport {
  const problems: string[] = [];
  const replayed = emptyState(genesisEventHash(vaultId));
  let first: VaultEvent | null = null;
  let last: VaultEvent | null = null;
  let count = 0;
  outer: for (const block of blocks) {
    for (const line of splitLines(block)) {
      let event: VaultEvent;
      try {
        event = decodeEvent(line);
      } catch {
        problems.push(`event ${count} is not a valid event`);
        break outer;
      }
      if (event.n !== count) problems.push(`event ${count} carries number ${event.n}`);
      if (event.prev !== replayed.headHash) {
        problems.push(`event ${event.n} does not chain to event ${event.n - 1}`);
        break outer;
      }
      try {
        applyEvent(replayed, event);
      } catch (error) {
        problems.push(`event ${event.n} cannot be replayed: ${(error as Error).message}`);
        break outer;
      }
      first ??= event;
      last = event;
      count++;
    }
  }
  if (
    problems.length === 0 &&
    !encodeSnapshot(replayed).equals(encodeSnapshot(current as VaultState))
  ) {
    problems.push('replaying the history does not give the state the vault holds');
  }
  return {
    ok: problems.length === 0,
    events: count,
    records,
    head: replayed.headHash,
    firstEventAt: first?.at ?? null,
    lastEventAt: last?.at ?? null,
    problems,
  };
}
