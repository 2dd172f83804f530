import { afterAll, beforeAll } from 'vitest';
import { type SshAgent, startSshAgent } from './ssh-agent';
import { type SshdOptions, type SshdServer, startSshd } from './sshd-server';

export { CLIENT_KEY_PASSPHRASE, type SshdServer } from './sshd-server';

/**
 * One private sshd for the test file (started before its first test, always stopped after
 * the last one, whatever the outcome). Call the returned function inside a test.
 */
export function useSshd(options: SshdOptions = {}): () => SshdServer {
  let server: SshdServer | undefined;
  beforeAll(async () => {
    server = await startSshd(options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('useSshd: the server is not running (beforeAll failed?)');
    return server;
  };
}

/** A real ssh-agent holding the given keys for the test file, always stopped afterwards. */
export function useSshAgent(keyPaths: () => readonly string[]): () => SshAgent {
  let agent: SshAgent | undefined;
  beforeAll(async () => {
    agent = await startSshAgent(keyPaths());
  });
  afterAll(async () => {
    await agent?.stop();
  });
  return () => {
    if (!agent) throw new Error('useSshAgent: the agent is not running (beforeAll failed?)');
    return agent;
  };
}
