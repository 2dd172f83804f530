import type { Strength } from '../../shared/model';

/**
 * Strength of infrastructure secrets. Generated values are rated by their generator's exact
 * entropy. Entered and imported values get an estimate (the smaller of a character-pool
 * estimate and zxcvbn's pattern-aware one) and checks for what actually goes wrong on
 * self-hosted stacks: placeholders left from a sample config, upstream example values, the
 * service or domain name, dates, and values too short for a server-side key.
 */

export const WEAK_BELOW_BITS = 64;
export const STRONG_FROM_BITS = 112;
export const MIN_LENGTH = 16;
/** zxcvbn is quadratic in the length; longer values are rated by their character pool. */
const PATTERN_CHECK_MAX_LENGTH = 64;

/**
 * Placeholders and defaults from sample configs and upstream docs (compared after removing
 * everything but letters and digits): `foobared` is redis.conf's example `requirepass`,
 * `devkey`/`secret` are LiveKit's development key pair, `synctv` a common copy-paste.
 */
const PLACEHOLDERS = new Set([
  'changeme',
  'changethis',
  'changeit',
  'pleasechange',
  'replaceme',
  'secret',
  'secrets',
  'secretkey',
  'mysecret',
  'supersecret',
  'topsecret',
  'yoursecret',
  'yoursecrethere',
  'yoursecretkey',
  'password',
  'passw0rd',
  'pssword',
  'mypassword',
  'yourpassword',
  'admin',
  'administrator',
  'root',
  'toor',
  'default',
  'example',
  'sample',
  'test',
  'testing',
  'dev',
  'devkey',
  'development',
  'letmein',
  'qwerty',
  'foobar',
  'foobared',
  'postgres',
  'redis',
  'synctv',
  'livekit',
  'synapse',
  'matrix',
  'apikey',
  'apisecret',
  'token',
  'jwtsecret',
  'todo',
  'fixme',
  'none',
  'null',
  'undefined',
  'insecure',
  'notsecure',
  'xxx',
  'xxxx',
  'xxxxxx',
  'xxxxxxxx',
]);

/** Parts that betray a placeholder anywhere in a value, e.g. `my-secret-changeme-2024`. */
const PLACEHOLDER_PARTS = [
  'changeme',
  'change_me',
  'replaceme',
  'replace_me',
  'placeholder',
  'example',
  'yoursecret',
  'your-secret',
  'notsecret',
];

const TEMPLATE = /^\s*(<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[^%]+%|\[[^\]]*\])\s*$/;
const DATE = /(19|20)\d{2}[-/._]?(0[1-9]|1[0-2])[-/._]?(0[1-9]|[12]\d|3[01])/;
const YEAR = /(?:^|\D)(19[5-9]\d|20[0-4]\d)(?:\D|$)/;

export interface StrengthContext {
  /** Service, deployment, secret and domain names the value should not contain. */
  names: readonly string[];
}

export function generatedStrength(bits: number): Strength {
  return { bits: Math.round(bits), rating: ratingFor(bits, []), problems: [] };
}

function ratingFor(bits: number, problems: readonly string[]): Strength['rating'] {
  if (bits < WEAK_BELOW_BITS || problems.some((p) => !p.startsWith('contains a date'))) {
    return 'weak';
  }
  if (bits < STRONG_FROM_BITS || problems.length > 0) return 'fair';
  return 'strong';
}

function poolBits(value: string): number {
  if (/^[0-9a-f]+$/i.test(value)) return value.length * 4;
  let pool = 0;
  if (/[a-z]/.test(value)) pool += 26;
  if (/[A-Z]/.test(value)) pool += 26;
  if (/\d/.test(value)) pool += 10;
  if (/[^A-Za-z0-9]/.test(value)) pool += 33;
  return value.length * Math.log2(Math.max(pool, 2));
}

/** Total Shannon entropy of the character distribution: catches `aaaa…` and `abab…`. */
function shannonBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * value.length;
}

/**
 * The shortest unit a value repeats at least twice (`abcdabcdab` -> `abcd`), else the value.
 * Shannon entropy ignores order, so `abcdefgh` ten times over would otherwise rate strong.
 */
