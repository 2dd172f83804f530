import {
  ApiException,
  AppsV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  type KubeConfig,
  Observable,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { RekeyError } from '../../shared/errors';
import {
  type KubeEndpoint,
  type KubeOperation,
  kubeFailure,
  refusalReason,
  requestTimedOut,
} from './kube-errors';
import type { SelectedContext } from './kube-config';

/**
 * The API clients of one context, and the one way Rekey calls them: every request has a
 * deadline (client-node sets none, and a black-holed address would hang a rotation forever),
 * can be cancelled, and fails with a RekeyError.
 */
export interface KubeSession {
  readonly config: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly endpoint: KubeEndpoint;
  readonly requestTimeoutMs: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Replaces the request's Content-Type (patches: client-node defaults to JSON Patch). */
  contentType?: string;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export function openSession(selected: SelectedContext, requestTimeoutMs: number): KubeSession {
  const { config } = selected;
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    endpoint: {
      server: selected.server,
      context: selected.context.name,
      refusal: selected.plainHttp
        ? 'Rekey sends no credentials over plain HTTP (use the https address)'
        : refusalReason(config.getCurrentUser()),
    },
    requestTimeoutMs,
  };
}

function requestMiddleware(signal: AbortSignal, contentType?: string): ObservableMiddleware {
  return {
    pre: (request: RequestContext) => {
      request.setSignal(signal);
      if (contentType !== undefined) request.setHeaderParam('Content-Type', contentType);
      return new Observable(Promise.resolve(request));
    },
    post: (response: ResponseContext) => new Observable(Promise.resolve(response)),
  };
}

/** Thrown when the caller's signal ends a call: its reason if that is an error, else this. */
export function cancelled(signal: AbortSignal, doing: string): Error {
  if (signal.reason instanceof Error && signal.reason.name !== 'AbortError') return signal.reason;
  return new RekeyError('INTERNAL', `Cancelled during ${doing}.`);
}

async function attempt<T>(
  session: KubeSession,
  operation: KubeOperation,
  run: (options: ConfigurationOptions) => Promise<T>,
  call: CallOptions,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  const deadline = AbortSignal.timeout(session.requestTimeoutMs);
  const signal = call.signal ? AbortSignal.any([deadline, call.signal]) : deadline;
  if (call.signal?.aborted) throw cancelled(call.signal, operation.doing);
  try {
    const value = await run({
      middleware: [requestMiddleware(signal, call.contentType)],
      middlewareMergeStrategy: 'append',
    });
    return { ok: true, value };
  } catch (error) {
    if (call.signal?.aborted) throw cancelled(call.signal, operation.doing);
    if (deadline.aborted)
      throw requestTimedOut(session.endpoint, operation, session.requestTimeoutMs);
    return { ok: false, error };
  }
}

/** Runs one API call; any failure becomes a RekeyError naming the server and the operation. */
export async function kubeCall<T>(
  session: KubeSession,
  operation: KubeOperation,
  run: (options: ConfigurationOptions) => Promise<T>,
  call: CallOptions = {},
): Promise<T> {
  const result = await attempt(session, operation, run, call);
  if (result.ok) return result.value;
  throw kubeFailure(result.error, session.endpoint, operation);
}

/** Like `kubeCall`, but a 404 (no such object) is null rather than an error. */
export async function kubeCallOrNull<T>(
  session: KubeSession,
  operation: KubeOperation,
  run: (options: ConfigurationOptions) => Promise<T>,
  call: CallOptions = {},
): Promise<T | null> {
  const result = await attempt(session, operation, run, call);
  if (result.ok) return result.value;
  if (result.error instanceof ApiException && result.error.code === 404) return null;
  throw kubeFailure(result.error, session.endpoint, operation);
}
