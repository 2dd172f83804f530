import type { SecretMetadata } from '../../shared/model';
import type { FormatName } from '../formats/format';

/**
 * Secrets of the services Rekey's users run, as they appear in those services' config files,
 * with what a user should know about each (from the services' own documentation). Discovery
 * uses this to recognise a key and to fill the new secret's metadata; anything not listed
 * here but named like a secret is still offered, with no metadata.
 */

export interface KnownSecret {
  service: string;
  /** Name the secret gets in the inventory. */
  name: string;
  /** Matches the file's base name. */
  file: RegExp;
  format: FormatName;
  /** Matches the key (key path or variable name) inside the file. */
  key: RegExp;
  metadata: Partial<SecretMetadata>;
}

const RESTART = 'Takes effect after a restart of the service.';

const synctv = (key: string, name: string, metadata: Partial<SecretMetadata>): KnownSecret => ({
  service: 'synctv',
  name,
  file: /^config\.ya?ml$/,
  format: 'yaml',
  key: new RegExp(`^${key.replace(/\./g, '\\.')}$`),
  metadata: { service: 'synctv', ...metadata },
});

const synapse = (key: string, name: string, metadata: Partial<SecretMetadata>): KnownSecret => ({
  service: 'synapse',
  name,
  file: /^homeserver\.ya?ml$/,
  format: 'yaml',
  key: new RegExp(`^${key.replace(/\./g, '\\.')}$`),
  metadata: { service: 'synapse', ...metadata },
});