function repeatedUnit(value: string): string {
  // Knuth-Morris-Pratt failure function: border[i] is the longest proper prefix of
  // value[0..i] that is also its suffix; the value's period is its length minus the last one.
  const border: number[] = [0];
  for (let i = 1, k = 0; i < value.length; i++) {
    while (k > 0 && value[i] !== value[k]) k = border[k - 1] ?? 0;
    if (value[i] === value[k]) k++;
    border.push(k);
  }
  const period = value.length - (border[value.length - 1] ?? 0);
  return period * 2 <= value.length ? value.slice(0, period) : value;
}

/**
 * Keys from `openssl rand` and friends: long, in a key alphabet, with the character spread of
 * random data. zxcvbn finds nothing in them and costs up to half a second each (an imported
 * `.env` holds dozens), so they are rated by their character pool and distribution instead.
 */
function looksMachineGenerated(value: string): boolean {
  if (value.length < 32 || !/^[A-Za-z0-9+/=_-]+$/.test(value)) return false;
  const hex = /^[0-9a-f]+$/i.test(value);
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((re) => re.test(value)).length;
  if (!hex && classes < 3) return false;
  // Runs like `abcd` or `1234`: random keys have few neighbours one code point apart.
  let steps = 0;
  for (let i = 1; i < value.length; i++) {
    if (Math.abs(value.charCodeAt(i) - value.charCodeAt(i - 1)) <= 1) steps++;
  }
  if (steps / (value.length - 1) > (hex ? 0.3 : 0.15)) return false;
  return shannonBits(value) / value.length >= (hex ? 3.5 : 4.5);
}

type Zxcvbn = (value: string, userInputs: string[]) => { guessesLog10: number };
let zxcvbn: Promise<Zxcvbn> | null = null;

/** Loaded on first use: its dictionaries are large and most commands never need them. */
function loadZxcvbn(): Promise<Zxcvbn> {
  zxcvbn ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const factory = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
    return (value, userInputs) => factory.check(value, userInputs);
  })();
  return zxcvbn;
}

function normalized(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function findProblems(value: string, context: StrengthContext): string[] {
  const problems: string[] = [];
  const squashed = normalized(value);
  const lower = value.toLowerCase();
  if (
    PLACEHOLDERS.has(squashed) ||
    TEMPLATE.test(value) ||
    PLACEHOLDER_PARTS.some((part) => lower.includes(part)) ||
    /^(.)\1*$/.test(value)
  ) {
    problems.push('placeholder or default value');
  }
  if (value.length < MIN_LENGTH) {
    problems.push(`too short: ${value.length} characters (use at least ${MIN_LENGTH}, ideally 32)`);
  }
  const names = context.names.map(normalized).filter((name) => name.length >= 4);
  if (names.some((name) => squashed.includes(name))) {
    problems.push('contains the service, deployment or domain name');
  }
  if (value.length <= PATTERN_CHECK_MAX_LENGTH && (DATE.test(value) || YEAR.test(value))) {
    problems.push('contains a date');
  }
  return problems;
}

export async function assessStrength(value: string, context: StrengthContext): Promise<Strength> {
  const problems = findProblems(value, context);
  let bits = poolBits(value);
  if (value.length <= PATTERN_CHECK_MAX_LENGTH && !looksMachineGenerated(value)) {
    const check = await loadZxcvbn();
    const userInputs = context.names.filter((name) => name.length > 0);
    bits = Math.min(bits, check(value, userInputs).guessesLog10 * Math.log2(10));
  } else {
    bits = Math.min(bits, shannonBits(repeatedUnit(value)));
  }
  if (bits >= STRONG_FROM_BITS) {
    // The estimate already scores a date as a date; if the value is strong even so, the digits
    // are noise (one random 32-byte hex key in seventy contains a run like `1968` or `20240115`).
    const date = problems.findIndex((p) => p.startsWith('contains a date'));
    if (date !== -1) problems.splice(date, 1);
  }
  if (bits < WEAK_BELOW_BITS && !problems.some((p) => p.startsWith('placeholder'))) {
    problems.push(`low entropy: about ${Math.round(bits)} bits (want ${WEAK_BELOW_BITS}+)`);
  }
  return { bits: Math.round(bits), rating: ratingFor(bits, problems), problems };
}
