import { useState } from 'react';
import type { IncidentDetail } from '../../../../shared/incident-api';
import { call, errorMessage } from '../../api/client';
import { useIncidents } from '../../stores/incidents';
import { useUi } from '../../stores/ui';
import { onEnter } from './keys';

/** What is left to do after the incident: ticked off here, listed in the report. */
export function FollowUps({ detail }: { detail: IncidentDetail }) {
  const apply = useIncidents((state) => state.apply);
  const toast = useUi((state) => state.toast);
  const [text, setText] = useState('');
  // A ticked box shows ticked at once, not after the round trip; a refusal unticks it.
  const [pending, setPending] = useState<Readonly<Record<string, boolean>>>({});

  const change = async (input: { add?: string; set?: { followUpId: string; done: boolean } }) => {
    try {
      apply(await call('incidents.followUp', { id: detail.id, ...input }));
      return true;
    } catch (error) {
      toast('error', errorMessage(error));
      return false;
    }
  };
  const tick = async (followUpId: string, done: boolean) => {
    setPending((current) => ({ ...current, [followUpId]: done }));
    await change({ set: { followUpId, done } });
    setPending(({ [followUpId]: _, ...rest }) => rest);
  };
  const add = async () => {
    if (text.trim() && (await change({ add: text.trim() }))) setText('');
  };
  const open = detail.followUps.filter((item) => !item.done).length;

  return (
    <section className="incident-panel" data-testid="follow-ups">
      <h3>
        Follow-ups{' '}
        {detail.followUps.length ? (
          <span className="faint">
            · {open} of {detail.followUps.length} open
          </span>
        ) : null}
      </h3>
      {detail.followUps.length ? (
        <ul className="follow-up-list">
          {detail.followUps.map((item) => (
            <li key={item.id}>
              <label
                className="check-item"
                data-testid="follow-up"
                data-id={item.id}
                data-done={item.done}
              >
                <input
                  type="checkbox"
                  checked={pending[item.id] ?? item.done}
                  onChange={(e) => void tick(item.id, e.target.checked)}
                  data-testid="follow-up-done"
                />
                <span className={(pending[item.id] ?? item.done) ? 'done-text' : undefined}>
                  {item.text}
                </span>
              </label>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="row">
        <input
          className="input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => onEnter(e, add)}
          placeholder="Add a follow-up"
          aria-label="New follow-up"
          maxLength={1000}
          data-testid="follow-up-add"
        />
        <button className="button" onClick={() => void add()} disabled={!text.trim()}>
          Add
        </button>
      </div>
    </section>
  );
}
