import { describe, expect, it } from 'vitest';
import { formatByName, formatForPath } from '../../../src/main/formats/format';
import { fixture } from './helpers';

/** Each fixture with the keys discovery must find in it, and their lines. */
const CASES: { file: string; secrets: Record<string, number> }[] = [
  {
    file: 'synctv/config.yaml',
    secrets: {
      'server.cluster_secret': 7,
      'jwt.secret': 13,
      'security.opaque_server_setup_secret': 19,
      'security.credential_encryption_key': 21,
      'database.password': 25,
      'redis.password': 30,
      'management.auth_token': 35,
      'metrics.auth.bearer_token': 40,
    },
  },
  {
    file: 'livekit/livekit.yaml',
    secrets: { 'redis.password': 13, 'keys.APIq7CmhW4RfKzN': 18, 'keys.APIold9xT2vLp3': 19 },
  },
  {
    file: 'synapse/homeserver.yaml',
    secrets: {
      'database.args.password': 25,
      registration_shared_secret: 34,
      macaroon_secret_key: 36,
      form_secret: 37,
      signing_key_path: 40,
    },
  },
  {
    file: 'json/app.json',
    secrets: { 'livekit.secret': 6, 'database.password': 8, 'webhooks[1].token': 11 },
  },
  { file: 'json/tabs.json', secrets: { 'server.admin_token': 4, 'oauth.client_secret': 9 } },
  {
    file: 'toml/relay.toml',
    secrets: {
      'admin.token': 6,
      'database.password': 18,
      'secrets.signing_key': 22,
      'secrets."webhook.token"': 26,
      'upstreams[0].token': 31,
      'upstreams[1].token': 36,
    },
  },
  {
    file: 'compose/.env',
    secrets: { POSTGRES_PASSWORD: 6, LIVEKIT_SECRET: 11, REDIS_PASSWORD: 13, DEPLOY_KEY: 17 },
  },
  { file: 'compose/crlf.env', secrets: { POSTGRES_PASSWORD: 4, SYNCTV_JWT_SECRET: 5 } },
  { file: 'secrets/postgres_password', secrets: { '': 1 } },
];

describe('entries: every candidate leaf with its key and line', () => {
  it.each(CASES.map((testCase) => [testCase.file, testCase]))('%s', (_file, testCase) => {
    const { file, secrets } = testCase as (typeof CASES)[number];
    const text = fixture(file);
    const format = formatByName(formatForPath(file));
    const entries = format.entries(text);
    const lines = text.split(/\r?\n/);

    const found = Object.fromEntries(entries.map((entry) => [entry.key, entry.line]));
    expect(found).toMatchObject(secrets);

    for (const entry of entries) {
      // The key printed for discovery leads back to the same value.
      expect(format.get(text, entry.key), entry.key).toBe(entry.value);
      expect(entry.value).not.toBe('');
      const name = /(?:^|\.)(?:"((?:[^"\\]|\\.)*)"|([^.[\]"]+))$/.exec(entry.key);
      const lastName = name?.[1]?.replace(/\\(.)/g, '$1') ?? name?.[2];
      if (lastName) expect(lines[entry.line - 1], entry.key).toContain(lastName);
    }
    const order = entries.map((entry) => entry.line);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('skips aliases, booleans, nulls, empty values and dates', () => {
    const yamlKeys = formatByName('yaml')
      .entries(fixture('synctv/config.yaml'))
      .map((entry) => entry.key);
    expect(yamlKeys).not.toContain('migrations.database_password');
    expect(yamlKeys).not.toContain('server.cors.allow_credentials');
    expect(yamlKeys).toContain('database.max_open_conns');

    const livekit = formatByName('yaml').entries(fixture('livekit/livekit.yaml'));
    expect(livekit.map((entry) => entry.key)).not.toContain('bind_addresses[0]');

    const tomlKeys = formatByName('toml')
      .entries(fixture('toml/relay.toml'))
      .map((entry) => entry.key);
    expect(tomlKeys).not.toContain('upstreams[1].created');

    const envKeys = formatByName('dotenv')
      .entries(fixture('compose/crlf.env'))
      .map((entry) => entry.key);
    expect(envKeys).not.toContain('EMPTY');
  });

  it('gives values exactly as the consumer reads them', () => {
    const synapse = formatByName('yaml').entries(fixture('synapse/homeserver.yaml'));
    expect(synapse.find((entry) => entry.key === 'macaroon_secret_key')?.value).toBe(
      '1aZ#pQ7&rV3$wL9*kT2^nB5@xC8!mF4%hJ6(gD0)',
    );
    const toml = formatByName('toml').entries(fixture('toml/relay.toml'));
    expect(toml.find((entry) => entry.key === 'database.password')?.value).toBe(
      'Tr0ub4dor&3 "quoted"',
    );
    const env = formatByName('dotenv').entries(fixture('compose/.env'));
    expect(env.find((entry) => entry.key === 'POSTGRES_PASSWORD')?.value).toBe(
      'Tr0ub4dor&3 # not a comment',
    );
  });
});
