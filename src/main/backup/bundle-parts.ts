import { z } from 'zod';
import type { BundlePart } from '../../shared/backup-api';
import type { ReadEntry } from './bundle-tar';
import { MANIFEST, SUMS } from './bundle-tar';
import { SECRETS_DOCUMENT } from './secrets-document';

/**
 * What a verified bundle holds, in the terms a restore is chosen in: database dumps with the
 * database they came from, config files with their host and path, the secrets. The manifest
 * says where each entry came from; a bundle without one (or from another tool) is still read
 * from its entry names (`dumps/<name>.dump`, `config/<host>/<path>`, `secrets.json`).
 */

const textList = z.array(z.string().max(4096)).max(32);

const databaseSource = z.object({
  kind: z.literal('database'),
  host: z.string().max(255),
  database: z.string().max(63),
  connection: z
    .object({
      host: z.string().max(255).optional(),
      port: z.string().max(5).optional(),
      user: z.string().max(63).optional(),
    })
    .optional(),
  via: textList.optional(),
  passwordRef: z.string().max(300).optional(),
});

const manifestContents = z.object({
  contents: z.array(z.object({ name: z.string(), source: z.unknown() })),
});

const DUMP = /^dumps\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.dump$/;
const CONFIG = /^config\/([^/]+)\/(.+)$/;

function sourcesOf(manifest: unknown): Map<string, unknown> {
  const parsed = manifestContents.safeParse(manifest);
  if (!parsed.success) return new Map();
  return new Map(parsed.data.contents.map((item) => [item.name, item.source]));
}

export function bundleParts(manifest: unknown, entries: readonly ReadEntry[]): BundlePart[] {
  const sources = sourcesOf(manifest);
  const parts: BundlePart[] = [];
  for (const entry of entries) {
    const { name, size } = entry;
    if (name === MANIFEST || name === SUMS) continue;
    const dump = DUMP.exec(name);
    if (dump?.[1]) {
      const source = databaseSource.safeParse(sources.get(name));
      parts.push({
        kind: 'database',
        entry: name,
        size,
        name: dump[1],
        source: source.success
          ? {
              host: source.data.host,
              database: source.data.database,
              ...(source.data.connection ? { connection: source.data.connection } : {}),
              ...(source.data.via ? { via: source.data.via } : {}),
              ...(source.data.passwordRef ? { passwordRef: source.data.passwordRef } : {}),
            }
          : null,
      });
      continue;
    }
    const config = CONFIG.exec(name);
    if (config?.[1] && config[2]) {
      parts.push({ kind: 'config', entry: name, size, host: config[1], path: `/${config[2]}` });
      continue;
    }
    parts.push({ kind: name === SECRETS_DOCUMENT ? 'secrets' : 'other', entry: name, size });
  }
  return parts;
}
