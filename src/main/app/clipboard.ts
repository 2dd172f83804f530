/** The system clipboard as the main process sees it (Electron's, in the desktop app). */
export interface ClipboardPort {
  writeText(text: string): void;
  readText(): string;
  clear(): void;
}

/**
 * Copies a value and clears it again after a delay, but only if the clipboard still holds
 * that value: something the user copied since is theirs and stays.
 */
export class ClipboardGuard {
  #timer: NodeJS.Timeout | null = null;
  #copied: string | null = null;

  constructor(private readonly clipboard: ClipboardPort) {}

  copy(value: string, clearAfterMs: number): void {
    this.clipboard.writeText(value);
    this.#copied = value;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.clearNow(), clearAfterMs);
    this.#timer.unref();
  }

  /** Clears at once if the clipboard still holds what we put there (on lock, on quit). */
  clearNow(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#copied !== null && this.clipboard.readText() === this.#copied) this.clipboard.clear();
    this.#copied = null;
  }
}
