import { RekeyError } from '../../shared/errors';

/** The server refused to open another channel (sshd: "no more sessions", MaxSessions). */
export class ChannelRefused extends RekeyError {
  constructor(host: string, purpose: string, reason: string) {
    super(
      'REMOTE_FAILED',
      `${host} refused a new channel to ${purpose} (${reason}); its sshd may allow too few ` +
        `sessions per connection (MaxSessions).`,
    );
    this.name = 'ChannelRefused';
  }
}

const RETRIES_WHEN_ALONE = 5;
const RETRY_STEP_MS = 25;

/**
 * How many channels (commands) run at once on one connection. Starts at `capacity`; when the
 * server refuses a channel while others are open, the gate learns that the server allows
 * fewer, lowers its capacity and waits for one of ours to close before trying again. sshd
 * frees a closed session slot a moment after the close, so a refusal with nothing else open
 * is retried a few times, shortly apart, before it counts.
 */
export class ChannelGate {
  private capacity: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    for (let refusedAlone = 0; ;) {
      await this.acquire();
      let othersOpen: boolean;
      try {
        return await task();
      } catch (error) {
        if (!(error instanceof ChannelRefused)) throw error;
        othersOpen = this.active > 1;
        if (othersOpen) this.capacity = Math.max(1, this.active - 1);
        else if (++refusedAlone > RETRIES_WHEN_ALONE) throw error;
      } finally {
        this.release();
      }
      // Nothing of ours will close to make room: give sshd a moment to free the slot.
      if (!othersOpen)
        await new Promise((resolve) => setTimeout(resolve, RETRY_STEP_MS * refusedAlone));
    }
  }

  private async acquire(): Promise<void> {
    while (this.active >= this.capacity) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
