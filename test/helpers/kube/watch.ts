import type { ServerResponse } from 'node:http';
import type { JsonObject } from './json';
import { type ResourceInfo, groupVersion } from './resources';
import type { Selector } from './selectors';
import { expired } from './status';
import { type Store, type StoreEvent, namespaceOf } from './store';

/**
 * A watch: newline-delimited `{"type":...,"object":...}` over a chunked 200 response, from a
 * resourceVersion onward (replayed from the store's log), or from the current state as
 * synthetic ADDED events when none (or "0") is given. A selector turns a change that moves
 * an object into or out of the selection into ADDED or DELETED, as the watch cache does.
 */

export interface WatchRequest {
  resource: ResourceInfo;
  /** undefined: all namespaces. */
  namespace: string | undefined;
  selects: Selector;
  resourceVersion: string;
  timeoutSeconds: number | undefined;
  /** `sendInitialEvents=true` (watch-list): the current state, then a BOOKMARK marking its end. */
  sendInitialEvents: boolean;
}

export class Watches {
  private readonly open = new Set<() => void>();

  constructor(private readonly store: Store) {}

  start(request: WatchRequest, res: ServerResponse, headers: Record<string, string>): void {
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
    res.flushHeaders();
    const matches = (object: JsonObject | undefined) =>
      object !== undefined &&
      (request.namespace === undefined || namespaceOf(object) === request.namespace) &&
      request.selects(object);
    const send = (type: string, object: unknown) => {
      res.write(`${JSON.stringify({ type, object })}\n`);
    };

    const initial = request.resourceVersion === '' || request.resourceVersion === '0';
    if (initial || request.sendInitialEvents) {
      const current = this.store.list(request.resource, request.namespace).filter(matches);
      for (const object of current) send('ADDED', object);
      if (request.sendInitialEvents) {
        send('BOOKMARK', {
          kind: request.resource.kind,
          apiVersion: groupVersion(request.resource),
          metadata: {
            resourceVersion: String(this.store.revision),
            annotations: { 'k8s.io/initial-events-end': 'true' },
          },
        });
      }
    } else {
      const from = Number(request.resourceVersion);
      const replay = Number.isInteger(from) ? this.store.eventsAfter(from) : undefined;
      if (!replay) {
        send('ERROR', expired(from, this.store.oldestWatchable));
        res.end();
        return;
      }
      for (const event of replay) this.forward(event, request, matches, send);
    }

    const unsubscribe = this.store.subscribe((event) =>
      this.forward(event, request, matches, send),
    );
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      unsubscribe();
      clearTimeout(timer);
      this.open.delete(finish);
      if (!res.writableEnded) res.end();
    };
    if (request.timeoutSeconds !== undefined) {
      timer = setTimeout(finish, request.timeoutSeconds * 1000);
    }
    this.open.add(finish);
    res.on('close', finish);
  }

  /** Ends every open watch (the server is stopping). */
  closeAll(): void {
    for (const finish of [...this.open]) finish();
  }

  private forward(
    event: StoreEvent,
    request: WatchRequest,
    matches: (object: JsonObject | undefined) => boolean,
    send: (type: string, object: unknown) => void,
  ): void {
    if (event.resource !== request.resource) return;
    const now = event.type !== 'DELETED' && matches(event.object);
    const before = event.type !== 'ADDED' && matches(event.previous);
    if (event.type === 'DELETED') {
      if (before) send('DELETED', event.object);
    } else if (now && before) {
      send('MODIFIED', event.object);
    } else if (now) {
      send('ADDED', event.object);
    } else if (before) {
      // Out of the selection: a DELETED event carrying the new state, as the watch cache sends.
      send('DELETED', event.object);
    }
  }
}
