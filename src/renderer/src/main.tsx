import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useBackups } from './stores/backups';
import { useClusters } from './stores/clusters';
import { useDashboard } from './stores/dashboard';
import { useHistory } from './stores/history';
import { useIncidents } from './stores/incidents';
import { useRotations } from './stores/rotations';
import { useSecrets } from './stores/secrets';
import { useSession } from './stores/session';
import { useUi } from './stores/ui';
import './styles/app.css';

declare global {
  interface Window {
    /** The stores' current state, for inspection: they never hold a secret value. */
    __rekeyStores?: () => Record<string, unknown>;
  }
}

window.__rekeyStores = () => ({
  session: useSession.getState(),
  secrets: useSecrets.getState(),
  history: useHistory.getState(),
  dashboard: useDashboard.getState(),
  ui: useUi.getState(),
  rotations: useRotations.getState(),
  backups: useBackups.getState(),
  incidents: useIncidents.getState(),
  clusters: useClusters.getState(),
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
