import type { Transport } from '../../../shared/client';
import type { AppEvent } from '../../../shared/methods';

/**
 * The browser host's transport: POST /api/call/<method> with a session cookie, and server-sent
 * events on /api/events. On first load the URL fragment holds a one-time token, exchanged for
 * the cookie and then removed from the address bar and the history.
 */
export async function signInWithFragmentToken(): Promise<void> {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (!token) return;
  window.history.replaceState(null, '', window.location.pathname);
  await fetch('/api/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
    credentials: 'same-origin',
  });
}

export function httpTransport(): Transport {
  const listeners = new Set<(event: AppEvent) => void>();
  let source: EventSource | null = null;
  const connect = () => {
    source = new EventSource('/api/events');
    source.onmessage = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as AppEvent;
      for (const listener of listeners) listener(event);
    };
  };
  return {
    async invoke(method, input) {
      try {
        const response = await fetch(`/api/call/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
        return await response.json();
      } catch {
        return {
          ok: false,
          error: { code: 'IO', message: 'Rekey is not reachable: is `rekey ui` still running?' },
        };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!source) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = null;
        }
      };
    },
  };
}
