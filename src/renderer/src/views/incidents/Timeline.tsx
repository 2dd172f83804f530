import { useEffect, useRef, useState } from 'react';
import type { EntryView, IncidentDetail } from '../../../../shared/incident-api';
import { Icon } from '../../components/icons';
import { EditEntryDialog } from './EditEntryDialog';
import { KIND_LABELS, KindIcon } from './kinds';
import { followLink, linkLabel } from './navigate';
import { RemoveEntryDialog } from './RemoveEntryDialog';
import { formatClock, formatDay, localDay, utcText } from './time';

/**
 * The incident as it happened, oldest first, grouped by local day: each entry's time (UTC on
 * hover), kind, text and links. Entries Rekey wrote itself say "auto"; edited ones keep their
 * earlier wordings, shown on request.
 */
export function Timeline({ detail }: { detail: IncidentDetail }) {
  const [editing, setEditing] = useState<EntryView | null>(null);
  const [removing, setRemoving] = useState<EntryView | null>(null);
  const days = groupByDay(detail.timeline);
  const root = useRef<HTMLElement>(null);
  const known = useRef<ReadonlySet<string> | null>(null);

  // An entry just added (here or by Rekey) scrolls into view, wherever its time put it.
  useEffect(() => {
    const ids = detail.timeline.map((entry) => entry.id);
    const added = known.current ? ids.find((id) => !known.current?.has(id)) : undefined;
    known.current = new Set(ids);
    if (added) {
      root.current
        ?.querySelector(`[data-id="${CSS.escape(added)}"]`)
        ?.scrollIntoView({ block: 'nearest' });
    }
  }, [detail.timeline]);

  return (
    <section className="timeline" ref={root} data-testid="timeline" aria-label="Timeline">
      {days.length === 0 ? (
        <p className="faint">Nothing recorded yet. Add what happened below.</p>
      ) : null}
      {days.map((day) => (
        <div key={day.key} className="timeline-day" data-testid="timeline-day" data-day={day.key}>
          <h3 className="timeline-date">{formatDay(day.entries[0]?.at ?? '')}</h3>
          <ol className="timeline-entries">
            {day.entries.map((entry) => (
              <Entry
                key={entry.id}
                entry={entry}
                onEdit={() => setEditing(entry)}
                onRemove={() => setRemoving(entry)}
              />
            ))}
          </ol>
        </div>
      ))}
      {editing ? (
        <EditEntryDialog
          key={editing.id}
          incidentId={detail.id}
          entry={editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {removing ? (
        <RemoveEntryDialog
          incidentId={detail.id}
          entry={removing}
          onClose={() => setRemoving(null)}
        />
      ) : null}
    </section>
  );
}

function Entry({
  entry,
  onEdit,
  onRemove,
}: {
  entry: EntryView;
  onEdit(): void;
  onRemove(): void;
}) {
  const [showRevisions, setShowRevisions] = useState(false);
  return (
    <li
      className="timeline-entry"
      data-testid="timeline-entry"
      data-id={entry.id}
      data-kind={entry.kind}
      data-auto={entry.auto}
    >
      <time className="timeline-time" dateTime={entry.at} title={utcText(entry.at)}>
        {formatClock(entry.at)}
      </time>
      <span className="timeline-icon" data-kind={entry.kind} title={KIND_LABELS[entry.kind]}>
        <KindIcon kind={entry.kind} />
      </span>
      <div className="timeline-body">
        <div className="row wrap timeline-meta">
          <span className="timeline-kind">{KIND_LABELS[entry.kind]}</span>
          {entry.auto ? (
            <span
              className="badge accent"
              title="Added by Rekey when it acted on a linked secret"
              data-testid="entry-auto"
            >
              auto
            </span>
          ) : null}
          {entry.revisions.length ? (
            <button
              className="badge"
              aria-expanded={showRevisions}
              onClick={() => setShowRevisions(!showRevisions)}
              title="Show the earlier wordings"
              data-testid="entry-edited"
            >
              edited {entry.revisions.length === 1 ? 'once' : `${entry.revisions.length}×`}
            </button>
          ) : null}
          <span className="spacer" />
          {/* Rekey's own entries come from the history: they cannot be edited or removed. */}
          {entry.auto ? null : (
            <span className="timeline-actions">
              <button
                className="button ghost small"
                onClick={onEdit}
                aria-label="Edit entry"
                title="Edit"
                data-testid="edit-entry"
              >
                <Icon name="edit" size={14} />
              </button>
              <button
                className="button ghost small"
                onClick={onRemove}
                aria-label="Remove entry"
                title="Remove"
                data-testid="remove-entry"
              >
                <Icon name="trash" size={14} />
              </button>
            </span>
          )}
        </div>
        <p className="timeline-text" data-testid="entry-text">
          {entry.text}
        </p>
        {entry.links.length ? (
          <div className="row wrap timeline-links">
            {entry.links.map((link) => (
              <button
                key={`${link.type}:${link.id}`}
                className="chip small"
                onClick={() => followLink(link)}
                data-testid="entry-link"
                data-type={link.type}
                data-link={link.id}
              >
                <span className="faint">{link.type}</span>{' '}
                <span className="mono">{linkLabel(link)}</span>
              </button>
            ))}
          </div>
        ) : null}
        {showRevisions ? (
          <ol className="revisions" data-testid="entry-revisions">
            {entry.revisions.map((revision) => (
              <li key={revision.replacedAt}>
                <span className="faint" title={utcText(revision.replacedAt)}>
                  until {formatClock(revision.replacedAt)} · {KIND_LABELS[revision.kind]} at{' '}
                  {formatClock(revision.at)}
                </span>
                <p className="timeline-text">{revision.text}</p>
              </li>
            ))}
          </ol>
        ) : null}
      </div>
    </li>
  );
}

/** Entries by local day, keeping the order the core gave them (oldest first). */
function groupByDay(entries: readonly EntryView[]): { key: string; entries: EntryView[] }[] {
  const days: { key: string; entries: EntryView[] }[] = [];
  for (const entry of entries) {
    const key = localDay(entry.at);
    const last = days.at(-1);
    if (last?.key === key) last.entries.push(entry);
    else days.push({ key, entries: [entry] });
  }
  return days;
}
