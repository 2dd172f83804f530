import { useEffect } from 'react';
import { Icon } from '../components/icons';
import { Shell } from '../components/Shell';
import { useIncidents } from '../stores/incidents';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { ExportButtons } from './incidents/ExportButtons';
import { IncidentList } from './incidents/IncidentList';
import { IncidentPage } from './incidents/IncidentPage';
import { inOverlay, isTyping } from './incidents/keys';
import { NewIncidentDialog } from './incidents/NewIncidentDialog';

/**
 * Incidents: the list, or one incident's page (timeline, exposure, leak response, follow-ups).
 * Everything reloads when the vault changes, so a rotation finished elsewhere shows up in the
 * timeline and clears what it replaced.
 */
export function Incidents() {
  const selectedId = useIncidents((state) => state.selectedId);
  const newOpen = useIncidents((state) => state.newOpen);
  const openNew = useIncidents((state) => state.openNew);
  const load = useIncidents((state) => state.load);
  const reloadDetail = useIncidents((state) => state.reloadDetail);
  const revision = useSession((state) => state.revision);

  useEffect(() => {
    void load();
    void reloadDetail();
  }, [load, reloadDetail, revision]);

  // On the list, `n` opens a new incident (on an incident's page it goes to its quick-add bar).
  useEffect(() => {
    if (selectedId) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'n' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || inOverlay(event.target) || useUi.getState().paletteOpen) return;
      event.preventDefault();
      openNew(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedId, openNew]);

  return (
    <Shell
      flush
      actions={
        <>
          {selectedId ? <ExportButtons id={selectedId} /> : null}
          <button
            className={selectedId ? 'button' : 'button primary'}
            onClick={() => openNew(true)}
            data-testid="new-incident"
          >
            <Icon name="plus" /> New incident…
          </button>
        </>
      }
    >
      <div className="inventory" data-testid="screen-incidents">
        {selectedId ? <IncidentPage key={selectedId} /> : <IncidentList />}
      </div>
      {newOpen ? <NewIncidentDialog onClose={() => openNew(false)} /> : null}
    </Shell>
  );
}
