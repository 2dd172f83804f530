import type { PowerMonitor } from 'electron';
import type { AppSession } from '../app/session';

/** Locks the vault when the machine sleeps or the screen locks. */
export function lockOnSuspend(powerMonitor: PowerMonitor, session: AppSession): void {
  powerMonitor.on('suspend', () => session.lock('suspend'));
  powerMonitor.on('lock-screen', () => session.lock('lock-screen'));
}
