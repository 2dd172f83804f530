import type { RekeyApp } from '../../src/main/app';
import type { MethodName, MethodOutput } from '../../src/shared/api';

/** Calls the contract in-process and returns the value, or throws with the coded error. */
export async function ok<M extends MethodName>(
  app: RekeyApp,
  method: M,
  input: unknown,
): Promise<MethodOutput<M>> {
  const result = await app.call(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}
