import { describe, expect, it } from 'vitest';
import { HostKeyError, connectSsh } from '../../src/main/connectors/ssh';
import { endpointOf, failureOf, useConnections } from '../helpers/ssh-client';
import { useSshd } from '../helpers/sshd';

/**
 * Threat: a man in the middle, or a replaced server. Rekey must never log in to (and so never
 * hand secrets to) a host whose key is not the pinned one: an unknown key is refused before
 * any credential is offered, a changed key is refused naming both fingerprints, and a jump
 * host is held to its own pin.
 */

describe('ssh host key: an unknown host', () => {
  const sshd = useSshd();
  const connect = useConnections();

  it('refuses an unpinned host with HOST_KEY_UNKNOWN naming the presented key, before login', async () => {
    const logStart = sshd().log().length;
    const error = await failureOf(connect(endpointOf(sshd(), { pinnedFingerprint: null })));
    expect(error).toBeInstanceOf(HostKeyError);
    expect(error).toMatchObject({
      code: 'HOST_KEY_UNKNOWN',
      host: 'vps-test',
      presented: sshd().hostKeyFingerprint,
      expected: null,
    });
    expect(error.message).toContain(sshd().hostKeyFingerprint);
    // No credential was offered to a host nobody has confirmed yet.
    expect(sshd().log().slice(logStart)).not.toMatch(/publickey|Accepted key/);
  });
});

describe('ssh host key: a jump host', () => {
  const target = useSshd();
  const jump = useSshd();

  it('is held to its own pin', async () => {
    const jumpEndpoint = endpointOf(jump(), { name: 'bastion' });
    const wrongJumpPin = await failureOf(
      connectSsh(
        endpointOf(target(), {
          jump: { ...jumpEndpoint, pinnedFingerprint: target().hostKeyFingerprint },
        }),
      ),
    );
    expect(wrongJumpPin).toMatchObject({ code: 'HOST_KEY_MISMATCH', host: 'bastion' });
    expect(wrongJumpPin).toBeInstanceOf(HostKeyError);
    expect(wrongJumpPin.message).toContain(jump().hostKeyFingerprint);
  });
});

describe('ssh host key: a changed key', () => {
  const sshd = useSshd();

  it('is refused with HOST_KEY_MISMATCH naming the expected and the presented key', async () => {
    const pinned = sshd().hostKeyFingerprint;
    await sshd().regenerateHostKey();
    const presented = sshd().hostKeyFingerprint;
    expect(presented).not.toBe(pinned);
    const error = await failureOf(connectSsh(endpointOf(sshd(), { pinnedFingerprint: pinned })));
    expect(error).toBeInstanceOf(HostKeyError);
    expect(error).toMatchObject({ code: 'HOST_KEY_MISMATCH', expected: pinned, presented });
    expect(error.message).toContain(pinned);
    expect(error.message).toContain(presented);
  });
});
