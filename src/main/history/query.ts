import type { HistoryFilter } from '../../shared/api';
import type { HistoryEvent, Source } from '../../shared/model';
import { hashEventLine } from '../vault/events';
import { splitLines } from '../vault/records';

/**
 * History queries read the event blocks kept by the open vault. Blocks were authenticated
 * when the vault was opened, so listing parses lines without re-validating each one;
 * `history verify` is the full check.
 */

interface StoredLine {
  n: number;
  at: string;
  src: Source;
  kind: string;
  ref: string | null;
  summary: string;
  data: Record<string, unknown>;
}

export function* historyEvents(
  blocks: readonly Buffer[],
): Generator<HistoryEvent & { data: Record<string, unknown> }> {
  for (const block of blocks) {
    for (const line of splitLines(block)) {
      const stored = JSON.parse(line) as StoredLine;
      yield {
        seq: stored.n,
        at: stored.at,
        source: stored.src,
        kind: stored.kind,
        ref: stored.ref,
        summary: stored.summary,
        hash: hashEventLine(line),
        data: stored.data,
      };
    }
  }
}

function concernsDeployment(
  event: { ref: string | null; data: Record<string, unknown> },
  deployment: string,
): boolean {
  if (event.ref?.startsWith(`${deployment}/`)) return true;
  return event.data['deployment'] === deployment || event.data['name'] === deployment;
}

export function queryHistory(blocks: readonly Buffer[], filter: HistoryFilter): HistoryEvent[] {
  const since = filter.since ? Date.parse(filter.since) : Number.NEGATIVE_INFINITY;
  const until = filter.until ? Date.parse(filter.until) : Number.POSITIVE_INFINITY;
  const kinds = filter.kinds && filter.kinds.length > 0 ? new Set(filter.kinds) : null;
  const matches: HistoryEvent[] = [];
  for (const event of historyEvents(blocks)) {
    const at = Date.parse(event.at);
    if (at < since || at > until) continue;
    if (kinds && !kinds.has(event.kind) && !kinds.has(event.kind.split('.')[0] ?? '')) continue;
    if (filter.ref !== undefined && event.ref !== filter.ref) continue;
    if (filter.deployment !== undefined && !concernsDeployment(event, filter.deployment)) continue;
    const { data: _data, ...visible } = event;
    matches.push(visible);
  }
  if ((filter.order ?? 'newest') === 'newest') matches.reverse();
  return filter.limit === undefined ? matches : matches.slice(0, filter.limit);
}
