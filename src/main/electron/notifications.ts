import type { RekeyApp } from '../app';
import { currentReminders } from '../app/health';
import { selectNotifications } from '../reminders/select';
import type { ShownStore } from '../reminders/shown-store';

/**
 * Desktop reminders: when the vault unlocks and then every hour while it stays unlocked, the
 * rotations and backups that are due become notifications (Electron's Notification, the only
 * place that shows one). What to show is decided by src/main/reminders; this is the glue.
 * Notifications name secrets and deployments, never a value.
 */

export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}

/** The part of Electron's Notification class used here (a stand-in in the tests). */
export interface NotificationClass {
  new (options: { title: string; body: string }): NotificationLike;
  isSupported(): boolean;
}

export interface ReminderOptions {
  app: RekeyApp;
  Notification: NotificationClass;
  store: ShownStore;
  /** Brings the window forward when a notification is clicked. */
  onClick?: () => void;
  intervalMs?: number;
}

const HOUR_MS = 60 * 60 * 1000;

export function startReminders(options: ReminderOptions): {
  check(): Promise<number>;
  stop(): void;
} {
  const { app, Notification, store } = options;
  let running: Promise<number> | null = null;

  const run = async (): Promise<number> => {
    const { session } = app;
    if (!session.vault || !session.preferences.current.preferences.notifications) return 0;
    if (!Notification.isSupported()) return 0;
    const items = currentReminders(session);
    const { notifications, shown } = selectNotifications(items, await store.load(), session.now());
    if (notifications.length === 0) return 0;
    // Saved before showing: a failure to save must not make the same reminders show twice.
    await store.save(shown).catch(() => undefined);
    for (const notification of notifications) {
      const shownNotification = new Notification({
        title: notification.title,
        body: notification.body,
      });
      if (options.onClick) shownNotification.on('click', options.onClick);
      shownNotification.show();
    }
    return notifications.length;
  };
  /** One check at a time: an unlock during the hourly check does not show things twice. */
  const check = (): Promise<number> => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };

  const unsubscribe = app.onEvent((event) => {
    if (event.type === 'vault.unlocked') void check().catch(() => undefined);
  });
  const timer = setInterval(
    () => void check().catch(() => undefined),
    options.intervalMs ?? HOUR_MS,
  );
  timer.unref();
  return {
    check,
    stop: () => {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
