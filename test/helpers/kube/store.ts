import { type JsonObject, child, clone, objectAt, stringAt } from './json';
import type { ResourceInfo } from './resources';

/**
 * The stand-in's etcd: objects by resource, namespace and name, one global revision that
 * every write advances (an object's resourceVersion is the revision that last wrote it, a
 * list's is the current revision), and the log of changes that watches replay from a given
 * resourceVersion until it is compacted.
 */

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  revision: number;
  type: EventType;
  resource: ResourceInfo;
  namespace: string;
  name: string;
  object: JsonObject;
  /** The object before this change (MODIFIED, DELETED): watches with selectors need it. */
  previous?: JsonObject;
}

type Listener = (event: StoreEvent) => void;

export function metadataOf(object: JsonObject): JsonObject {
  return child(object, 'metadata');
}

export function nameOf(object: JsonObject): string {
  return stringAt(objectAt(object.metadata).name) ?? '';
}

export function namespaceOf(object: JsonObject): string {
  return stringAt(objectAt(object.metadata).namespace) ?? '';
}

export function resourceVersionOf(object: JsonObject): string {
  return stringAt(objectAt(object.metadata).resourceVersion) ?? '';
}

export class Store {
  private revisionNow = 0;
  private readonly objects = new Map<string, JsonObject>();
  private log: StoreEvent[] = [];
  /** Watches from a resourceVersion below this one are told it is too old (410 Expired). */
  private compactedThrough = 0;
  private readonly listeners = new Set<Listener>();

  get revision(): number {
    return this.revisionNow;
  }

  get oldestWatchable(): number {
    return this.compactedThrough;
  }

  /** The stored object (a copy), or undefined. */
  get(resource: ResourceInfo, namespace: string, name: string): JsonObject | undefined {
    const found = this.objects.get(key(resource, namespace, name));
    return found && clone(found);
  }

  /** Copies, in the order etcd returns them (by namespace, then name). */
  list(resource: ResourceInfo, namespace?: string): JsonObject[] {
    const prefix = namespace === undefined ? `${resource.plural}|` : key(resource, namespace, '');
    return [...this.objects]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, object]) => clone(object));
  }

  /** Stores the object at a new revision; returns the stored copy. */
  write(resource: ResourceInfo, object: JsonObject): JsonObject {
    const namespace = resource.namespaced ? namespaceOf(object) : '';
    const name = nameOf(object);
    const k = key(resource, namespace, name);
    const previous = this.objects.get(k);
    const stored = wireOrder(object);
    const revision = ++this.revisionNow;
    metadataOf(stored).resourceVersion = String(revision);
    this.objects.set(k, stored);
    this.emit({
      revision,
      type: previous ? 'MODIFIED' : 'ADDED',
      resource,
      namespace,
      name,
      object: stored,
      ...(previous && { previous }),
    });
    return clone(stored);
  }

  /** Removes the object; returns its last state, stamped with the deleting revision. */
  delete(resource: ResourceInfo, namespace: string, name: string): JsonObject | undefined {
    const k = key(resource, namespace, name);
    const previous = this.objects.get(k);
    if (!previous) return undefined;
    this.objects.delete(k);
    const revision = ++this.revisionNow;
    const last = clone(previous);
    metadataOf(last).resourceVersion = String(revision);
    this.emit({ revision, type: 'DELETED', resource, namespace, name, object: last, previous });
    return clone(last);
  }

  /** Changes after `revision`, oldest first; undefined when they were compacted away. */
  eventsAfter(revision: number): StoreEvent[] | undefined {
    if (revision < this.compactedThrough) return undefined;
    return this.log.filter((event) => event.revision > revision);
  }

  /** Forgets the change log: watches from an older resourceVersion get 410 Expired. */
  compact(): void {
    this.compactedThrough = this.revisionNow;
    this.log = [];
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StoreEvent): void {
    this.log.push(event);
    for (const listener of [...this.listeners]) listener(event);
  }
}

function key(resource: ResourceInfo, namespace: string, name: string): string {
  return `${resource.plural}|${namespace}|${name}`;
}

const TOP_FIELDS = ['kind', 'apiVersion', 'metadata'];
const META_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
];

/** A copy with fields in the order Go's encoding/json writes the structs. */
function wireOrder(object: JsonObject): JsonObject {
  const ordered = orderKeys(clone(object), TOP_FIELDS);
  if (ordered.metadata !== undefined)
    ordered.metadata = orderKeys(objectAt(ordered.metadata), META_FIELDS);
  return ordered;
}

function orderKeys(object: JsonObject, first: readonly string[]): JsonObject {
  const result: JsonObject = {};
  for (const key of first) if (object[key] !== undefined) result[key] = object[key];
  for (const [key, value] of Object.entries(object)) if (!(key in result)) result[key] = value;
  return result;
}
