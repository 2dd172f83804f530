import { randomInt, randomUUID } from 'node:crypto';
import {
  type JsonObject,
  child,
  clone,
  deepEqual,
  isObject,
  objectAt,
  rfc3339,
  stringAt,
} from './json';
import { PatchError, jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { type ResourceInfo, STORED_RESOURCES, groupVersion, resourceFor } from './resources';
import {
  ApiError,
  type FieldError,
  alreadyExists,
  badRequest,
  conflict,
  deleted,
  failure,
  invalid,
  invalidValue,
  notFound,
  unsupportedMediaType,
} from './status';
import { type Store, metadataOf, nameOf, namespaceOf, resourceVersionOf } from './store';
import { checkSecretEncoding, validateName, validateSecret } from './validation';
import { type WorkloadController, applyWorkloadDefaults, bumpsGeneration } from './workloads';

/**
 * What the API server's generic registry does with a request, per kind: decode, default,
 * validate, check the resourceVersion precondition, keep what clients may not change
 * (uid, creationTimestamp, generation, status through the main resource), skip no-op
 * writes, store. Errors are thrown as ApiError carrying the Status to send.
 */

export interface WriteOptions {
  /** `dryRun=All`: everything but the write. */
  dryRun?: boolean;
}

export type PatchType = 'json' | 'merge' | 'strategic';

export const DEFAULT_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

const NAMESPACES = resourceFor('namespaces');

export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json-patch+json') return 'json';
  if (type === 'application/merge-patch+json') return 'merge';
  if (type === 'application/strategic-merge-patch+json') return 'strategic';
  throw unsupportedMediaType();
}

export class ObjectApi {
  constructor(
    private readonly store: Store,
    private readonly controller: WorkloadController,
  ) {}

  get(resource: ResourceInfo, namespace: string, name: string): JsonObject {
    const found = this.store.get(resource, namespace, name);
    if (!found) throw notFound(resource, name);
    return found;
  }

  create(resource: ResourceInfo, namespace: string, body: unknown, options: WriteOptions = {}) {
    const object = this.decode(resource, namespace, body);
    const meta = metadataOf(object);
    if (!stringAt(meta.name) && stringAt(meta.generateName)) {
      meta.name = `${stringAt(meta.generateName)}${randomSuffix()}`;
    }
    const name = nameOf(object);
    this.check(resource, name, validateName(resource, name));
    if (resourceVersionOf(object)) {
      // The storage layer's plain error, which the server sends as a 500 with no reason.
      throw new ApiError(
        failure(500, '', 'resourceVersion should not be set on objects to be created'),
      );
    }
    if (resource.namespaced) this.requireNamespace(namespace);
    if (this.store.get(resource, namespace, name)) throw alreadyExists(resource, name);
    this.normalize(resource, object);
    this.check(resource, name, this.validate(resource, object));
    for (const field of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'generation',
      'managedFields',
    ]) {
      Reflect.deleteProperty(meta, field);
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339();
    if (resource.workload) {
      meta.generation = 1;
      object.status = {};
    }
    if (resource.plural === 'namespaces') object.status = { phase: 'Active' };
    return this.commit(resource, object, options);
  }

  replace(
    resource: ResourceInfo,
    namespace: string,
    name: string,
    body: unknown,
    options: WriteOptions = {},
  ) {
    const object = this.decode(resource, namespace, body);
    const bodyName = nameOf(object);
    if (bodyName !== name) {
      throw badRequest(
        `the name of the object (${bodyName}) does not match the name on the URL (${name})`,
      );
    }
    const current = this.store.get(resource, namespace, name);
    if (!current) throw notFound(resource, name);
    return this.update(resource, current, object, options);
  }

  patch(
    resource: ResourceInfo,
    namespace: string,
    name: string,
    type: PatchType,
    body: string,
    options: WriteOptions = {},
  ) {
    let patch: unknown;
    try {
      patch = JSON.parse(body);
    } catch (error) {
      throw badRequest(`error decoding patch: ${(error as Error).message}`);
    }
    const current = this.store.get(resource, namespace, name);
    if (!current) throw notFound(resource, name);
    let patched: unknown;
    try {
      if (type === 'json') patched = jsonPatch(current, patch);
      else if (type === 'merge') {
        if (!isObject(patch)) throw new PatchError('a merge patch is a JSON object');
        patched = mergePatch(current, patch);
      } else patched = strategicMergePatch(current, patch);
    } catch (error) {
      if (!(error instanceof PatchError)) throw error;
      if (error.testFailed) throw conflict(resource, name, error.message);
      throw new ApiError(
        failure(422, 'Invalid', error.message, {
          name,
          ...(resource.group && { group: resource.group }),
          kind: resource.kind,
        }),
      );
    }
    if (!isObject(patched)) throw badRequest('the patch did not leave an object');
    return this.update(resource, current, this.decode(resource, namespace, patched), options);
  }

