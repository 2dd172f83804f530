import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { RekeyError } from '../../shared/errors';
import type { ExecResult } from '../connectors/connector';
import { runLocalCommand } from '../connectors/local-exec';
import { DEMO_FILES } from './definition';

/**
 * Runs the demo service's own script (`demo-service.mjs start|stop|restart|status`) from the
 * demo folder, with the runtime Rekey runs on: Node.js for the CLI and the browser host, the
 * desktop app's Electron made to behave as Node.js (ELECTRON_RUN_AS_NODE) otherwise.
 */

export type DemoServiceAction = 'start' | 'stop' | 'restart' | 'status';

/** The program that runs demo-service.mjs, and the environment it needs. */
export function nodeRuntime(): { node: string; env: Record<string, string> } {
  return { node: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } };
}

const TIMEOUT_MS = 60_000;

export async function demoService(dir: string, action: DemoServiceAction): Promise<ExecResult> {
  const { node, env } = nodeRuntime();
  return runLocalCommand({
    argv: [node, join(dir, DEMO_FILES.script), action],
    env,
    cwd: dir,
    timeoutMs: TIMEOUT_MS,
  });
}

/** Starts the service and returns its pid; a failure to start is a REMOTE_FAILED. */
export async function startDemoService(dir: string): Promise<number | null> {
  const result = await demoService(dir, 'start');
  if (result.code !== 0) {
    const why = result.stderr.trim() || result.stdout.trim() || `exit ${result.code ?? '?'}`;
    throw new RekeyError('REMOTE_FAILED', `The demo service did not start: ${why}`);
  }
  return demoServicePid(dir);
}

/** The pid the service wrote when it started; null when there is none. */
export async function demoServicePid(dir: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(join(dir, DEMO_FILES.pid), 'utf8')).trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new RekeyError('IO', 'Could not find a free port on 127.0.0.1'));
      });
    });
  });
}
