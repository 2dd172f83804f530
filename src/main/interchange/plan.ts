import { splitRef } from '../../shared/model';
import { currentVersion, refOf, type VaultState } from '../vault/state';
import type { Candidate } from './candidate';

/**
 * How each candidate relates to the inventory, and what the user may do with it. Nothing is
 * merged silently: a value the vault already holds is `same` (under whichever secret holds
 * it), a name the vault holds with another value is `conflict`; both are skipped unless the
 * user chooses otherwise.
 */

export type CandidateStatus = 'new' | 'same' | 'conflict' | 'invalid';
export type ImportAction = 'create' | 'version' | 'rename' | 'skip';

export interface PlannedCandidate {
  id: string;
  candidate: Candidate;
  /** `deployment/name` it would be imported as; null when no deployment is known. */
  ref: string | null;
  status: CandidateStatus;
  /** The secret that holds the same value (`same`) or the name (`conflict`). */
  match: string | null;
  reason: string | null;
  actions: ImportAction[];
  defaultAction: ImportAction;
}

export function planCandidates(
  state: Readonly<VaultState>,
  candidates: readonly Candidate[],
  deployment: string | undefined,
): PlannedCandidate[] {
  const byValue = new Map<string, string>();
  for (const secret of state.secrets.values()) {
    const current = currentVersion(secret);
    if (current && !byValue.has(current.value.reveal())) {
      byValue.set(current.value.reveal(), refOf(secret));
    }
  }
  return candidates.map((candidate, index) => {
    const id = `c${index + 1}`;
    const target = deployment ?? candidate.deployment;
    if (!target) {
      return {
        id,
        candidate,
        ref: null,
        status: 'invalid',
        match: null,
        reason: 'no deployment: choose one to import into',
        actions: ['skip'],
        defaultAction: 'skip',
      };
    }
    const ref = `${target}/${candidate.name}`;
    const holder = byValue.get(candidate.value);
    if (holder !== undefined) {
      const actions: ImportAction[] = state.refs.has(ref)
        ? ['skip', 'rename']
        : ['skip', 'create', 'rename'];
      return {
        id,
        candidate,
        ref,
        status: 'same',
        match: holder,
        reason: null,
        actions,
        defaultAction: 'skip',
      };
    }
    if (state.refs.has(ref)) {
      return {
        id,
        candidate,
        ref,
        status: 'conflict',
        match: ref,
        reason: null,
        actions: ['skip', 'version', 'rename'],
        defaultAction: 'skip',
      };
    }
    return {
      id,
      candidate,
      ref,
      status: 'new',
      match: null,
      reason: null,
      actions: ['create', 'skip', 'rename'],
      defaultAction: 'create',
    };
  });
}

/** A free name for "import under another name": `name-imported`, then `-imported-2`... */
export function renamedRef(
  state: Readonly<VaultState>,
  ref: string,
  taken: ReadonlySet<string>,
): string {
  const { deployment, name } = splitRef(ref);
  for (let n = 1; ; n++) {
    const candidate = `${deployment}/${name}-imported${n === 1 ? '' : `-${n}`}`;
    if (!state.refs.has(candidate) && !taken.has(candidate)) return candidate;
  }
}
