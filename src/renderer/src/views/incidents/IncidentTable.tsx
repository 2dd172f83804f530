import { useEffect, useRef, useState } from 'react';
import type { IncidentSummary } from '../../../../shared/incident-api';
import { formatTime } from '../../components/badges';
import { listKeyHandler } from '../../components/list-keys';
import { SeverityBadge, StatusBadge } from './badges';

/**
 * Incidents, newest first. Arrow keys move the highlight, Enter or a click opens the incident.
 * A vault holds a handful, so every row is in the DOM.
 */
export function IncidentTable({
  items,
  onOpen,
}: {
  items: IncidentSummary[];
  onOpen(id: string): void;
}) {
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const current = useRef<string | null>(null);
  const body = useRef<HTMLDivElement>(null);
  current.current = highlighted;

  useEffect(() => {
    body.current
      ?.querySelector<HTMLElement>('[aria-selected="true"]')
      ?.scrollIntoView({ block: 'nearest' });
  }, [highlighted]);

  const onKeyDown = listKeyHandler({
    ids: items.map((item) => item.id),
    current: () => current.current,
    select: (id) => {
      current.current = id;
      setHighlighted(id);
    },
    onEnter: onOpen,
  });

  return (
    <div
      className="table incidents-table"
      role="grid"
      aria-rowcount={items.length}
      data-testid="incident-table"
    >
      <div className="table-head" role="row">
        <div role="columnheader">Severity</div>
        <div role="columnheader">Status</div>
        <div role="columnheader">Title</div>
        <div role="columnheader">Opened</div>
        <div role="columnheader">Entries</div>
        <div role="columnheader">Still exposed</div>
      </div>
      <div
        className="table-body"
        ref={body}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-label="Incidents"
        data-testid="incident-rows"
      >
        {items.map((item) => (
          <div
            key={item.id}
            className="table-row"
            role="row"
            aria-selected={item.id === highlighted}
            data-testid="incident-row"
            data-id={item.id}
            data-status={item.status}
            onClick={() => onOpen(item.id)}
          >
            <div className="cell" role="cell">
              <SeverityBadge severity={item.severity} />
            </div>
            <div className="cell" role="cell">
              <StatusBadge status={item.status} />
            </div>
            <div className="cell cell-name" role="cell" title={item.title}>
              {item.title}
            </div>
            <div className="cell muted" role="cell">
              {formatTime(item.openedAt)}
            </div>
            <div className="cell" role="cell">
              {item.entries}
            </div>
            <div className="cell" role="cell" data-testid="incident-still-exposed">
              {item.stillExposed > 0 ? (
                <span className="badge danger">
                  {item.stillExposed} of {item.secrets}
                </span>
              ) : item.secrets > 0 ? (
                <span className="badge ok">none of {item.secrets}</span>
              ) : (
                <span className="faint">–</span>
              )}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
