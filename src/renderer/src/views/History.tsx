import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { HistoryEvent } from '../../../shared/model';
import { call } from '../api/client';
import { formatTime } from '../components/badges';
import { Icon } from '../components/icons';
import { saveExport } from '../components/save-export';
import { Shell } from '../components/Shell';
import { useHistory } from '../stores/history';
import { useSession } from '../stores/session';

const KINDS = ['secret', 'version', 'deployment', 'secrets.imported', 'vault'];
const ROW_HEIGHT = 38;

/** A day as the start of it in UTC, for the date inputs. */
function dayStart(date: string, end = false): string | undefined {
  if (!date) return undefined;
  return new Date(`${date}T${end ? '23:59:59.999' : '00:00:00.000'}Z`).toISOString();
}

export function History() {
  const events = useHistory((state) => state.events);
  const error = useHistory((state) => state.error);
  const load = useHistory((state) => state.load);
  const setFilter = useHistory((state) => state.setFilter);
  const verify = useHistory((state) => state.verify);
  const revision = useSession((state) => state.revision);
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');

  useEffect(() => {
    void load();
    void verify();
  }, [load, verify, revision]);

  return (
    <Shell flush actions={<ExportButtons />}>
      <div className="inventory" data-testid="screen-history">
        <div className="inventory-main">
          <div className="toolbar history-toolbar">
            <input
              className="input search"
              type="search"
              placeholder="Secret (deployment/name)"
              onChange={(e) =>
                void setFilter({ ref: e.target.value.includes('/') ? e.target.value : undefined })
              }
              data-testid="history-ref"
            />
            <input
              className="input search"
              type="search"
              placeholder="Deployment"
              onChange={(e) => void setFilter({ deployment: e.target.value || undefined })}
              data-testid="history-deployment"
            />
            <select
              className="select"
              onChange={(e) =>
                void setFilter({ kinds: e.target.value ? [e.target.value] : undefined })
              }
              aria-label="Kind"
              data-testid="history-kind"
            >
              <option value="">All kinds</option>
              {KINDS.map((kind) => (
                <option key={kind}>{kind}</option>
              ))}
            </select>
            <input
              className="input"
              type="date"
              value={since}
              onChange={(e) => (
                setSince(e.target.value),
                void setFilter({ since: dayStart(e.target.value) })
              )}
              aria-label="From"
            />
            <input
              className="input"
              type="date"
              value={until}
              onChange={(e) => (
                setUntil(e.target.value),
                void setFilter({ until: dayStart(e.target.value, true) })
              )}
              aria-label="Until"
            />
            <span className="spacer" />
            <VerifiedBadge />
          </div>
          {error ? <div className="form-error">{error}</div> : null}
          <EventTable events={events} />
          <div className="table-footer">
            {events.length} events · times in your local time zone; exports use UTC
          </div>
        </div>
      </div>
    </Shell>
  );
}

function VerifiedBadge() {
  const verification = useHistory((state) => state.verification);
  const verifyError = useHistory((state) => state.verifyError);
  const verify = useHistory((state) => state.verify);
  if (verifyError) return <span className="badge danger">{verifyError}</span>;
  if (verification === 'running' || verification === null)
    return <span className="badge">Verifying…</span>;
  return verification.ok ? (
    <button
      className="badge ok verified"
      onClick={() => void verify()}
      title={`Chain head ${verification.head}`}
      data-testid="verified-badge"
    >
      <Icon name="check" size={13} /> Chain verified · {verification.events} events
    </button>
  ) : (
    <span
      className="badge danger verified"
      title={verification.problems.join('\n')}
      data-testid="verified-badge"
    >
      <Icon name="alert" size={13} /> Verification failed: {verification.problems[0]}
    </span>
  );
}

function EventTable({ events }: { events: HistoryEvent[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  return (
    <div className="table history-table" role="grid" data-testid="history-table">
      <div className="table-head" role="row">
        <div>#</div>
        <div>Time</div>
        <div>Source</div>
        <div>Kind</div>
        <div>Secret</div>
        <div>Summary</div>
      </div>
      <div className="table-body" ref={scroller} tabIndex={0}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const event = events[item.index] as HistoryEvent;
            return (
              <div
                key={event.seq}
                className="table-row"
                role="row"
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                <div className="cell faint">{event.seq}</div>
                <div className="cell" title={event.at}>
                  {formatTime(event.at)}
                </div>
                <div className="cell">
                  <span className="badge">{event.source}</span>
                </div>
                <div className="cell mono">{event.kind}</div>
                <div className="cell mono muted">{event.ref ?? '–'}</div>
                <div className="cell" title={event.summary}>
                  {event.summary}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function ExportButtons() {
  const filter = useHistory((state) => state.filter);
  const download = (format: 'csv' | 'json') =>
    saveExport(() => call('history.export', { filter, format }));
  return (
    <>
      <button className="button" onClick={() => void download('csv')} data-testid="export-csv">
        <Icon name="download" /> CSV
      </button>
      <button className="button" onClick={() => void download('json')} data-testid="export-json">
        <Icon name="download" /> JSON
      </button>
    </>
  );
}
