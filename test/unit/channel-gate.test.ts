import { describe, expect, it } from 'vitest';
import { ChannelGate, ChannelRefused } from '../../src/main/connectors/channel-gate';

/** A stand-in server that allows `limit` channels at once and refuses the rest. */
function fakeServer(limit: number) {
  let open = 0;
  let peak = 0;
  let refusals = 0;
  return {
    stats: () => ({ peak, refusals }),
    async channel<T>(value: T): Promise<T> {
      if (open >= limit) {
        refusals++;
        throw new ChannelRefused('vps-test', 'run true', 'open failed');
      }
      open++;
      peak = Math.max(peak, open);
      await new Promise((resolve) => setTimeout(resolve, 5));
      open--;
      return value;
    },
  };
}

describe('channel gate', () => {
  it('never runs more than its capacity at once', async () => {
    const server = fakeServer(100);
    const gate = new ChannelGate(4);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => gate.run(() => server.channel(i))),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(server.stats()).toEqual({ peak: 4, refusals: 0 });
  });

  it('learns a lower server limit from refusals and still finishes everything', async () => {
    const server = fakeServer(3);
    const gate = new ChannelGate(8);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => gate.run(() => server.channel(i))),
    );
    expect(results).toHaveLength(30);
    expect(server.stats().peak).toBe(3);
    // Only the first overflowing wave is refused; afterwards the gate knows the limit.
    expect(server.stats().refusals).toBeLessThanOrEqual(5);
  });

  it('gives up when the server refuses even a single channel', async () => {
    const server = fakeServer(0);
    const gate = new ChannelGate(8);
    await expect(gate.run(() => server.channel(1))).rejects.toBeInstanceOf(ChannelRefused);
  });

  it('passes other failures through untouched', async () => {
    const gate = new ChannelGate(2);
    const failure = new Error('boom');
    await expect(gate.run(() => Promise.reject(failure))).rejects.toBe(failure);
    expect(await gate.run(async () => 'still usable')).toBe('still usable');
  });
});