  /** DELETE: the Status a real server sends (the object itself while finalizers hold it). */
  delete(
    resource: ResourceInfo,
    namespace: string,
    name: string,
    preconditions: { resourceVersion?: string; uid?: string },
    options: WriteOptions = {},
  ): JsonObject {
    const current = this.store.get(resource, namespace, name);
    if (!current) throw notFound(resource, name);
    const meta = objectAt(current.metadata);
    if (preconditions.uid && preconditions.uid !== meta.uid) {
      throw conflict(
        resource,
        name,
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${String(meta.uid)}`,
      );
    }
    if (preconditions.resourceVersion && preconditions.resourceVersion !== meta.resourceVersion) {
      throw conflict(
        resource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ` +
          `ResourceVersion in object meta: ${String(meta.resourceVersion)}`,
      );
    }
    if (options.dryRun) return { ...deleted(resource, name, String(meta.uid)) };
    const finalizers = meta.finalizers;
    if (Array.isArray(finalizers) && finalizers.length > 0) {
      if (!meta.deletionTimestamp) {
        const marked = clone(current);
        metadataOf(marked).deletionTimestamp = rfc3339();
        metadataOf(marked).deletionGracePeriodSeconds = 0;
        return this.store.write(resource, marked);
      }
      return current;
    }
    this.remove(resource, namespace, name);
    return { ...deleted(resource, name, String(meta.uid)) };
  }

  /** Stores `object` as it is meant to exist, for test seeding; no checks but decoding. */
  seed(object: JsonObject): JsonObject {
    const kind = stringAt(object.kind);
    if (!kind) throw new Error('kube-apiserver stand-in: put() needs an object with a kind');
    const resource = resourceFor(kind);
    const namespace = resource.namespaced ? namespaceOf(object) || 'default' : '';
    const seeded = clone(object);
    seeded.apiVersion = groupVersion(resource);
    const meta = metadataOf(seeded);
    if (resource.namespaced) {
      meta.namespace = namespace;
      this.ensureNamespace(namespace);
    }
    const name = nameOf(seeded);
    if (!name) throw new Error('kube-apiserver stand-in: put() needs metadata.name');
    const current = this.store.get(resource, namespace, name);
    if (resource.kind === 'Secret') checkSecretEncoding(seeded);
    this.normalize(resource, seeded);
    delete meta.resourceVersion;
    const currentMeta = objectAt(current?.metadata);
    meta.uid ??= currentMeta.uid ?? randomUUID();
    meta.creationTimestamp ??= currentMeta.creationTimestamp ?? rfc3339();
    if (resource.workload) {
      const previousGeneration = Number(currentMeta.generation ?? 0);
      meta.generation ??=
        current && !bumpsGeneration(resource, current, seeded)
          ? previousGeneration
          : previousGeneration + 1;
      if (seeded.status === undefined) this.controller.settle(resource, seeded);
    }
    return this.store.write(resource, seeded);
  }

