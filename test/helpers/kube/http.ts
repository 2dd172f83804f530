import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type JsonObject, isObject, objectAt, stringAt } from './json';
import { type ObjectApi, type PatchType, patchTypeOf } from './objects';
import { PROTOBUF, decodeProtobuf } from './protobuf';
import { type Identity, type Tokens, allows } from './rbac';
import {
  type ResourceInfo,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  groupVersion,
  resourceAt,
} from './resources';
import { fieldSelector, labelSelector, selectedName } from './selectors';
import {
  ApiError,
  type Status,
  badRequest,
  failure,
  forbidden,
  methodNotAllowed,
  noSuchResource,
  unauthorized,
} from './status';
import { type Store, nameOf } from './store';
import type { Watches } from './watch';

/** One request as the server saw it, for tests asserting what a client called. */
export interface RecordedRequest {
  method: string;
  /** The URL path, without the query. */
  path: string;
  query: Record<string, string>;
  /** The authenticated user; undefined when the token authenticated no one. */
  user: string | undefined;
  /** The verb RBAC checked (`get`, `list`, `watch`, `patch`...), for resource requests. */
  verb?: string;
  contentType?: string;
  accept?: string;
  /** The HTTP status sent (200 for a watch once it streams). */
  status?: number;
}

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
}

interface HandlerParts {
  store: Store;
  objects: ObjectApi;
  tokens: Tokens;
  watches: Watches;
  version: VersionInfo;
  serverAddress: () => string;
  record: (request: RecordedRequest) => void;
}

/** A parsed resource URL, as the API server's RequestInfoFactory reads it. */
interface Target {
  resource: ResourceInfo;
  /** '' at the cluster scope or for all namespaces. */
  namespace: string;
  name: string;
  subresource: string;
  /** The legacy /watch/ prefix. */
  watchPath: boolean;
}

const MAX_BODY = 3 * 1024 * 1024;

export function createHandler(parts: HandlerParts) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const query = Object.fromEntries(url.searchParams);
    const identity = parts.tokens.authenticate(req.headers.authorization);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      user: identity?.user,
      ...(req.headers['content-type'] && { contentType: req.headers['content-type'] }),
      ...(req.headers.accept && { accept: req.headers.accept }),
    };
    parts.record(recorded);
    const headers = {
      'Audit-Id': randomUUID(),
      'Cache-Control': 'no-cache, private',
      'X-Kubernetes-Pf-Flowschema-Uid': '00000000-0000-0000-0000-000000000001',
      'X-Kubernetes-Pf-Prioritylevel-Uid': '00000000-0000-0000-0000-000000000002',
    };
    const send = (code: number, body: unknown) => {
      recorded.status = code;
      const pretty = query.pretty === 'true' || query.pretty === '1';
      const text = `${JSON.stringify(body, null, pretty ? 2 : undefined)}\n`;
      res.writeHead(code, {
        ...headers,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    try {
      const body = await readBody(req);
      if (!identity) throw unauthorized();
      const nonResource = nonResourceResponse(url.pathname, parts);
      if (nonResource !== undefined) {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed();
        if (typeof nonResource === 'string') {
          recorded.status = 200;
          res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(nonResource);
        } else {
          send(200, nonResource);
        }
        return;
      }
      const target = parseTarget(url.pathname);
      if (!target) {
        notFoundPage(res, recorded);
        return;
      }
      const verb = verbOf(req.method ?? 'GET', target, query);
      recorded.verb = verb;
      const authzName =
        target.name ||
        (verb === 'list' || verb === 'watch' ? selectedName(query.fieldSelector) : '');
      authorize(identity, verb, target, authzName);
      if (verb === 'watch') {
        recorded.status = 200;
        parts.watches.start(
          {
            resource: target.resource,
            namespace: target.namespace || undefined,
            selects: selectorOf(target, query),
            resourceVersion: query.resourceVersion ?? '',
            timeoutSeconds: query.timeoutSeconds ? Number(query.timeoutSeconds) : undefined,
            sendInitialEvents: query.sendInitialEvents === 'true',
          },
          res,
          headers,
        );
        return;
      }
      const [code, result] = serve(
        parts,
        identity,
        verb,
        target,
        query,
        body,
        req.headers['content-type'],
      );
      send(code, result);
    } catch (error) {
      const status: Status =
        error instanceof ApiError
          ? error.status
          : failure(500, 'InternalError', `Internal error occurred: ${String(error)}`);
      if (!res.headersSent) send(status.code, status);
      else res.end();
    }
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY)
        reject(
          new ApiError(
            failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
          ),
        );
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** Discovery, version and health: readable by every authenticated user (system:discovery). */
function nonResourceResponse(path: string, parts: HandlerParts): unknown {
  const trimmed = path.replace(/\/+$/, '') || '/';
  switch (trimmed) {
    case '/version':
      return {
        ...parts.version,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2025-01-01T00:00:00Z',
        goVersion: 'go1.23.0',
        compiler: 'gc',
        platform: 'linux/amd64',
      };
    case '/healthz':
    case '/livez':
    case '/readyz':
      return 'ok';
    case '/api':
      return apiVersions(parts.serverAddress());
    case '/apis':
      return apiGroupList();
  }
  const group = /^\/apis\/([^/]+)$/.exec(trimmed);
  if (group) return apiGroupDocument(group[1] as string);
  if (trimmed === '/api/v1') return apiResourceList('', 'v1');
  const groupVersionPath = /^\/apis\/([^/]+)\/([^/]+)$/.exec(trimmed);
  if (groupVersionPath)
    return apiResourceList(groupVersionPath[1] as string, groupVersionPath[2] as string);
  return undefined;
}

/** The plain-text 404 of a path outside every API (the mux's NotFound). */
function notFoundPage(res: ServerResponse, recorded: RecordedRequest): void {
  recorded.status = 404;
  res.writeHead(404, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end('404 page not found\n');
}

function parseTarget(path: string): Target | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1] as string;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1] as string;
    version = segments[2] as string;
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  const watchPath = rest[0] === 'watch';
  if (watchPath) rest = rest.slice(1);
  const lookup = (plural: string | undefined) => {
    const resource = plural === undefined ? undefined : resourceAt(group, version, plural);
    if (!resource) throw noSuchResource();
    return resource;
  };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const resource = lookup(rest[2]);
    if (!resource.namespaced || rest.length > 5) throw noSuchResource();
    return {
      resource,
      namespace: rest[1] as string,
      name: rest[3] ?? '',
      subresource: rest[4] ?? '',
      watchPath,
    };
  }
  if (rest.length > 3) throw noSuchResource();
  const resource = lookup(rest[0]);
  const name = rest[1] ?? '';
  // A namespaced kind without a namespace is the all-namespaces collection: no names there.
  if (resource.namespaced && name) throw noSuchResource();
  return {
    resource,
    // The namespace object is authorized as being in itself.
    namespace: resource.plural === 'namespaces' ? name : '',
    name,
    subresource: rest[2] ?? '',
    watchPath,
  };
}

