import { useEffect, useState } from 'react';
import { call, errorMessage } from '../../api/client';

export interface ConfigFile {
  host: string;
  path: string;
}

export const fileKey = (file: ConfigFile) => `${file.host}:${file.path}`;

/**
 * The config files a deployment's secrets are written to: each distinct host and absolute path
 * of their targets, read from the secrets' metadata (never their values).
 */
export function useDeploymentFiles(deployment: string): {
  files: ConfigFile[] | null;
  error: string | null;
} {
  const [state, setState] = useState<{
    for: string;
    files: ConfigFile[] | null;
    error: string | null;
  }>({ for: '', files: null, error: null });
  useEffect(() => {
    if (!deployment) return undefined;
    let current = true;
    (async () => {
      const secrets = await call('secrets.list', { deployment });
      const details = await Promise.all(
        secrets.map((secret) => call('secrets.get', { ref: secret.ref })),
      );
      const seen = new Map<string, ConfigFile>();
      for (const detail of details) {
        for (const target of detail.metadata.targets) {
          if (!target.path.startsWith('/')) continue;
          const file = { host: target.host, path: target.path };
          seen.set(fileKey(file), file);
        }
      }
      return [...seen.values()].sort((a, b) => fileKey(a).localeCompare(fileKey(b)));
    })()
      .then((files) => current && setState({ for: deployment, files, error: null }))
      .catch(
        (error: unknown) =>
          current && setState({ for: deployment, files: [], error: errorMessage(error) }),
      );
    return () => {
      current = false;
    };
  }, [deployment]);
  return state.for === deployment && deployment
    ? { files: state.files, error: state.error }
    : { files: null, error: null };
}
