import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Where the vault lives unless told otherwise: the user's config directory, shared by the
 * desktop app and the CLI so both open the same vault.
 */
export function defaultVaultPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Rekey', 'vault.rekey');
  }
  if (platform === 'darwin') {
    return join(home, 'Library', 'Application Support', 'Rekey', 'vault.rekey');
  }
  const configHome = env['XDG_CONFIG_HOME'] || join(home, '.config');
  return join(configHome, 'rekey', 'vault.rekey');
}

/** Preferences (not secret) beside the default vault: theme, timeouts, last vault opened. */
export function defaultPreferencesPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  return join(dirname(defaultVaultPath(env, platform, home)), 'preferences.json');
}
