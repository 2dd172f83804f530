import type { SecretMetadata } from '../../shared/model';
import type { FormatName } from '../formats/format';
import { builtinPlaybooks } from '../rotation/builtin-playbooks';
import type { Playbook, PlaybookSecret, PlaybookTarget } from '../rotation/playbook';
import {
  type Placeholder,
  literalText,
  placeholdersIn,
  templatePattern,
} from '../rotation/templates';

/**
 * Secrets of the services Rekey's users run, as they appear in those services' config files,
 * with what a user should know about each. Discovery uses this to recognise a key and to fill
 * the new secret's metadata; anything not listed here but named like a secret is still
 * offered, with no metadata.
 *
 * The built-in playbooks are the one place this knowledge is written: every playbook target
 * whose file name is fixed (`${config_dir}/config.yaml`, not `${secret_file}`) and whose key
 * has literal text (`keys.${api_key}`, not `${env_key}`) is recognised here.
 */

export interface KnownSecret {
  /** The program that reads the file (lk-jwt-service reads LiveKit's secret from the .env). */
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

let known: readonly KnownSecret[] | null = null;

export function knownSecrets(): readonly KnownSecret[] {
  known ??= builtinPlaybooks().flatMap(knownSecretsOf);
  return known;
}

export function knownSecretsOf(playbook: Playbook): KnownSecret[] {
  return playbook.secrets.flatMap((secret) =>
    secret.targets.flatMap((target) => {
      // Discovery reads files on hosts; a Secret key on a cluster is found another way.
      const { format } = target;
      if (format === 'kubernetes') return [];
      const file = fileMatcher(target);
      if (!file) return [];
      const keys = format === 'file' ? [''] : [target.key ?? '', ...(target.aliases ?? [])];
      return keys.flatMap((key) => {
        const pattern = keyMatcher(format, key);
        if (!pattern) return [];
        return [
          {
            service: target.service ?? playbook.service,
            name: secret.name,
            file,
            format,
            key: pattern,
            metadata: metadataOf(playbook, secret),
          },
        ];
      });
    }),
  );
}

/** Copies: the metadata goes into the vault, the playbook stays as loaded. */
function metadataOf(playbook: Playbook, secret: PlaybookSecret): Partial<SecretMetadata> {
  return {
    service: playbook.service,
    description: secret.description,
    impact: secret.impact,
    difficulty: secret.difficulty,
    handling: secret.handling,
    policy: { ...secret.policy },
    generator: secret.generator && { ...secret.generator },
    tags: [...secret.tags],
  };
}

/** `.env` files go by many names: `.env`, `prod.env`, `.env.local`. */
const DOTENV_FILE = /^(\.env(\..+)?|.+\.env)$/;

/** The target's file name, when the playbook fixes it; YAML files go by both extensions. */
function fileMatcher(target: PlaybookTarget): RegExp | null {
  const baseName = target.path.slice(target.path.lastIndexOf('/') + 1);
  const found = placeholdersIn(baseName);
  if (!found.ok || found.placeholders.length > 0 || baseName === '') return null;
  if (target.format === 'dotenv') return DOTENV_FILE;
  const literal = templatePattern(baseName, () => '') ?? '';
  const yamlExtension = /\\\.ya?ml$/;
  if (target.format === 'yaml' && yamlExtension.test(literal)) {
    return new RegExp(`^${literal.replace(yamlExtension, '\\.ya?ml')}$`);
  }
  return new RegExp(`^${literal}$`);
}

/** Variables in a key stand for one key segment (or part of a variable name). */
function keyMatcher(format: FormatName, key: string): RegExp | null {
  if (format === 'file') return /^$/;
  const wildcard = (placeholder: Placeholder) =>
    placeholder.kind === 'secret' ? '(?!)' : format === 'dotenv' ? '[A-Za-z0-9_]+' : '[^.]+';
  const pattern = templatePattern(key, wildcard);
  // A key that is nothing but a variable (`${env_key}`) would match every key of its files.
  if (pattern === null || literalText(key) === '') return null;
  return new RegExp(`^${pattern}$`);
}

/**
 * Keys named like secrets that hold public identifiers: LiveKit's API key is the name under
 * which the secret is filed (it travels in every token), not a secret itself.
 */
const KNOWN_IDENTIFIERS: readonly RegExp[] = [/^LIVEKIT_(API_)?KEY$/];

export function isKnownIdentifier(key: string): boolean {
  return KNOWN_IDENTIFIERS.some((pattern) => pattern.test(key));
}

export function knownSecretFor(fileName: string, key: string): KnownSecret | undefined {
  return knownSecrets().find((entry) => entry.file.test(fileName) && entry.key.test(key));
}

/** docker compose project files: secrets sit in the services' `environment:` maps. */
export function isComposeFile(fileName: string): boolean {
  return /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(fileName);
}

/** Config files worth reading: the services' own names, compose `.env` files, TOML/JSON configs. */
export function isCandidateFile(fileName: string): boolean {
  return (
    knownSecrets().some((entry) => entry.file.test(fileName)) ||
    DOTENV_FILE.test(fileName) ||
    isComposeFile(fileName) ||
    /^(config|settings|secrets?)\.(ya?ml|json|toml)$/.test(fileName)
  );
}