export const KNOWN_SECRETS: readonly KnownSecret[] = [
  synctv('jwt.secret', 'jwt.secret', {
    description: 'Signs SyncTV access, refresh and guest tokens.',
    impact: 'Every existing token becomes invalid: users log in again.',
    difficulty: 'medium',
    handling: `Plan it, expect re-logins, restart all replicas; watch 401s, login rate and WebSocket reconnects. ${RESTART}`,
    policy: { kind: 'interval', days: 180 },
    generator: { kind: 'base64', length: 32 },
  }),
  synctv('security.opaque_server_setup_secret', 'security.opaque_server_setup_secret', {
    description: 'OPAQUE server setup: verifies every stored password record.',
    impact: 'OPAQUE password records become unverifiable: no one can log in with a password.',
    difficulty: 'high',
    handling:
      'Never rotate routinely; keep a backup. On a leak: forced password reset / OPAQUE record recreation.',
    policy: { kind: 'manual' },
    generator: { kind: 'base64', length: 48 },
  }),
  synctv('security.credential_encryption_key', 'security.credential_encryption_key', {
    description: 'AES-256-GCM key encrypting stored provider credentials.',
    impact: 'Encrypted provider credentials become unreadable.',
    difficulty: 'high',
    handling:
      'Migrate: back up the database and the old key, decrypt with the old key and encrypt with the new one, then switch. Without a migration keep the old key.',
    policy: { kind: 'manual' },
    generator: { kind: 'hex', length: 32 },
  }),
  ...['server.cluster_secret', 'cluster.secret'].map((key) =>
    synctv(key, 'server.cluster_secret', {
      description: 'Authenticates SyncTV nodes to each other.',
      impact: 'Node-to-node authentication fails until every replica has the new value.',
      difficulty: 'medium',
      handling: `Coordinate all replicas. ${RESTART}`,
      policy: { kind: 'interval', days: 180 },
      generator: { kind: 'hex', length: 32 },
    }),
  ),
  synctv('management.auth_token', 'management.auth_token', {
    description: 'Authenticates the SyncTV management CLI over TCP.',
    impact: 'Management CLI access fails until clients use the new token.',
    difficulty: 'low',
    handling: `Rotate regularly if TCP management is used. ${RESTART}`,
    policy: { kind: 'interval', days: 90 },
    generator: { kind: 'base64url', length: 32 },
  }),
  synctv('metrics.auth.bearer_token', 'metrics.auth.bearer_token', {
    description: 'Bearer token Prometheus uses to scrape SyncTV metrics.',
    impact: 'Metrics scraping fails until the scrape config has the new token.',
    difficulty: 'low',
    handling: `Update the Prometheus/agent scrape config together. ${RESTART}`,
    policy: { kind: 'interval', days: 90 },
    generator: { kind: 'base64url', length: 32 },
  }),
  synctv('bootstrap.root_password', 'bootstrap.root_password', {
    description: 'Password of the initial SyncTV root user.',
    impact: 'Only the first start uses it.',
    difficulty: 'low',
    handling: 'Keep it in Rekey; change the root password in SyncTV after the first login.',
    policy: { kind: 'manual' },
  }),
  {
    service: 'livekit',
    name: 'api.secret',
    file: /^livekit\.ya?ml$/,
    format: 'yaml',
    key: /^keys\.[^.]+$/,
    metadata: {
      service: 'livekit',
      description: 'LiveKit API secret (the value of an API key under keys:).',
      impact: 'Tokens signed with the old secret are refused: calls cannot start.',
      difficulty: 'medium',
      handling:
        'Change it in livekit.yaml and LIVEKIT_SECRET in the compose .env together; restart LiveKit first, then lk-jwt-service; verify by fingerprint, never by printing.',
      policy: { kind: 'interval', days: 180 },
      generator: { kind: 'hex', length: 32 },
    },
  },
  {
    service: 'lk-jwt-service',
    name: 'api.secret',
    file: /(^|\.)env$/,
    format: 'dotenv',
    key: /^LIVEKIT_SECRET$/,
    metadata: {
      service: 'livekit',
      description: 'The LiveKit API secret as lk-jwt-service reads it.',
      impact: 'Element Call tokens are refused: calls cannot start.',
      difficulty: 'medium',
      handling: 'Must equal the secret in livekit.yaml; restart lk-jwt-service after LiveKit.',
      policy: { kind: 'interval', days: 180 },
      generator: { kind: 'hex', length: 32 },
    },
  },
  synapse('registration_shared_secret', 'registration_shared_secret', {
    description: 'Allows shared-secret admin registration of new Synapse users.',
    impact: 'Scripts that register users with the old secret fail.',
    difficulty: 'low',
    handling: RESTART,
    policy: { kind: 'interval', days: 180 },
    generator: { kind: 'base64url', length: 32 },
  }),
  synapse('macaroon_secret_key', 'macaroon_secret_key', {
    description: 'Signs Synapse access-token macaroons.',
    impact: 'Rotating it logs every user out.',
    difficulty: 'medium',
    handling: `Announce the logout. ${RESTART}`,
    policy: { kind: 'manual' },
    generator: { kind: 'base64url', length: 32 },
  }),
  synapse('form_secret', 'form_secret', {
    description: 'HMAC key for Synapse consent and other forms.',
    impact: 'Open consent links stop working.',
    difficulty: 'low',
    handling: RESTART,
    policy: { kind: 'interval', days: 365 },
    generator: { kind: 'base64url', length: 32 },
  }),
  synapse('database.args.password', 'database.password', {
    description: 'PostgreSQL role password Synapse logs in with.',
    impact: 'Synapse cannot reach its database.',
    difficulty: 'medium',
    handling: 'ALTER ROLE in PostgreSQL, change homeserver.yaml, restart Synapse; verify login.',
    policy: { kind: 'interval', days: 180 },
    generator: { kind: 'alphanumeric', length: 32 },
  }),
];

/**
 * Keys named like secrets that hold public identifiers: LiveKit's API key is the name under
 * which the secret is filed (it travels in every token), not a secret itself.
 */
const KNOWN_IDENTIFIERS: readonly RegExp[] = [/^LIVEKIT_(API_)?KEY$/];

export function isKnownIdentifier(key: string): boolean {
  return KNOWN_IDENTIFIERS.some((pattern) => pattern.test(key));
}

export function knownSecretFor(fileName: string, key: string): KnownSecret | undefined {
  return KNOWN_SECRETS.find((known) => known.file.test(fileName) && known.key.test(key));
}

/** docker compose project files: secrets sit in the services' `environment:` maps. */
export function isComposeFile(fileName: string): boolean {
  return /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(fileName);
}

/** Config files worth reading: the services' own names, compose `.env` files, TOML/JSON configs. */
export function isCandidateFile(fileName: string): boolean {
  return (
    KNOWN_SECRETS.some((known) => known.file.test(fileName)) ||
    /^(\.env(\..+)?|.+\.env)$/.test(fileName) ||
    isComposeFile(fileName) ||
    /^(config|settings|secrets?)\.(ya?ml|json|toml)$/.test(fileName)
  );
}
