/**
 * Values the services Rekey's users run ship with, or that their documentation and sample
 * configs show: attackers try these first, so a secret equal to one is as good as public.
 * Data only; compared exactly (after trimming) by `default-value` findings. Sources are the
 * upstream docs and sample files named in `source`.
 */

export interface KnownDefault {
  service: string;
  value: string;
  source: string;
}

export const KNOWN_DEFAULTS: readonly KnownDefault[] = [
  // LiveKit: `livekit-server --dev` runs with the API key `devkey` and the secret `secret`;
  // the same pair appears in lk-jwt-service's and Element Call's example .env files.
  { service: 'LiveKit', value: 'secret', source: 'livekit-server --dev (API key devkey)' },
  { service: 'LiveKit', value: 'devkey', source: 'livekit-server --dev API key' },
  // Redis: redis.conf's commented example `requirepass foobared`.
  { service: 'Redis', value: 'foobared', source: 'redis.conf example requirepass' },
  // PostgreSQL: the official image's docs (`POSTGRES_PASSWORD=mysecretpassword`, compose
  // example `example`) and the superuser's name reused as its password.
  { service: 'PostgreSQL', value: 'mysecretpassword', source: 'postgres image docs' },
  { service: 'PostgreSQL', value: 'example', source: 'postgres image compose example' },
  { service: 'PostgreSQL', value: 'postgres', source: 'superuser name as password' },
  // Synapse: the docker-compose sample in contrib/docker sets the database password so.
  { service: 'Synapse', value: 'changeme', source: 'synapse contrib/docker docker-compose.yml' },
  { service: 'Synapse', value: 'synapse', source: 'database user name as password' },
  // SyncTV: the first start creates the `root` user with the password `root`.
  { service: 'SyncTV', value: 'root', source: 'SyncTV initial root user' },
  { service: 'SyncTV', value: 'synctv', source: 'project name as secret' },
];

/** The known default a value equals, if any. */
export function knownDefaultOf(value: string): KnownDefault | undefined {
  const trimmed = value.trim();
  return KNOWN_DEFAULTS.find((known) => known.value === trimmed);
}
