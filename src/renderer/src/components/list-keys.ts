import type { KeyboardEvent } from 'react';

/**
 * Keyboard for a list with one selected row: arrows move the selection (staying at the ends),
 * Enter acts on it (or selects the first row), Esc clears it. The selection is read through
 * `current()` at the moment of the key press, not from the last render: a second press can
 * come before React has re-rendered for the first, and must move on from where that one went.
 */
export function listKeyHandler<Id>(options: {
  ids: readonly Id[];
  current(): Id | null;
  select(id: Id | null): void;
  /** Enter with a row selected; without it Enter only selects the first row. */
  onEnter?(selected: Id): void;
}): (event: KeyboardEvent) => void {
  return (event) => {
    const { ids } = options;
    const selected = options.current();
    const move = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (move !== 0 && ids.length > 0) {
      event.preventDefault();
      const from = selected === null ? -1 : ids.indexOf(selected);
      const next = ids[Math.min(ids.length - 1, Math.max(0, from + move))];
      if (next !== undefined) options.select(next);
    } else if (
      event.key === 'Enter' &&
      (selected !== null ? options.onEnter : ids[0] !== undefined)
    ) {
      event.preventDefault();
      if (selected !== null) options.onEnter?.(selected);
      else if (ids[0] !== undefined) options.select(ids[0]);
    } else if (event.key === 'Escape' && selected !== null) {
      options.select(null);
    }
  };
}
