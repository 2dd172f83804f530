import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/app';
import { useFakeDocker } from '../helpers/fake-docker';
import {
  RECREATE_AND_CHECK,
  type Stack,
  envValue,
  stackPlaybook,
  startStack,
  valueOf,
} from '../helpers/rotation-stack';
import { useTempDirs } from '../helpers/temp';

/**
 * The rotation engine against real processes on this machine: a token service that reads its
 * signing secret from a compose `.env` at start, restarted through the fake docker.
 */

const docker = useFakeDocker();
const tempDir = useTempDirs();
let savedPath: string | undefined;

beforeAll(() => {
  // The local connector runs `docker` from PATH: the fake one, first.
  savedPath = process.env['PATH'];
  process.env['PATH'] = docker().env['PATH'];
});
afterAll(() => {
  process.env['PATH'] = savedPath;
});

async function withStack(playbook: string, test: (stack: Stack) => Promise<void>): Promise<void> {
  const stack = await startStack({ root: tempDir(), docker: docker(), playbook });
  try {
    await test(stack);
  } finally {
    await stack.stop();
  }
}

/** Everything a user or a log could see of a run: it must hold no value. */
async function everythingShown(stack: Stack, runId: string): Promise<string> {
  const run = await ok(stack.app, 'rotations.get', { runId });
  const history = await ok(stack.app, 'history.list', {});
  return JSON.stringify({ run, history });
}

describe('rotating a JWT secret in a compose .env', () => {
  it('writes, recreates and verifies: the old token is refused, a new one accepted', async () => {
    await withStack(stackPlaybook(RECREATE_AND_CHECK), async (stack) => {
      const oldToken = await stack.service.issueToken();
      expect(await stack.service.check(oldToken)).toBe(200);
      const before = readFileSync(stack.envFile, 'utf8');

      const run = await ok(stack.app, 'rotations.start', {
        refs: [stack.ref],
        confirmed: ['backup', 'rollback'],
        wait: true,
      });

      expect(run.status).toBe('rotated');
      expect(run.steps.map((step) => step.state)).toEqual(run.steps.map(() => 'done'));
      const current = await valueOf(stack.app, stack.ref);
      expect(current).not.toBe(stack.oldValue);
      expect(await valueOf(stack.app, stack.ref, 'previous')).toBe(stack.oldValue);
      expect(envValue(stack)).toBe(current);
      // Only the value's line changed.
      const after = readFileSync(stack.envFile, 'utf8').split('\n');
      expect(after.filter((line) => !line.startsWith('JWT_SECRET='))).toEqual(
        before.split('\n').filter((line) => !line.startsWith('JWT_SECRET=')),
      );
      expect(await stack.service.check(oldToken)).toBe(401);
      expect(await stack.service.check(await stack.service.issueToken())).toBe(200);
      expect(
        docker()
          .calls()
          .map((call) => call.args.slice(-4)),
      ).toContainEqual(['up', '-d', '--force-recreate', '--no-deps'].concat('app').slice(-4));

      const shown = await everythingShown(stack, run.id);
      expect(shown).not.toContain(current);
      expect(shown).not.toContain(stack.oldValue);
      expect(shown).toContain(`Rotation ${run.id} rotated`);
    });
  });

  it('rolls back when a check fails: the old value is back and the old token works again', async () => {
    const failingCheck = `${RECREATE_AND_CHECK}      - kind: verify
        within_seconds: 1
        check: { type: http, url: '\${url}/no-such-page', status: 200 }
`;
    await withStack(stackPlaybook(failingCheck), async (stack) => {
      const oldToken = await stack.service.issueToken();
      const before = readFileSync(stack.envFile);

      const run = await ok(stack.app, 'rotations.start', {
        refs: [stack.ref],
        confirmed: ['backup', 'rollback'],
        wait: true,
      });

      expect(run.status).toBe('rolled-back');
      expect(run.detail).toMatch(/step 6 failed/);
      expect(readFileSync(stack.envFile)).toEqual(before);
      expect(await valueOf(stack.app, stack.ref)).toBe(stack.oldValue);
      const detail = await ok(stack.app, 'secrets.get', { ref: stack.ref });
      expect(detail.versions.flatMap((version) => version.labels)).not.toContain('pending');
      // Recreated again with the old value: tokens signed with it are accepted.
      expect(await stack.service.check(oldToken)).toBe(200);
      const states = run.steps.map((step) => step.state);
      expect(states).toEqual(['done', 'undone', 'undone', 'done', 'done', 'failed']);
      expect(await everythingShown(stack, run.id)).not.toContain(stack.oldValue);
    });
  });

  it('refuses to start before the checklist is confirmed, and changes nothing', async () => {
    await withStack(stackPlaybook(RECREATE_AND_CHECK), async (stack) => {
      const before = readFileSync(stack.envFile);
      const result = await stack.app.call('rotations.start', {
        refs: [stack.ref],
        confirmed: ['backup'],
      });
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.error.message).toMatch(/not yet confirmed: rollback/);
      expect(readFileSync(stack.envFile)).toEqual(before);
      expect(await ok(stack.app, 'rotations.list', {})).toEqual([]);
    });
  });
});
