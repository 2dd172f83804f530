import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { SecretSummary } from '../../../../shared/model';
import { RotationBadge, StrengthBadge, formatAge } from '../../components/badges';
import { listKeyHandler } from '../../components/list-keys';
import { type SortKey, useSecrets } from '../../stores/secrets';

const ROW_HEIGHT = 40;

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'ref', label: 'Name' },
  { key: 'deployment', label: 'Deployment' },
  { key: 'service', label: 'Service' },
  { key: 'ageDays', label: 'Age' },
  { key: 'rotation', label: 'Policy' },
  { key: 'impact', label: 'Impact if lost' },
  { key: 'difficulty', label: 'Difficulty' },
  { key: 'strength', label: 'Strength' },
];

/**
 * The inventory table: only the rows in view are in the DOM, so ten thousand secrets scroll
 * as smoothly as ten. Arrow keys move the selection, Enter or a click opens the detail.
 */
export function SecretTable({ rows, compact }: { rows: SecretSummary[]; compact: boolean }) {
  const selectedRef = useSecrets((state) => state.selectedRef);
  const select = useSecrets((state) => state.select);
  const sort = useSecrets((state) => state.sort);
  const setSort = useSecrets((state) => state.setSort);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const selectedIndex = rows.findIndex((row) => row.ref === selectedRef);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onKeyDown = listKeyHandler({
    ids: rows.map((row) => row.ref),
    current: () => useSecrets.getState().selectedRef,
    select: (ref) => void select(ref),
  });

  return (
    <div
      className={compact ? 'table with-detail' : 'table'}
      role="grid"
      aria-rowcount={rows.length}
      data-testid="secret-table"
    >
      <div className="table-head" role="row">
        {COLUMNS.map((column) => (
          <div
            key={column.key}
            className={`col-${column.key}`}
            role="columnheader"
            aria-sort={
              sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'
            }
          >
            <button onClick={() => setSort(column.key)} data-testid={`sort-${column.key}`}>
              {column.label}
              {sort.key === column.key ? (sort.descending ? ' ↓' : ' ↑') : ''}
            </button>
          </div>
        ))}
      </div>
      <div
        className="table-body"
        ref={scroller}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="secret-rows"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const secret = rows[item.index] as SecretSummary;
            return (
              <div
                key={secret.id}
                className="table-row"
                role="row"
                aria-selected={secret.ref === selectedRef}
                data-ref={secret.ref}
                onClick={() => void select(secret.ref)}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                <div className="cell cell-name" title={secret.name}>
                  {secret.name}
                  {secret.compromised ? <span className="badge danger"> compromised</span> : null}
                </div>
                <div className="cell muted">{secret.deployment}</div>
                <div className="cell muted">{secret.service || '–'}</div>
                <div className="cell">{formatAge(secret.ageDays)}</div>
                <div className="cell">
                  <RotationBadge status={secret.rotation} />
                </div>
                <div className="cell muted col-impact" title={secret.impact}>
                  {secret.impact || '–'}
                </div>
                <div className="cell">{secret.difficulty}</div>
                <div className="cell">
                  <StrengthBadge strength={secret.strength} />
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
