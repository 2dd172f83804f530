import { type Ref, useState } from 'react';
import type { EntryKind } from '../../../../shared/incident-api';
import { call } from '../../api/client';
import { FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { useSubmit } from '../../components/use-submit';
import { useIncidents } from '../../stores/incidents';
import { KindSelect } from './KindSelect';
import { fromLocalInput } from './time';

/**
 * Writing the timeline while it happens: a kind, a line of text, Enter. "Happened at" is for
 * what is written down later; empty means now. `n` anywhere on the page comes here.
 */
export function QuickAdd({
  incidentId,
  textRef,
}: {
  incidentId: string;
  textRef: Ref<HTMLInputElement>;
}) {
  const [kind, setKind] = useState<EntryKind>('note');
  const [text, setText] = useState('');
  const [at, setAt] = useState('');
  const apply = useIncidents((state) => state.apply);

  const { submit, busy, error } = useSubmit(async (fail) => {
    if (!text.trim()) return fail('Type what happened first');
    const when = at ? fromLocalInput(at) : null;
    if (at && !when) return fail('Enter a valid time, or leave it empty for now');
    apply(
      await call('incidents.addEntry', {
        id: incidentId,
        kind,
        text: text.trim(),
        at: when ?? undefined,
      }),
    );
    setText('');
    setAt('');
  });

  return (
    <div className="quick-add" data-testid="quick-add">
      <FormError message={error} />
      <div className="row">
        <KindSelect value={kind} onChange={setKind} testId="quick-kind" />
        <input
          ref={textRef}
          className="input quick-text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void submit();
            } else if (e.key === 'Escape' && text) {
              // The first Esc clears what was typed; the next one leaves the page.
              e.stopPropagation();
              setText('');
            }
          }}
          placeholder="What happened?  ( n )"
          aria-label="New timeline entry"
          maxLength={20_000}
          data-testid="quick-text"
        />
        <input
          className="input quick-at"
          type="datetime-local"
          value={at}
          onChange={(e) => setAt(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), void submit())}
          title="When it happened, if not now (your local time)"
          aria-label="Happened at"
          data-testid="quick-at"
        />
        <button
          className="button primary"
          onClick={() => void submit()}
          aria-busy={busy}
          data-testid="quick-add-button"
        >
          <Icon name="plus" /> Add
        </button>
      </div>
    </div>
  );
}
