import type { MethodInput, MethodOutput } from '../../../shared/api';
import { type RekeyClient, buildClient } from '../../../shared/client';
import type { ErrorCode, Result } from '../../../shared/errors';
import type { MethodName } from '../../../shared/methods';
import { httpTransport, signInWithFragmentToken } from './http-transport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser tab. */
    rekey?: RekeyClient;
  }
}

/** An API failure as the UI shows it: a code to branch on and a message to display. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

let client: RekeyClient | null = null;

export async function connect(): Promise<RekeyClient> {
  if (window.rekey) {
    client = window.rekey;
  } else {
    await signInWithFragmentToken();
    client = buildClient(httpTransport());
  }
  return client;
}

export function rekey(): RekeyClient {
  if (!client) throw new Error('connect() first');
  return client;
}

/** Calls a method by name and returns its value, or throws an ApiError with its message. */
export async function call<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const [namespace, name] = method.split('.') as [string, string];
  const api = rekey() as unknown as Record<
    string,
    Record<string, (input: unknown) => Promise<Result<MethodOutput<M>>>>
  >;
  const result = await (
    api[namespace]?.[name] as (input: unknown) => Promise<Result<MethodOutput<M>>>
  )(input);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
