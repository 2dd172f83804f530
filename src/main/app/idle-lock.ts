/**
 * Locks after a stretch without activity. Every call through the API counts as activity,
 * so the renderer must not poll; a lock the user did not ask for is announced as an event.
 */
export class IdleLock {
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly minutes: () => number,
    private readonly onIdle: () => void,
  ) {}

  touch(): void {
    this.stop();
    const minutes = this.minutes();
    if (minutes <= 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.onIdle();
    }, minutes * 60_000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
