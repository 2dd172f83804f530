import type { MethodName, MethodOutput } from '../../shared/api';
import type { Result } from '../../shared/errors';
import { type Implementation, handle } from './handle';
import { generatorMethods } from './generator';
import { historyMethods } from './history';
import { importEnv } from './import-env';
import { secretMethods } from './secrets';
import { type AppOptions, AppSession } from './session';
import { vaultMethods } from './vault';

/** The contract implemented once; every front door talks to the core through `call`. */
export interface RekeyApp {
  session: AppSession;
  call<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
}

export function createApp(options: AppOptions): RekeyApp {
  const session = new AppSession(options);
  const implementation: Implementation = {
    ...vaultMethods(session),
    ...secretMethods(session),
    'secrets.importEnv': async (input) => importEnv(session.requireVault(), input),
    ...historyMethods(session),
    ...generatorMethods(),
  };
  return {
    session,
    call: (method, input) =>
      handle(implementation, method, input, { redactor: () => session.vault?.redactor ?? null }),
  };
}

export type { AppOptions } from './session';