  ensureNamespace(name: string): void {
    if (this.store.get(NAMESPACES, '', name)) return;
    const namespace: JsonObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: randomUUID(), creationTimestamp: rfc3339() },
      status: { phase: 'Active' },
    };
    this.normalize(NAMESPACES, namespace);
    this.store.write(NAMESPACES, namespace);
  }

  private requireNamespace(namespace: string): void {
    const found = this.store.get(NAMESPACES, '', namespace);
    if (!found) throw notFound(NAMESPACES, namespace);
  }

  private update(
    resource: ResourceInfo,
    current: JsonObject,
    object: JsonObject,
    options: WriteOptions,
  ) {
    const name = nameOf(current);
    const wanted = resourceVersionOf(object);
    // Secrets and the apps kinds allow unconditional updates: no resourceVersion, no check.
    if (wanted && wanted !== resourceVersionOf(current)) throw conflict(resource, name);
    this.normalize(resource, object);
    const meta = metadataOf(object);
    const currentMeta = objectAt(current.metadata);
    for (const field of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
    ]) {
      if (currentMeta[field] === undefined) Reflect.deleteProperty(meta, field);
      else meta[field] = currentMeta[field];
    }
    delete meta.managedFields;
    meta.resourceVersion = currentMeta.resourceVersion;
    if (resource.workload || resource.plural === 'namespaces') {
      // Status is written through the status subresource only.
      if (current.status === undefined) delete object.status;
      else object.status = clone(current.status);
    }
    if (resource.workload) {
      const generation = Number(currentMeta.generation ?? 1);
      meta.generation = bumpsGeneration(resource, current, object) ? generation + 1 : generation;
    }
    this.check(resource, name, this.validate(resource, object, current));
    if (deepEqual(object, current)) return current; // a no-op update writes nothing
    const finalizers = meta.finalizers;
    if (meta.deletionTimestamp && !(Array.isArray(finalizers) && finalizers.length > 0)) {
      if (options.dryRun) return object;
      this.remove(resource, namespaceOf(current), name);
      return object;
    }
    return this.commit(resource, object, options);
  }

  private commit(resource: ResourceInfo, object: JsonObject, options: WriteOptions): JsonObject {
    // A dry run answers with what would be stored, at the current resourceVersion (none
    // for a create).
    if (options.dryRun) return object;
    const stored = this.store.write(resource, object);
    if (resource.workload) {
      this.controller.observe(resource, namespaceOf(stored), nameOf(stored), false);
    }
    return stored;
  }

  /** Deletes at once, finalizers or not (and empties a namespace). */
  remove(resource: ResourceInfo, namespace: string, name: string): void {
    if (resource.plural === 'namespaces') {
      // The namespace controller empties a deleted namespace; here at once.
      for (const inner of STORED_RESOURCES.filter((r) => r.namespaced)) {
        for (const object of this.store.list(inner, name)) this.remove(inner, name, nameOf(object));
      }
    }
    this.store.delete(resource, namespace, name);
    if (resource.workload) this.controller.observe(resource, namespace, name, true);
  }

  /** The body as an object of this resource: kind and apiVersion checked and filled in. */
  private decode(resource: ResourceInfo, namespace: string, body: unknown): JsonObject {
    if (!isObject(body)) {
      throw badRequest(
        `json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct`,
      );
    }
    const object = clone(body);
    const version = groupVersion(resource);
    if (object.apiVersion !== undefined && object.apiVersion !== version) {
      throw badRequest(
        `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${version})`,
      );
    }
    if (object.kind !== undefined && object.kind !== resource.kind) {
      throw badRequest(
        `the kind in the data (${String(object.kind)}) does not match the expected kind (${resource.kind})`,
      );
    }
    object.apiVersion = version;
    object.kind = resource.kind;
    const meta = child(object, 'metadata');
    if (resource.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
    if (resource.kind === 'Secret') checkSecretEncoding(object);
    return object;
  }

  /** Defaulting and conversion: what a stored object of this kind always looks like. */
  private normalize(resource: ResourceInfo, object: JsonObject): void {
    const meta = metadataOf(object);
    delete meta.selfLink;
    if (resource.kind === 'Secret') {
      // v1 -> internal conversion: stringData is merged into data (and wins), never stored.
      const stringData = object.stringData;
      if (isObject(stringData)) {
        const data = child(object, 'data');
        for (const [key, value] of Object.entries(stringData)) {
          data[key] = Buffer.from(String(value ?? ''), 'utf8').toString('base64');
        }
      }
      delete object.stringData;
      if (isObject(object.data)) {
        for (const [key, value] of Object.entries(object.data))
          if (value === null) Reflect.deleteProperty(object.data, key);
        if (Object.keys(object.data).length === 0) delete object.data;
      }
      if (!stringAt(object.type)) object.type = 'Opaque';
    }
    if (resource.kind === 'Namespace') {
      const labels = child(meta, 'labels');
      labels['kubernetes.io/metadata.name'] = nameOf(object);
      const spec = child(object, 'spec');
      spec.finalizers ??= ['kubernetes'];
    }
    if (resource.workload) applyWorkloadDefaults(resource, object);
    for (const field of ['labels', 'annotations']) {
      if (isObject(meta[field]) && Object.keys(meta[field] as JsonObject).length === 0)
        Reflect.deleteProperty(meta, field);
    }
  }

  private validate(resource: ResourceInfo, object: JsonObject, current?: JsonObject): FieldError[] {
    const errors: FieldError[] = [];
    if (current) {
      const meta = objectAt(object.metadata);
      if (!deepEqual(meta.name, objectAt(current.metadata).name)) {
        errors.push(invalidValue('metadata.name', meta.name, 'field is immutable'));
      }
    }
    if (resource.kind === 'Secret') errors.push(...validateSecret(object, current));
    return errors;
  }

  private check(resource: ResourceInfo, name: string, errors: FieldError[]): void {
    if (errors.length > 0) throw invalid(resource, name, errors);
  }
}

/** generateName suffix: five of utilrand's consonants and digits. */
function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
