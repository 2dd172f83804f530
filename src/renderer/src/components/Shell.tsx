import type { ReactNode } from 'react';
import { type View, useSession } from '../stores/session';
import { InterruptedBanner } from '../views/rotation/InterruptedBanner';
import { useUi } from '../stores/ui';
import { Icon, type IconName } from './icons';

const NAV: { view: View; label: string; icon: IconName }[] = [
  { view: 'dashboard', label: 'Dashboard', icon: 'dashboard' },
  { view: 'inventory', label: 'Inventory', icon: 'list' },
  { view: 'hosts', label: 'Hosts', icon: 'server' },
  { view: 'rotations', label: 'Rotations', icon: 'rotate' },
  { view: 'backups', label: 'Backups', icon: 'download' },
  { view: 'incidents', label: 'Incidents', icon: 'alert' },
  { view: 'health', label: 'Health', icon: 'shield' },
  { view: 'history', label: 'History', icon: 'history' },
  { view: 'settings', label: 'Settings', icon: 'settings' },
];

export const VIEW_TITLES: Record<View, string> = {
  dashboard: 'Dashboard',
  inventory: 'Inventory',
  hosts: 'Hosts',
  rotations: 'Rotations',
  backups: 'Backups',
  incidents: 'Incidents',
  health: 'Health',
  history: 'History',
  settings: 'Settings',
};

/** The frame around every unlocked view: navigation, the lock button, the palette hint. */
export function Shell({
  children,
  actions,
  flush,
}: {
  children: ReactNode;
  actions?: ReactNode;
  flush?: boolean;
}) {
  const view = useSession((state) => state.view);
  const navigate = useSession((state) => state.navigate);
  const lock = useSession((state) => state.lock);
  const secrets = useSession((state) => state.status?.secrets ?? 0);
  const path = useSession((state) => state.status?.path ?? '');
  const frontDoor = useSession((state) => state.info?.frontDoor);
  const openPalette = useUi((state) => state.setPaletteOpen);
  const mac = navigator.platform.toLowerCase().includes('mac');

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark">
            <Icon name="key" />
          </span>
          Rekey
        </div>
        {NAV.map((item) => (
          <button
            key={item.view}
            className="nav-item"
            aria-current={view === item.view ? 'page' : undefined}
            onClick={() => navigate(item.view)}
            data-testid={`nav-${item.view}`}
          >
            <Icon name={item.icon} />
            {item.label}
            {item.view === 'inventory' ? <span className="nav-count">{secrets}</span> : null}
          </button>
        ))}
        <div className="sidebar-footer">
          <button className="button" onClick={() => openPalette(true)} data-testid="open-palette">
            <Icon name="search" /> Commands <span className="kbd">{mac ? '⌘' : 'Ctrl'} K</span>
          </button>
          <button className="button" onClick={() => void lock()} data-testid="lock-button">
            <Icon name="lock" /> Lock
          </button>
          <span className="mono" title={path}>
            {path.split('/').at(-1)}
          </span>
          <span>{frontDoor === 'browser' ? 'Browser session on 127.0.0.1' : 'Desktop'}</span>
        </div>
      </nav>
      <main className="main">
        <InterruptedBanner />
        <header className="topbar">
          <h1>{VIEW_TITLES[view]}</h1>
          {actions}
        </header>
        <div className={flush ? 'content flush' : 'content'}>{children}</div>
      </main>
    </div>
  );
}
