import { useEffect, useRef } from 'react';
import type { HostSummary } from '../../../../shared/model';
import { listKeyHandler } from '../../components/list-keys';
import { useHosts } from '../../stores/hosts';
import { HostKeyBadge, endpointText, loginText } from './HostBadges';

/**
 * The hosts table. A vault holds a handful of hosts, not thousands, so every row is in the
 * DOM. Arrow keys move the selection (the detail follows), Enter moves into the detail's
 * actions, Esc closes the detail.
 */
export function HostTable({ hosts, compact }: { hosts: HostSummary[]; compact: boolean }) {
  const selectedName = useHosts((state) => state.selectedName);
  const select = useHosts((state) => state.select);
  const body = useRef<HTMLDivElement>(null);
  const selectedIndex = hosts.findIndex((host) => host.name === selectedName);

  useEffect(() => {
    body.current
      ?.querySelector<HTMLElement>('[aria-selected="true"]')
      ?.scrollIntoView({ block: 'nearest' });
  }, [selectedIndex]);

  const onKeyDown = listKeyHandler({
    ids: hosts.map((host) => host.name),
    current: () => useHosts.getState().selectedName,
    select,
    onEnter: focusDetailActions,
  });

  return (
    <div
      className={compact ? 'table hosts-table with-detail' : 'table hosts-table'}
      role="grid"
      aria-rowcount={hosts.length}
      data-testid="host-table"
    >
      <div className="table-head" role="row">
        <div role="columnheader">Name</div>
        <div role="columnheader">Endpoint</div>
        <div role="columnheader">Login</div>
        <div role="columnheader">Host key</div>
        {compact ? null : <div role="columnheader">Deployments</div>}
      </div>
      <div
        className="table-body"
        ref={body}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-label="Hosts"
        data-testid="host-rows"
      >
        {hosts.map((host) => (
          <div
            key={host.name}
            className="table-row"
            role="row"
            aria-selected={host.name === selectedName}
            data-host={host.name}
            onClick={() => select(host.name)}
          >
            <div className="cell cell-name" title={host.name}>
              {host.name}
            </div>
            <div className="cell mono muted" title={endpointText(host)}>
              {endpointText(host)}
              {host.jump ? <span className="faint"> via {host.jump}</span> : null}
            </div>
            <div className="cell">{loginText(host)}</div>
            <div className="cell">
              <HostKeyBadge hostKey={host.hostKey} />
            </div>
            {/* Beside the detail there is no room; the detail lists them itself. */}
            {compact ? null : (
              <div className="cell muted" title={host.deployments.join(', ')}>
                {host.deployments.length ? host.deployments.join(', ') : '–'}
              </div>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}

function focusDetailActions(): void {
  document
    .querySelector<HTMLElement>('[data-testid="host-detail"] .detail-actions button')
    ?.focus();
}