function verbOf(method: string, target: Target, query: Record<string, string>): string {
  const watch = target.watchPath || query.watch === 'true' || query.watch === '1';
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return target.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return target.name ? 'delete' : 'deletecollection';
    default:
      throw methodNotAllowed();
  }
}

function authorize(identity: Identity, verb: string, target: Target, name: string): void {
  const resource = target.subresource
    ? `${target.resource.plural}/${target.subresource}`
    : target.resource.plural;
  const attributes = {
    verb,
    group: target.resource.group,
    resource,
    namespace: target.namespace,
    name,
  };
  if (target.resource.plural === 'selfsubjectaccessreviews') return; // every user may ask
  if (!allows(identity, attributes)) {
    throw forbidden(identity.user, verb, target.resource, target.namespace, name);
  }
}

function selectorOf(target: Target, query: Record<string, string>) {
  const byField = fieldSelector(query.fieldSelector, target.resource);
  const byLabel = labelSelector(query.labelSelector);
  const byName = (object: JsonObject) => !target.name || nameOf(object) === target.name;
  return (object: JsonObject) => byName(object) && byField(object) && byLabel(object);
}

/** A request body: JSON, or protobuf for the kinds kubectl's typed clients send so. */
function parseBody(body: Buffer, contentType: string | undefined): unknown {
  if (contentType?.startsWith(PROTOBUF)) return decodeProtobuf(body);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

function serve(
  parts: HandlerParts,
  identity: Identity,
  verb: string,
  target: Target,
  query: Record<string, string>,
  body: Buffer,
  contentType: string | undefined,
): [number, unknown] {
  const parsed = () => parseBody(body, contentType);
  const { resource, namespace, name } = target;
  if (target.subresource) {
    // The status subresource of workloads, read-only here: the controllers write it.
    if (target.subresource !== 'status' || !resource.workload || !name) throw noSuchResource();
    if (verb !== 'get') throw methodNotAllowed();
    return [200, parts.objects.get(resource, namespace, name)];
  }
  const dryRun = query.dryRun === 'All';
  if (resource.plural === 'selfsubjectaccessreviews') {
    if (verb !== 'create') throw methodNotAllowed();
    return [201, accessReview(identity, parsed())];
  }
  switch (verb) {
    case 'get':
      return [200, parts.objects.get(resource, namespace, name)];
    case 'list':
      return [200, list(parts.store, target, query)];
    case 'create':
      return [201, parts.objects.create(resource, namespace, parsed(), { dryRun })];
    case 'update':
      return [200, parts.objects.replace(resource, namespace, name, parsed(), { dryRun })];
    case 'patch': {
      const type: PatchType = patchTypeOf(contentType);
      return [
        200,
        parts.objects.patch(resource, namespace, name, type, body.toString('utf8'), { dryRun }),
      ];
    }
    case 'delete': {
      // DeleteOptions: JSON only (a protobuf one is ignored, as if empty).
      const json = body.length > 0 && !contentType?.startsWith(PROTOBUF);
      const options = json ? objectAt(parseBody(body, contentType)) : {};
      const preconditions = objectAt(options.preconditions);
      const result = parts.objects.delete(
        resource,
        namespace,
        name,
        {
          resourceVersion: stringAt(preconditions.resourceVersion),
          uid: stringAt(preconditions.uid),
        },
        { dryRun: dryRun || (Array.isArray(options.dryRun) && options.dryRun.includes('All')) },
      );
      return [200, result];
    }
    case 'deletecollection': {
      const selects = selectorOf(target, query);
      const items = parts.store.list(resource, namespace || undefined).filter(selects);
      for (const item of items) {
        parts.objects.delete(resource, namespace, nameOf(item), {}, { dryRun });
      }
      return [200, listBody(resource, items, parts.store.revision)];
    }
    default:
      throw methodNotAllowed();
  }
}

function list(store: Store, target: Target, query: Record<string, string>) {
  const selects = selectorOf(target, query);
  const all = store.list(target.resource, target.namespace || undefined).filter(selects);
  const revision = store.revision;
  const limit = Number(query.limit ?? 0);
  let start = 0;
  if (query.continue) {
    const token = decodeContinue(query.continue);
    start = all.findIndex((object) => continueKey(object) > token.after);
    if (start < 0) start = all.length;
  }
  const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
  const remaining = all.length - start - page.length;
  const body = listBody(target.resource, page, revision);
  if (remaining > 0 && page.length > 0) {
    const meta = objectAt(body.metadata);
    meta.continue = Buffer.from(
      JSON.stringify({
        v: 'meta.k8s.io/v1',
        rv: revision,
        start: continueKey(page[page.length - 1] as JsonObject),
      }),
    ).toString('base64url');
    meta.remainingItemCount = remaining;
  }
  return body;
}

function continueKey(object: JsonObject): string {
  return `${objectAt(object.metadata).namespace ?? ''}/${nameOf(object)}`;
}

function decodeContinue(token: string): { after: string } {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (isObject(decoded) && typeof decoded.start === 'string') return { after: decoded.start };
  } catch {
    // fall through
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

/** A list response: items without kind and apiVersion, as a real server sends them. */
function listBody(resource: ResourceInfo, items: JsonObject[], revision: number): JsonObject {
  return {
    kind: `${resource.kind}List`,
    apiVersion: groupVersion(resource),
    metadata: { resourceVersion: String(revision) },
    items: items.map((item) => {
      const { kind: _kind, apiVersion: _apiVersion, ...rest } = item;
      return rest;
    }),
  };
}

function accessReview(identity: Identity, body: unknown): JsonObject {
  const review = objectAt(body);
  const spec = objectAt(review.spec);
  const attributes = objectAt(spec.resourceAttributes);
  const allowed = isObject(spec.resourceAttributes)
    ? allows(identity, {
        verb: stringAt(attributes.verb) ?? '',
        group: stringAt(attributes.group) ?? '',
        resource: [stringAt(attributes.resource), stringAt(attributes.subresource)]
          .filter(Boolean)
          .join('/'),
        namespace: stringAt(attributes.namespace) ?? '',
        name: stringAt(attributes.name) ?? '',
      })
    : isObject(spec.nonResourceAttributes);
  const result: JsonObject = {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { ...objectAt(review.metadata), creationTimestamp: null },
    spec,
    status: {
      allowed,
      ...(allowed && { reason: `RBAC: allowed for User ${JSON.stringify(identity.user)}` }),
    },
  };
  return result;
}
