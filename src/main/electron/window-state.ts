import type { BrowserWindow, Rectangle } from 'electron';
import Store from 'electron-store';

/** Window position and size, remembered across starts (electron-store, beside preferences). */
interface WindowState {
  bounds?: Rectangle;
  maximized?: boolean;
}

export function windowStateStore(): {
  bounds(): Partial<Rectangle> | undefined;
  track(window: BrowserWindow): void;
} {
  const store = new Store<WindowState>({ name: 'window-state' });
  return {
    bounds: () => store.get('bounds'),
    track(window) {
      const save = () => {
        if (window.isDestroyed()) return;
        store.set('maximized', window.isMaximized());
        if (!window.isMaximized() && !window.isMinimized()) store.set('bounds', window.getBounds());
      };
      window.on('resize', save);
      window.on('move', save);
      window.on('close', save);
      if (store.get('maximized')) window.once('ready-to-show', () => window.maximize());
    },
  };
}
