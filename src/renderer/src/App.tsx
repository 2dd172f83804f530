import { useEffect, useState } from 'react';
import { connect, errorMessage } from './api/client';
import { CommandPalette } from './components/CommandPalette';
import { Toasts } from './components/Toasts';
import { useBackups } from './stores/backups';
import { useClusters } from './stores/clusters';
import { useHealth } from './stores/health';
import { useHistory } from './stores/history';
import { useHosts } from './stores/hosts';
import { useIncidents } from './stores/incidents';
import { useRotations } from './stores/rotations';
import { useSecrets } from './stores/secrets';
import { useSession } from './stores/session';
import { BackupWizard } from './views/backup/BackupWizard';
import { RestoreWizard } from './views/backup/RestoreWizard';
import { Backups } from './views/Backups';
import { Dashboard } from './views/Dashboard';
import { FirstRun } from './views/FirstRun';
import { History } from './views/History';
import { Health } from './views/Health';
import { Hosts } from './views/Hosts';
import { Incidents } from './views/Incidents';
import { InterchangeDialogs } from './views/interchange/InterchangeDialogs';
import { MarkExposedDialog } from './views/incidents/MarkExposedDialog';
import { Inventory } from './views/Inventory';
import { RotationWizard } from './views/rotation/RotationWizard';
import { Rotations } from './views/Rotations';
import { Settings } from './views/Settings';
import { Unlock } from './views/Unlock';

/** Follows the chosen theme; "system" leaves it to the CSS media query. */
function useTheme(): void {
  const theme = useSession((state) => state.preferences.theme);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset['theme'];
    else document.documentElement.dataset['theme'] = theme;
  }, [theme]);
}

export function App() {
  const [failure, setFailure] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const state = useSession((store) => store.status?.state);
  const view = useSession((store) => store.view);
  const revision = useSession((store) => store.revision);
  const wizardRefs = useRotations((store) => store.wizardRefs);
  const backupWizardOpen = useBackups((store) => store.wizardOpen);
  const restoring = useBackups((store) => store.restoring);
  const exposingRef = useIncidents((store) => store.exposingRef);
  useTheme();

  useEffect(() => {
    connect()
      .then(() => useSession.getState().init())
      .then(() => setReady(true))
      .catch((error: unknown) => setFailure(errorMessage(error)));
  }, []);

  // Whatever was loaded belongs to the unlocked vault: forget it when the vault locks.
  useEffect(() => {
    if (state !== 'unlocked') {
      useSecrets.getState().reset();
      useHistory.getState().reset();
      useHosts.getState().reset();
      useClusters.getState().reset();
      useRotations.getState().reset();
      useBackups.getState().reset();
      useIncidents.getState().reset();
      useHealth.getState().reset();
    }
  }, [state]);

  // Runs are watched from the moment the vault opens: an interrupted one (its process died)
  // is announced at once, whatever view is open.
  useEffect(() => {
    if (state !== 'unlocked') return undefined;
    return useRotations.getState().follow();
  }, [state]);
  useEffect(() => {
    if (state === 'unlocked') void useRotations.getState().load();
  }, [state, revision]);

  if (failure) {
    return (
      <div className="center-screen">
        <div className="auth-card form-error" role="alert">
          Rekey could not start: {failure}
        </div>
      </div>
    );
  }
  if (!ready || !state) return <div className="center-screen" aria-busy="true" />;
  if (state === 'missing') return <FirstRun />;
  if (state === 'locked') return <Unlock />;
  return (
    <>
      {view === 'dashboard' ? <Dashboard /> : null}
      {view === 'inventory' ? <Inventory /> : null}
      {view === 'hosts' ? <Hosts /> : null}
      {view === 'rotations' ? <Rotations /> : null}
      {view === 'backups' ? <Backups /> : null}
      {view === 'incidents' ? <Incidents /> : null}
      {view === 'health' ? <Health /> : null}
      {view === 'history' ? <History /> : null}
      {view === 'settings' ? <Settings /> : null}
      {wizardRefs ? <RotationWizard key={wizardRefs.join('\n')} refs={wizardRefs} /> : null}
      {backupWizardOpen ? <BackupWizard /> : null}
      {restoring ? <RestoreWizard key={restoring.file} /> : null}
      {exposingRef ? (
        <MarkExposedDialog
          key={exposingRef}
          refName={exposingRef}
          onClose={() => useIncidents.getState().openExposed(null)}
        />
      ) : null}
      <InterchangeDialogs />
      <CommandPalette />
      <Toasts />
    </>
  );
}
