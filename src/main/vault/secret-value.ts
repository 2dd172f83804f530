import { timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * A secret value in memory. It prints, serialises and inspects as a placeholder, so a value
 * that slips into a log line, an error or a JSON response shows up as `[secret]` instead of
 * leaking; code that truly needs the value says so by calling `reveal()`.
 */
export class SecretValue {
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  reveal(): string {
    return this.#text;
  }

  get length(): number {
    return this.#text.length;
  }

  equals(other: SecretValue): boolean {
    const a = Buffer.from(this.#text, 'utf8');
    const b = Buffer.from(other.#text, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return 'SecretValue [secret]';
  }
}
