import type { SecretSummary } from '../../../shared/model';
import type { Facets, SortKey } from './secrets';

/** Ranks for sorting by words that have an order of their own. */
const RANKS: Record<string, Record<string, number>> = {
  rotation: { overdue: 0, due: 1, ok: 2, manual: 3, 'no-policy': 4 },
  difficulty: { high: 0, medium: 1, low: 2 },
  strength: { weak: 0, fair: 1, strong: 2 },
};

function sortValue(secret: SecretSummary, key: SortKey): string | number {
  const value = secret[key];
  const rank = RANKS[key]?.[String(value)];
  if (rank !== undefined) return rank;
  if (value === null) return Number.POSITIVE_INFINITY;
  return typeof value === 'number' ? value : String(value).toLowerCase();
}

/**
 * Filter and sort, as a pure function of the store's inputs. Memoised on their identity so a
 * keystroke costs one pass over the inventory and re-renders reuse the previous result.
 */
let memo: { key: unknown[]; result: SecretSummary[] } | null = null;

export function visibleSecrets(
  items: SecretSummary[],
  query: string,
  facets: Facets,
  sort: { key: SortKey; descending: boolean },
): SecretSummary[] {
  const key = [items, query, facets, sort];
  if (memo && memo.key.every((part, i) => part === key[i])) return memo.result;
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const filtered = items.filter((secret) => {
    if (facets.deployment && secret.deployment !== facets.deployment) return false;
    if (facets.rotation && secret.rotation !== facets.rotation) return false;
    if (facets.strength && secret.strength !== facets.strength) return false;
    if (facets.compromised && !secret.compromised) return false;
    if (words.length === 0) return true;
    const haystack =
      `${secret.ref} ${secret.service} ${secret.impact} ${secret.tags.join(' ')}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
  const direction = sort.descending ? -1 : 1;
  filtered.sort((a, b) => {
    const left = sortValue(a, sort.key);
    const right = sortValue(b, sort.key);
    if (left < right) return -direction;
    if (left > right) return direction;
    return a.ref.localeCompare(b.ref);
  });
  memo = { key, result: filtered };
  return filtered;
}
