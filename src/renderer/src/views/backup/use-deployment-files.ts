import { useEffect, useState } from 'react';
import { call, errorMessage } from '../../api/client';

export interface ConfigFile {
  host: string;
  path: string;
}

export const fileKey = (file: ConfigFile) => `${file.host}:${file.path}`;

/**
 * The config files a deployment's secrets are written to (each distinct host and absolute path
 * of their targets, read from the secrets' metadata, never their values), and the secrets' refs.
 */
export function useDeploymentFiles(deployment: string): {
  files: ConfigFile[] | null;
  refs: string[];
  error: string | null;
} {
  const [state, setState] = useState<{
    for: string;
    files: ConfigFile[] | null;
    refs: string[];
    error: string | null;
  }>({ for: '', files: null, refs: [], error: null });
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
      return {
        files: [...seen.values()].sort((a, b) => fileKey(a).localeCompare(fileKey(b))),
        refs: secrets.map((secret) => secret.ref),
      };
    })()
      .then(({ files, refs }) => current && setState({ for: deployment, files, refs, error: null }))
      .catch(
        (error: unknown) =>
          current && setState({ for: deployment, files: [], refs: [], error: errorMessage(error) }),
      );
    return () => {
      current = false;
    };
  }, [deployment]);
  return state.for === deployment && deployment
    ? { files: state.files, refs: state.refs, error: state.error }
    : { files: null, refs: [], error: null };
}
