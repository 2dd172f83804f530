import { describe, expect, it } from 'vitest';
import { addSecret } from '../helpers/secrets';
import { useTempDirs } from '../helpers/temp';
import { createVault, openVault } from '../helpers/vault';

/**
 * Two refreshes of one open vault at the same time (the UI polling while a run records its
 * steps from another object or process) each see the new records once: neither reads the
 * records the other already applied as damage.
 */
describe('concurrent refreshes of one open vault', () => {
  const tempDir = useTempDirs();

  it('applies new records once, whatever the interleaving', async () => {
    const writer = await createVault(tempDir());
    const reader = await openVault(writer.path);
    for (let round = 0; round < 20; round += 1) {
      await addSecret(writer, `app/secret-${round}`, `value-${round}-0123456789abcdef`);
      await Promise.all([reader.refresh(), reader.refresh(), reader.refresh()]);
      expect(reader.state.secrets.size).toBe(round + 1);
      expect(reader.state.headHash).toBe(writer.state.headHash);
    }
  });
});
