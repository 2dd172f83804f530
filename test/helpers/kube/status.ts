import { type ResourceInfo, qualifiedKind, qualifiedResource } from './resources';

/**
 * metav1.Status bodies, worded as k8s.io/apimachinery/pkg/api/errors words them, so a client
 * that matches on `reason`, `code` or the message sees what a real API server sends.
 */

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A failed request: the HTTP status is `status.code`, the body is `status`. */
export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

export function failure(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(reason && { reason }),
    ...(details && { details }),
    code,
  };
}

function resourceDetails(resource: ResourceInfo, name: string): StatusDetails {
  return {
    ...(name && { name }),
    ...(resource.group && { group: resource.group }),
    kind: resource.plural,
  };
}

function named(resource: ResourceInfo, name: string): string {
  return name
    ? `${qualifiedResource(resource)} ${JSON.stringify(name)}`
    : qualifiedResource(resource);
}

export function unauthorized(): ApiError {
  return new ApiError(failure(401, 'Unauthorized', 'Unauthorized'));
}

/** responsewriters.forbiddenMessage + errors.NewForbidden, RBAC giving no reason. */
export function forbidden(
  user: string,
  verb: string,
  resource: ResourceInfo,
  namespace: string,
  name: string,
): ApiError {
  const scope = namespace
    ? `in the namespace ${JSON.stringify(namespace)}`
    : 'at the cluster scope';
  const why =
    `User ${JSON.stringify(user)} cannot ${verb} resource ${JSON.stringify(resource.plural)} ` +
    `in API group ${JSON.stringify(resource.group)} ${scope}`;
  return new ApiError(
    failure(403, 'Forbidden', `${named(resource, name)} is forbidden: ${why}`, {
      ...resourceDetails(resource, name),
    }),
  );
}

/** A non-resource URL (discovery, /version) the user may not GET. */
export function forbiddenPath(user: string, verb: string, path: string): ApiError {
  return new ApiError(
    failure(
      403,
      'Forbidden',
      `forbidden: User ${JSON.stringify(user)} cannot ${verb} path ${JSON.stringify(path)}`,
      {},
    ),
  );
}

export function notFound(resource: ResourceInfo, name: string): ApiError {
  return new ApiError(
    failure(404, 'NotFound', `${named(resource, name)} not found`, resourceDetails(resource, name)),
  );
}

/** A path under /api or /apis naming no resource the server has. */
export function noSuchResource(): ApiError {
  return new ApiError(
    failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  );
}

export function alreadyExists(resource: ResourceInfo, name: string): ApiError {
  return new ApiError(
    failure(409, 'AlreadyExists', `${named(resource, name)} already exists`, {
      ...resourceDetails(resource, name),
    }),
  );
}

export const MODIFIED_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(resource: ResourceInfo, name: string, why = MODIFIED_MESSAGE): ApiError {
  return new ApiError(
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${named(resource, name)}: ${why}`, {
      ...resourceDetails(resource, name),
    }),
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, 'BadRequest', message));
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  );
}

export function unsupportedMediaType(): ApiError {
  return new ApiError(
    failure(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: ' +
        'application/json-patch+json, application/merge-patch+json, ' +
        'application/apply-patch+yaml, application/strategic-merge-patch+json',
      {},
    ),
  );
}

/** One field.Error of a validation. */
export interface FieldError {
  /** `FieldValueInvalid`, `FieldValueRequired`, `FieldValueForbidden`, `FieldValueTooLong`. */
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden' | 'FieldValueTooLong';
  field: string;
  /** field.Error.ErrorBody(): `Invalid value: "x": detail`, `Required value`, ... */
  body: string;
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return {
    type: 'FieldValueInvalid',
    field,
    body: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  };
}

export function requiredValue(field: string, detail = ''): FieldError {
  return {
    type: 'FieldValueRequired',
    field,
    body: detail ? `Required value: ${detail}` : 'Required value',
  };
}

export function forbiddenValue(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, body: `Forbidden: ${detail}` };
}

export function tooLong(field: string, max: number): FieldError {
  return { type: 'FieldValueTooLong', field, body: `Too long: must have at most ${max} bytes` };
}

/** errors.NewInvalid: 422 with one cause per field error. */
export function invalid(resource: ResourceInfo, name: string, errors: FieldError[]): ApiError {
  const each = errors.map((e) => `${e.field}: ${e.body}`);
  const summary = each.length === 1 ? each[0] : `[${each.join(', ')}]`;
  return new ApiError(
    failure(
      422,
      'Invalid',
      `${qualifiedKind(resource)} ${JSON.stringify(name)} is invalid: ${summary}`,
      {
        name,
        ...(resource.group && { group: resource.group }),
        kind: resource.kind,
        causes: errors.map((e) => ({ reason: e.type, message: e.body, field: e.field })),
      },
    ),
  );
}

/** The object a watch sends in an ERROR event when its resourceVersion was compacted away. */
export function expired(requested: number, oldest: number): Status {
  return failure(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

/** What DELETE answers for kinds that do not return the deleted object. */
export function deleted(resource: ResourceInfo, name: string, uid: string): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { ...resourceDetails(resource, name), uid },
    code: 200,
  };
}
