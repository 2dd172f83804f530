import { randomBytes } from 'node:crypto';
import type { Source } from '../../shared/model';
import type { Redactor } from '../redact/redactor';
import { type EventBody, type VaultEvent, encodeEvent } from './events';
import { autoEntries } from './incident-auto';
import { type VaultState, applyEvent } from './state';

/**
 * One atomic change to a vault: the events it records are applied to the state as they are
 * recorded (so later checks in the same change see them) and reach the disk together as one
 * record, or not at all.
 */
export class Transaction {
  readonly lines: string[] = [];
  readonly events: VaultEvent[] = [];
  readonly #state: VaultState;
  readonly #source: Source;
  readonly #redactor: Redactor;
  readonly #now: Date;

  constructor(state: VaultState, source: Source, redactor: Redactor, now: Date) {
    this.#state = state;
    this.#source = source;
    this.#redactor = redactor;
    this.#now = now;
  }

  get state(): Readonly<VaultState> {
    return this.#state;
  }

  get now(): Date {
    return this.#now;
  }

  /** Free text kept in a record (a note, a title): any known value in it becomes a fingerprint. */
  redact(text: string): string {
    return this.#redactor.redact(text);
  }

  /** Values introduced by this change must be redacted from its own summaries too. */
  introduce(value: string): void {
    this.#redactor.add(value);
  }

  record(body: EventBody, details: { ref?: string | null; summary: string }): VaultEvent {
    const draft = {
      ...body,
      at: this.#now.toISOString(),
      src: this.#source,
      ref: details.ref ?? null,
      summary: this.#redactor.redact(details.summary),
    };
    const { line, event } = encodeEvent(draft, this.#state.eventCount, this.#state.headHash);
    applyEvent(this.#state, event);
    this.lines.push(line);
    this.events.push(event);
    // Incidents that concern this event note it on their timelines, in this same change.
    for (const entry of autoEntries(this.#state, event, () => newId('e'))) {
      this.record(entry.body, entry.details);
    }
    return event;
  }
}

/** Short random identifiers; 80 bits make collisions within one vault a non-issue. */
export function newId(prefix: 's' | 'v' | 'b' | 'i' | 'e' | 'f'): string {
  return `${prefix}_${randomBytes(10).toString('base64url')}`;
}
