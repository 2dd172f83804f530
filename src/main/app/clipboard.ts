/** The system clipboard as the main process sees it (Electron's, in the desktop app). */
export interface ClipboardPort {
  writeText(text: string): Promise<void> | void;
  readText(): Promise<string> | string;
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

  async copy(value: string, clearAfterMs: number): Promise<void> {
    await this.clipboard.writeText(value);
    this.#copied = value;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.clearNow(), clearAfterMs);
    this.#timer.unref();
  }

  /** Clears at once if the clipboard still holds what we put there (on lock, on quit). */
  async clearNow(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const copied = this.#copied;
    this.#copied = null;
    if (copied !== null && (await this.clipboard.readText()) === copied) this.clipboard.clear();
  }
}
