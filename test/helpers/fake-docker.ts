import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/**
 * No Docker engine runs where Rekey's tests run, so the rotation engine's compose restart
 * steps run a fake `docker` (`children/fake-docker.mjs`) put first on PATH. It records every
 * call (arguments and working directory) and carries out `docker compose restart | up -d |
 * stop | start` on the fixture processes registered as compose services, by calling back
 * into this harness over loopback HTTP: the test process stays the owner of every fixture,
 * so it always stops them.
 *
 * What compose does to a running service is modelled as far as a rotation can tell apart:
 * `restart` restarts the process with the container's environment as created; `up -d`
 * recreates it only when the service definition changed (its environment from `.env`) or
 * with --force-recreate, and starts it when it was stopped. See TokenServiceOptions.delivery.
 *
 * The fake docker waits for the harness's answer: run it asynchronously (as Rekey's
 * connectors do), never with execFileSync from the test process, which would block the
 * answer.
 */

/** What the fake docker needs of a fixture process to play a compose service. */
export interface ComposeService {
  readonly running: boolean;
  /** `compose restart`: the same container restarted (environment as created). */
  restart(): Promise<void>;
  /** `compose up -d` when the container is recreated: environment taken afresh. */
  recreate(): Promise<void>;
  /** Whether compose would see a changed definition and recreate on `up -d`. */
  definitionChanged(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface DockerCall {
  args: string[];
  cwd: string;
}

export interface FakeDocker {
  /** Holds the `docker` wrapper: put it first on PATH (or use `env`). */
  readonly binDir: string;
  /** `process.env` with binDir first on PATH, for the processes that should see it. */
  readonly env: NodeJS.ProcessEnv;
  /** Every docker call so far, in order (including refused ones). */
  calls(): DockerCall[];
  /**
   * Makes `service` a compose service. With `projectDir`, only compose calls for that project
   * (run there, or with -f/--project-directory pointing there) find it, as with real compose.
   */
  register(name: string, service: ComposeService, options?: { projectDir?: string }): void;
  /** Closes the control endpoint and removes the temp directory (not the services). */
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./children/fake-docker.mjs', import.meta.url));

interface ComposeRequest {
  command: 'restart' | 'up' | 'stop' | 'start';
  services: string[];
  forceRecreate: boolean;
}

export async function startFakeDocker(): Promise<FakeDocker> {
  const dir = mkdtempSync(join(tmpdir(), 'rekey-docker-'));
  const binDir = join(dir, 'bin');
  const logFile = join(dir, 'calls.jsonl');
  const registryFile = join(dir, 'registry.json');
  const services = new Map<string, { service: ComposeService; projectDir?: string }>();

  const server = createServer((request, response) => {
    void answer(request, response, (name) => services.get(name)?.service);
  });
  const controlUrl = await listen(server);
  const writeRegistry = () => {
    const entries = [...services].map(([name, { projectDir }]) => ({ name, projectDir }));
    writeFileSync(registryFile, JSON.stringify({ controlUrl, services: entries }), { mode: 0o600 });
  };
  writeRegistry();
  writeFileSync(logFile, '');
  mkdirSync(binDir);
  // A wrapper with absolute paths, so it works from any environment that finds it on PATH.
  writeFileSync(
    join(binDir, 'docker'),
    [
      '#!/bin/sh',
      '# Rekey test stand-in for docker: see test/helpers/fake-docker.ts.',
      `REKEY_FAKE_DOCKER_LOG=${shellQuote(logFile)} \\`,
      `REKEY_FAKE_DOCKER_REGISTRY=${shellQuote(registryFile)} \\`,
      `exec ${shellQuote(process.execPath)} ${shellQuote(SCRIPT)} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(join(binDir, 'docker'), 0o755);

  let stopped: Promise<void> | undefined;
  return {
    binDir,
    env: { ...process.env, PATH: [binDir, process.env['PATH'] ?? ''].join(delimiter) },
    calls() {
      if (!existsSync(logFile)) return [];
      return readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line): DockerCall => {
          const { args, cwd } = JSON.parse(line) as DockerCall;
          return { args, cwd };
        });
    },
    register(name, service, options = {}) {
      services.set(name, { service, projectDir: options.projectDir });
      writeRegistry();
    },
    stop() {
      stopped ??= (async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** A fake docker for the test file, always stopped after its last test. */
export function useFakeDocker(): () => FakeDocker {
  let docker: FakeDocker | undefined;
  beforeAll(async () => {
    docker = await startFakeDocker();
  });
  afterAll(async () => {
    await docker?.stop();
  });
  return () => {
    if (!docker) throw new Error('useFakeDocker: not running (beforeAll failed?)');
    return docker;
  };
}

/** Carries out one compose request, service by service in the order given. */
async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  find: (name: string) => ComposeService | undefined,
): Promise<void> {
  const reply = (status: number, body: object) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  try {
    const compose = JSON.parse(await readBody(request)) as ComposeRequest;
    const done: string[] = [];
    for (const name of compose.services) {
      const service = find(name);
      if (!service) return reply(404, { error: `no such service: ${name}` });
      done.push(`Container ${name}  ${await apply(compose, service)}`);
    }
    reply(200, { done });
  } catch (error) {
    reply(500, { error: error instanceof Error ? error.message : String(error) });
  }
}

async function apply(compose: ComposeRequest, service: ComposeService): Promise<string> {
  switch (compose.command) {
    case 'restart':
      await service.restart();
      return 'Restarted';
    case 'stop':
      await service.stop();
      return 'Stopped';
    case 'start':
      if (!service.running) await service.start();
      return 'Started';
    case 'up':
      if (compose.forceRecreate || service.definitionChanged()) {
        await service.recreate();
        return 'Recreated';
      }
      if (!service.running) {
        await service.start();
        return 'Started';
      }
      return 'Running';
  }
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve(`http://127.0.0.1:${port}/compose`);
    });
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
