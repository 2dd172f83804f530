import { useEffect, useRef } from 'react';
import { FormError } from '../../components/Field';
import { useIncidents } from '../../stores/incidents';
import { useUi } from '../../stores/ui';
import { AffectedItems } from './AffectedItems';
import { ExposurePanel } from './ExposurePanel';
import { FollowUps } from './FollowUps';
import { IncidentHeader } from './IncidentHeader';
import { inOverlay, isTyping } from './keys';
import { LeakResponse } from './LeakResponse';
import { QuickAdd } from './QuickAdd';
import { Timeline } from './Timeline';

/**
 * One incident: its header and status, the timeline with the quick-add bar under it, and beside
 * it what is still exposed, the leak response, the follow-ups and what it touches. `n` goes to
 * the quick-add bar, Esc back to the list.
 */
export function IncidentPage() {
  const detail = useIncidents((state) => state.detail);
  const error = useIncidents((state) => state.detailError);
  const open = useIncidents((state) => state.open);
  const quickText = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || inOverlay(event.target) || useUi.getState().paletteOpen) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'n' && !isTyping(event.target)) {
        event.preventDefault();
        quickText.current?.focus();
      } else if (event.key === 'Escape') {
        const target = event.target;
        // Esc in a field with something typed in it is for the field, not the page.
        if (
          (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) &&
          target.type !== 'checkbox' &&
          target.value
        )
          return;
        event.preventDefault();
        void open(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  if (!detail) {
    return (
      <div className="incident-page" data-testid="incident-page" aria-busy={!error}>
        <div className="incident-header">
          <button className="button ghost small" onClick={() => void open(null)}>
            ← All incidents
          </button>
          <FormError message={error} />
        </div>
      </div>
    );
  }

  return (
    <div
      className="incident-page"
      data-testid="incident-page"
      data-id={detail.id}
      data-status={detail.status}
    >
      <IncidentHeader detail={detail} onBack={() => void open(null)} />
      <div className="incident-columns">
        <div className="incident-main">
          <Timeline detail={detail} />
          <QuickAdd key={detail.id} incidentId={detail.id} textRef={quickText} />
        </div>
        <aside className="incident-side">
          <ExposurePanel detail={detail} />
          <LeakResponse detail={detail} />
          <FollowUps detail={detail} />
          <AffectedItems detail={detail} />
        </aside>
      </div>
    </div>
  );
}
