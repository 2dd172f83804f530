import { homedir } from 'node:os';
import { defaultVaultPath } from '../vault/paths';
import type { Implementation } from './handle';
import type { AppSession } from './session';

export function preferenceMethods(
  session: AppSession,
): Pick<Implementation, 'app.info' | 'preferences.get' | 'preferences.update'> {
  return {
    'app.info': async () => ({
      version: session.options.version ?? 'dev',
      frontDoor: session.options.source === 'desktop' ? 'desktop' : 'browser',
      clipboard: session.clipboard ? 'main' : 'renderer',
      defaultVaultPath: defaultVaultPath(),
      homeDir: homedir(),
    }),
    'preferences.get': async () => session.preferences.current.preferences,
    'preferences.update': async (changes) => {
      const { preferences } = session.preferences.current;
      const saved = await session.preferences.save({ preferences: { ...preferences, ...changes } });
      // A shorter idle time applies from now, not from the next call.
      session.touch();
      return saved.preferences;
    },
  };
}
