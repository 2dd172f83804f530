import type { MethodInput, MethodOutput } from './api';
import type { Result } from './errors';
import { type AppEvent, METHOD_NAMES, type MethodName, type Namespace } from './methods';

/**
 * The typed client every renderer uses: `rekey.vault.unlock({ password })` resolves to a
 * Result. Built once from the method list over a transport (Electron IPC in the preload,
 * HTTP in the browser host), so no front door declares the API a second time.
 */
type MethodsOf<N extends Namespace> = {
  [M in MethodName as M extends `${N}.${infer Name}` ? Name : never]: (
    input: MethodInput<M>,
  ) => Promise<Result<MethodOutput<M>>>;
};

export type RekeyClient = { [N in Namespace]: MethodsOf<N> } & {
  events: { subscribe(listener: (event: AppEvent) => void): () => void };
};

export interface Transport {
  invoke(method: MethodName, input: unknown): Promise<unknown>;
  subscribe(listener: (event: AppEvent) => void): () => void;
}

export function buildClient(transport: Transport): RekeyClient {
  const client: Record<string, Record<string, unknown>> = {};
  for (const method of METHOD_NAMES) {
    const [namespace = '', name = ''] = method.split('.');
    client[namespace] ??= {};
    (client[namespace] as Record<string, unknown>)[name] = (input: unknown) =>
      transport.invoke(method, input ?? {});
  }
  client['events'] = {
    subscribe: (listener: (event: AppEvent) => void) => transport.subscribe(listener),
  };
  return client as unknown as RekeyClient;
}
