import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatByName } from '../../src/main/formats/format';
import { isAlive } from './processes';
import { httpRequest } from './token-service';
import { waitUntil } from './wait';

/**
 * The demo of `rekey demo` / "Try Rekey" as tests see it: its service found by the pid file it
 * writes, asked over HTTP, and always stopped after a test (every pid it ever had, SIGTERM
 * then SIGKILL), so no test leaves a process behind.
 */

export function demoPid(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, 'demo-service.pid'), 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function demoConfig(dir: string): string {
  return readFileSync(join(dir, 'synctv', 'config.yaml'), 'utf8');
}

export function demoPort(dir: string): number {
  const listen = formatByName('yaml').get(demoConfig(dir), 'server.listen') ?? '';
  return Number(listen.split(':').pop());
}

export function demoUrl(dir: string): string {
  return `http://127.0.0.1:${demoPort(dir)}`;
}

/** The pid answering /health, or undefined while nothing answers. */
export async function demoHealthPid(dir: string): Promise<number | undefined> {
  try {
    const response = await httpRequest(`${demoUrl(dir)}/health`, 'GET');
    const pid: unknown = response.status === 200 ? JSON.parse(response.body).pid : undefined;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function issueDemoToken(dir: string): Promise<string> {
  const response = await httpRequest(`${demoUrl(dir)}/token`, 'POST', {}, '{"subject":"test"}');
  if (response.status !== 200) throw new Error(`POST /token answered ${response.status}`);
  return JSON.parse(response.body).token as string;
}

/** HTTP status of GET /check with the token: 200 accepted, 401 refused. */
export async function checkDemoToken(dir: string, token: string): Promise<number> {
  const response = await httpRequest(`${demoUrl(dir)}/check`, 'GET', {
    authorization: `Bearer ${token}`,
  });
  return response.status;
}

/**
 * Tracks demo folders and stops their services: call `stopAll` in afterEach. `seen` pids are
 * remembered at every `note(dir)` (the pid file changes with each restart) and all of them are
 * killed, whatever the pid file says by then.
 */
export function demoServices() {
  const dirs = new Set<string>();
  const pids = new Set<number>();
  const note = (dir: string) => {
    dirs.add(dir);
    const pid = demoPid(dir);
    if (pid !== undefined) pids.add(pid);
  };
  return {
    note,
    async stopAll(): Promise<void> {
      for (const dir of dirs) note(dir);
      for (const pid of pids) {
        if (!isAlive(pid)) continue;
        signal(pid, 'SIGTERM');
        try {
          await waitUntil(() => !isAlive(pid), { timeoutMs: 5_000, what: `pid ${pid} ends` });
        } catch {
          signal(pid, 'SIGKILL');
        }
      }
      dirs.clear();
      pids.clear();
    },
    pids: () => [...pids],
  };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone in the meantime.
  }
}
