import { ApiException, type User } from '@kubernetes/client-node';
import { type ErrorCode, RekeyError } from '../../shared/errors';

/**
 * Turns what client-node and the socket report into Rekey's error codes, with messages that
 * name the API server, the context and what Rekey was doing. The API server's own text
 * (a Status message) is passed on only after every value of the operation is blanked out of
 * it, and the client's exception is never attached as a cause: its message embeds the whole
 * response body.
 */

/** The cluster side of a message: which API server, through which context. */
export interface KubeEndpoint {
  server: string;
  context: string;
  /** Why credentials like this context's are refused, for 401s ("expired or invalid token"). */
  refusal: string;
}

export interface KubeOperation {
  /** What Rekey was doing, as the end of a sentence: "writing Secret prod/db". */
  doing: string;
  /** What it was done to: "Secret prod/db". */
  target: string;
  /** Values in flight: blanked out of any text the server sends back. */
  secrets?: readonly Buffer[];
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { kind?: string; name?: string };
}

const MAX_SERVER_TEXT = 300;

/** Why the API server refuses credentials like `user`'s, in the words kubectl users know. */
export function refusalReason(user: User | null): string {
  if (!user) return 'the context has no credentials';
  if (user.exec) return "the credential plugin's token is expired or invalid";
  if (user.authProvider) return "the auth provider's token is expired or invalid";
  if (user.token) return 'expired or invalid token';
  if (user.certData || user.certFile) return 'expired or untrusted client certificate';
  if (user.username) return 'wrong username or password';
  return 'the context has no credentials';
}

function statusOf(body: unknown): StatusBody | null {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.trim() === '' ? null : { message: body.split('\n')[0] };
    }
  }
  return value !== null && typeof value === 'object' ? (value as StatusBody) : null;
}

/** Server text with every value in flight (raw or base64) blanked out, and kept short. */
export function scrubbed(text: string, secrets: readonly Buffer[] = []): string {
  let result = text;
  for (const secret of secrets) {
    for (const form of [secret.toString('utf8'), secret.toString('base64')]) {
      if (form.length >= 3) result = result.split(form).join('[redacted]');
    }
  }
  return result.length > MAX_SERVER_TEXT ? `${result.slice(0, MAX_SERVER_TEXT)}…` : result;
}

const RBAC_DENIAL =
  /User "([^"]*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)?/;

/** "RBAC: user alice may not update secrets in namespace prod (403)", or null. */
export function rbacDenial(message: string): string | null {
  const match = RBAC_DENIAL.exec(message);
  if (!match) return null;
  const [, user, verb, resource, group, namespace] = match;
  const what = group ? `${resource}.${group}` : resource;
  const where = namespace ? `in namespace ${namespace}` : 'at cluster scope';
  return `RBAC: user ${user} may not ${verb} ${what} ${where} (403)`;
}

function apiFailure(
  error: ApiException<unknown>,
  endpoint: KubeEndpoint,
  operation: KubeOperation,
): RekeyError {
  const status = statusOf(error.body);
  const serverText = scrubbed(status?.message ?? '', operation.secrets);
  const because = serverText ? `: ${serverText}` : '';
  const make = (code: ErrorCode, message: string) => new RekeyError(code, message);
  switch (error.code) {
    case 401:
      return make(
        'AUTH_FAILED',
        `The credentials of context ${endpoint.context} were refused (401): ${endpoint.refusal}.`,
      );
    case 403: {
      const denial = rbacDenial(status?.message ?? '');
      return make(
        'REMOTE_FAILED',
        denial
          ? `${denial}; Rekey needed that for ${operation.doing}.`
          : `The API server refused ${operation.doing} to context ${endpoint.context} (403)${because}.`,
      );
    }
    case 404:
      return make(
        'NOT_FOUND',
        status?.details?.kind === 'namespaces'
          ? `Namespace ${status.details.name ?? ''} does not exist (404) at ${endpoint.server}.`
          : `${operation.target} does not exist (404) at ${endpoint.server}.`,
      );
    case 409:
      return make(
        'CONFLICT',
        status?.reason === 'AlreadyExists'
          ? `${operation.target} was created by someone else meanwhile (409 AlreadyExists): ` +
              'nothing was written.'
          : `${operation.target} was changed by someone else since Rekey read it ` +
              '(409 Conflict): nothing was written; read it again before retrying.',
      );
    case 422:
      return make('INVALID_INPUT', `The API server rejected ${operation.doing} (422)${because}.`);
    default:
      return make(
        'REMOTE_FAILED',
        `The Kubernetes API at ${endpoint.server} answered ${error.code} to ${operation.doing}${because}.`,
      );
  }
}

const TLS_CODE = /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_)/;

function networkFailure(
  error: Error & { code?: unknown },
  endpoint: KubeEndpoint,
  operation: KubeOperation,
): RekeyError {
  const errno = typeof error.code === 'string' ? error.code : '';
  const unreachable = (why: string) =>
    new RekeyError(
      'CONNECTION_REFUSED',
      `Cannot reach the Kubernetes API at ${endpoint.server}: ${why}.`,
    );
  switch (errno) {
    case 'ECONNREFUSED':
      return unreachable('connection refused');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return unreachable(`the address was not found (${errno})`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return unreachable(`the host is unreachable (${errno})`);
    case 'ETIMEDOUT':
      return new RekeyError(
        'CONNECTION_TIMEOUT',
        `Connecting to the Kubernetes API at ${endpoint.server} timed out.`,
      );
    default:
      if (TLS_CODE.test(errno))
        return unreachable(`its TLS certificate was not accepted (${errno})`);
      return new RekeyError(
        'CONNECTION_LOST',
        `The connection to the Kubernetes API at ${endpoint.server} failed during ` +
          `${operation.doing} (${errno || error.message}).`,
      );
  }
}

/** The RekeyError for a failed API call. RekeyErrors pass through unchanged. */
export function kubeFailure(
  error: unknown,
  endpoint: KubeEndpoint,
  operation: KubeOperation,
): RekeyError {
  if (error instanceof RekeyError) return error;
  if (error instanceof ApiException) return apiFailure(error, endpoint, operation);
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string')
    return networkFailure(error, endpoint, operation);
  // Anything else is a client-side failure (a response that did not parse...); its message
  // may quote the response, which may hold a value, so only its name is kept.
  const name = error instanceof Error ? error.name : typeof error;
  return new RekeyError(
    'INTERNAL',
    `Unexpected failure (${name}) during ${operation.doing} at ${endpoint.server}.`,
  );
}

export function requestTimedOut(
  endpoint: KubeEndpoint,
  operation: KubeOperation,
  timeoutMs: number,
): RekeyError {
  return new RekeyError(
    'CONNECTION_TIMEOUT',
    `The Kubernetes API at ${endpoint.server} did not answer within ${formatDuration(timeoutMs)} ` +
      `during ${operation.doing}.`,
  );
}

/** "500 ms", "30 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ''}`;
}
