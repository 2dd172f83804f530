import { createHash } from 'node:crypto';
import { cpSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatByName, formatForPath } from '../../src/main/formats/format';
import { endpointOf, useConnections } from '../helpers/ssh-client';
import { useSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp';

/**
 * What a rotation does to a config file on a host, for every format: read it over SFTP,
 * change one key, write it back atomically with a backup, check it on the host, roll back.
 * The sshd runs on this machine, so the test can look at the "remote" bytes directly.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/formats/', import.meta.url));
const NEW_VALUE = `n3w-"value" with $HOME, #hash and 'quotes' ${Date.now()}`;
const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest('hex');

const TARGETS: { file: string; key: string }[] = [
  { file: 'synctv/config.yaml', key: 'jwt.secret' },
  { file: 'livekit/livekit.yaml', key: 'keys.APIq7CmhW4RfKzN' },
  { file: 'synapse/homeserver.yaml', key: 'macaroon_secret_key' },
  { file: 'compose/.env', key: 'LIVEKIT_SECRET' },
  { file: 'compose/crlf.env', key: 'POSTGRES_PASSWORD' },
  { file: 'json/tabs.json', key: 'oauth.client_secret' },
  { file: 'json/app.json', key: 'livekit.secret' },
  { file: 'toml/relay.toml', key: 'database.password' },
  { file: 'secrets/livekit_secret', key: '' },
];

describe('config formats over SFTP', () => {
  const sshd = useSshd();
  const connect = useConnections();
  const tempDir = useTempDirs();

  it.each(TARGETS)(
    'changes only $key in $file on the host and rolls it back',
    async ({ file, key }) => {
      const remote = join(tempDir(), file.replace('/', '-'));
      cpSync(join(FIXTURES, file), remote);
      const original = readFileSync(remote);
      const format = formatByName(formatForPath(remote));
      const connector = await connect(endpointOf(sshd()));

      const text = (await connector.readFile(remote)).toString('utf8');
      expect(format.get(text, key), `${key} exists in the fixture`).toBeDefined();
      const changed = format.set(text, key, NEW_VALUE);
      const { backupPath } = await connector.writeFile(remote, changed);

      const written = readFileSync(remote, 'utf8');
      expect(written).toBe(changed);
      expect(format.get(written, key)).toBe(NEW_VALUE);
      // Every other entry of the file reads as before.
      const others = (entries: { key: string; value: string }[]) =>
        entries.filter((entry) => entry.key !== key).map((entry) => `${entry.key}=${entry.value}`);
      expect(others(format.entries(written))).toEqual(others(format.entries(text)));
      expect(await connector.fingerprint({ kind: 'file', path: remote })).toBe(sha256(changed));
      expect(statSync(remote).mode & 0o777).toBe(statSync(join(FIXTURES, file)).mode & 0o777);

      expect(backupPath).not.toBeNull();
      await connector.restoreBackup(remote, backupPath as string);
      expect(readFileSync(remote).equals(original)).toBe(true);
    },
  );
});
