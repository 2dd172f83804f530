import { describe, expect, it } from 'vitest';
import { LocalConnector } from '../../src/main/connectors/local';
import { errorOf, streamingContract } from '../helpers/connector-streams';
import { useTempDirs } from '../helpers/temp';

/** openRead and execStream on this machine: local files and processes. */

describe('local connector: streams', () => {
  const tempDir = useTempDirs();
  streamingContract(async () => new LocalConnector(), tempDir);

  it('execStream reports a missing program as exit 127, as exec does', async () => {
    const { stdout, done } = await new LocalConnector().execStream({
      argv: ['rekey-no-such-program-here'],
    });
    stdout.resume();
    expect(await done).toMatchObject({ code: 127, stdout: '' });
    expect((await errorOf(new LocalConnector().openRead('relative/missing'))).code).toBe(
      'NOT_FOUND',
    );
  });
});
