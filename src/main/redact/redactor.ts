/**
 * The one redactor. Every log line, error message, step output and history summary passes
 * through it. It knows secret values and replaces each occurrence, raw or in the encodings a
 * value commonly travels in (base64, base64url, URL and JSON escaping), with the value's
 * keyed fingerprint, so output stays useful ("which version was that?") without the value.
 *
 * Matching indexes every pattern by its first four characters, so redacting a text costs one
 * lookup per character whatever the number of known values; a rolling numeric key of those
 * four characters screens each position before any string is sliced, which keeps redacting
 * the output of a 10,000-secret listing in the tens of milliseconds. Values shorter than
 * MIN_REDACTED_LENGTH are not matched: they would turn ordinary words into noise, and Rekey
 * flags such values as weak anyway.
 */
export const MIN_REDACTED_LENGTH = 4;
const PREFIX = MIN_REDACTED_LENGTH;

export type Fingerprinter = (value: string) => string;

interface Pattern {
  pattern: string;
  value: string;
}

export class Redactor {
  readonly #fingerprint: Fingerprinter;
  /** First four characters -> patterns starting with them, longest first. */
  readonly #byPrefix = new Map<string, Pattern[]>();
  /** rollingKey() of every prefix in #byPrefix: a cheap first test before slicing. */
  readonly #prefixKeys = new Set<number>();
  readonly #known = new Set<string>();
  /** Fingerprints are computed on the first hit: most values never appear in any output. */
  readonly #replacements = new Map<string, string>();

  constructor(fingerprint: Fingerprinter) {
    this.#fingerprint = fingerprint;
  }

  /** Registers a value; returns this for chaining. */
  add(value: string): this {
    if (value.length < MIN_REDACTED_LENGTH || this.#known.has(value)) return this;
    this.#known.add(value);
    for (const pattern of encodingsOf(value)) {
      if (pattern.length < PREFIX) continue;
      const key = pattern.slice(0, PREFIX);
      this.#prefixKeys.add(rollingKey(pattern, 0));
      const bucket = this.#byPrefix.get(key);
      const entry = { pattern, value };
      if (!bucket) {
        this.#byPrefix.set(key, [entry]);
      } else if (!bucket.some((other) => other.pattern === pattern)) {
        bucket.push(entry);
        bucket.sort((a, b) => b.pattern.length - a.pattern.length);
      }
    }
    return this;
  }

  #replacement(value: string): string {
    let replacement = this.#replacements.get(value);
    if (replacement === undefined) {
      replacement = `[redacted fp:${this.#fingerprint(value)}]`;
      this.#replacements.set(value, replacement);
    }
    return replacement;
  }

  get size(): number {
    return this.#known.size;
  }

  redact(text: string): string {
    if (this.#byPrefix.size === 0 || text.length < PREFIX) return text;
    let output = '';
    let copiedUpTo = 0;
    let at = 0;
    let key = rollingKey(text, 0);
    while (at <= text.length - PREFIX) {
      const hit = this.#prefixKeys.has(key) ? this.#longestAt(text, at) : undefined;
      if (!hit) {
        key = (key - text.charCodeAt(at) * HIGHEST_WEIGHT) * BASE + text.charCodeAt(at + PREFIX);
        at++;
        continue;
      }
      // A value starting inside this one and ending after it would leak its tail if scanning
      // resumed at the end of the first: cover the union and name every value in it.
      let end = at + hit.pattern.length;
      let replacement = this.#replacement(hit.value);
      for (let inner = at + 1; inner < end && inner <= text.length - PREFIX; inner++) {
        const next = this.#longestAt(text, inner);
        if (next && inner + next.pattern.length > end) {
          end = inner + next.pattern.length;
          const more = this.#replacement(next.value);
          if (!replacement.endsWith(more)) replacement += more;
        }
      }
      output += text.slice(copiedUpTo, at) + replacement;
      at = end;
      copiedUpTo = end;
      key = rollingKey(text, at);
    }
    return copiedUpTo === 0 ? text : output + text.slice(copiedUpTo);
  }

  #longestAt(text: string, at: number): Pattern | undefined {
    const bucket = this.#byPrefix.get(text.slice(at, at + PREFIX));
    return bucket?.find(({ pattern }) => text.startsWith(pattern, at));
  }
}

const BASE = 31;
const HIGHEST_WEIGHT = BASE ** (PREFIX - 1);

/**
 * A number standing for the PREFIX characters of `text` at `at` (NaN past the end, which
 * matches nothing). Exact in a double: at most 65535 * (31^3 + 31^2 + 31 + 1), far below 2^53.
 * Equal keys for different prefixes only cost a slice and a map miss.
 */
function rollingKey(text: string, at: number): number {
  let key = 0;
  for (let i = at; i < at + PREFIX; i++) key = key * BASE + text.charCodeAt(i);
  return key;
}

function encodingsOf(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  const unpadded = base64.replace(/=+$/, '');
  const variants = [value, base64];
  if (unpadded !== base64) variants.push(unpadded);
  const base64url = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
  if (base64url !== unpadded) variants.push(base64url);
  const jsonEscaped = JSON.stringify(value).slice(1, -1);
  if (jsonEscaped !== value) variants.push(jsonEscaped);
  if (/[^A-Za-z0-9\-_.!~*'()]/.test(value)) {
    try {
      variants.push(encodeURIComponent(value));
    } catch {
      // Lone surrogates cannot be URL-encoded; the raw form is still matched.
    }
  }
  return variants;
}
