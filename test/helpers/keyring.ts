import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type RunResult, exited, hasExited, killWithTestProcess, run } from './processes';
import { waitUntil } from './wait';

/**
 * A private Secret Service: its own dbus-daemon (a session bus with no service directories,
 * so nothing is ever D-Bus-activated with the real home) and gnome-keyring-daemon's secrets
 * component on it, unlocked with a test password fed on stdin, its keyrings in a temporary
 * HOME/XDG_DATA_HOME. `useKeyring()` points this test process's DBUS_SESSION_BUS_ADDRESS at
 * it before any test runs (the keyring library connects on its first call in a process and
 * keeps that bus) and stops everything in afterAll.
 */

export interface PrivateKeyring {
  readonly dir: string;
  /** DBUS_SESSION_BUS_ADDRESS of the private bus. */
  readonly address: string;
  /** The environment a child (the CLI, the browser host) needs to reach this keyring. */
  readonly env: NodeJS.ProcessEnv;
  /** libsecret's own client, to check from outside what Rekey stored. */
  secretTool(args: readonly string[], input?: string): Promise<RunResult>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const KEYRING_PASSWORD = 'rekey-test-keyring';

function busConfig(dir: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

export interface SessionBus {
  readonly address: string;
  readonly child: ChildProcess;
  log(): string;
}

/**
 * A private session bus whose configuration lists no service directories: nothing on it is
 * activated, so it is also the "D-Bus but no Secret Service" machine.
 */
export async function startSessionBus(dir: string): Promise<SessionBus> {
  const configPath = join(dir, 'bus.conf');
  writeFileSync(configPath, busConfig(dir));
  const child = spawn(
    'dbus-daemon',
    ['--config-file', configPath, '--nofork', '--print-address=1'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  killWithTestProcess(child);
  let printed = '';
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    await waitUntil(() => printed.includes('\n') || hasExited(child), {
      timeoutMs: READY_TIMEOUT_MS,
      what: 'dbus-daemon printing its address',
      detail: () => log,
    });
    const address = printed.split('\n', 1)[0]?.trim() ?? '';
    if (!address) throw new Error(`dbus-daemon did not start: ${log}`);
    return { address, child, log: () => log };
  } catch (error) {
    if (!hasExited(child)) child.kill('SIGTERM');
    throw error;
  }
}

/** Ends the processes (newest first) and waits for each. */
async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const child of children.reverse()) {
    if (!hasExited(child)) child.kill('SIGTERM');
    await exited(child);
  }
  children.length = 0;
}

export async function startKeyring(): Promise<PrivateKeyring> {
  const dir = mkdtempSync(join(tmpdir(), 'rekey-keyring-'));
  const home = join(dir, 'home');
  const runtime = join(dir, 'runtime');
  mkdirSync(home, { mode: 0o700 });
  mkdirSync(runtime, { mode: 0o700 });
  const children: ChildProcess[] = [];
  let log = '';
  const stop = async () => {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const bus = await startSessionBus(dir);
    children.push(bus.child);
    const { address } = bus;

    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: home,
      XDG_DATA_HOME: join(home, '.local', 'share'),
      XDG_RUNTIME_DIR: runtime,
      DBUS_SESSION_BUS_ADDRESS: address,
    };
    const daemon = spawn(
      'gnome-keyring-daemon',
      ['--foreground', '--unlock', '--components=secrets'],
      { env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    children.push(daemon);
    killWithTestProcess(daemon);
    daemon.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    daemon.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    // --unlock reads the login keyring's password from stdin; with one, that keyring is
    // created, unlocked and made the default collection, where new items go.
    daemon.stdin.end(KEYRING_PASSWORD);

    const dbusSend = (args: readonly string[]) =>
      run('dbus-send', ['--session', '--print-reply', ...args], { env, timeoutMs: 5_000 });
    await waitUntil(
      async () => {
        if (hasExited(daemon)) throw new Error(`gnome-keyring-daemon exited: ${log}`);
        const owner = await dbusSend([
          '--dest=org.freedesktop.DBus',
          '/org/freedesktop/DBus',
          'org.freedesktop.DBus.NameHasOwner',
          'string:org.freedesktop.secrets',
        ]);
        if (!owner.stdout.includes('boolean true')) return false;
        const alias = await dbusSend([
          '--dest=org.freedesktop.secrets',
          '/org/freedesktop/secrets',
          'org.freedesktop.Secret.Service.ReadAlias',
          'string:default',
        ]);
        return alias.stdout.includes('/org/freedesktop/secrets/collection/');
      },
      {
        timeoutMs: READY_TIMEOUT_MS,
        what: 'the Secret Service on the private bus',
        intervalMs: 50,
        detail: () => log,
      },
    );
    return {
      dir,
      address,
      env,
      secretTool: (args, input) =>
        run('secret-tool', args, {
          env,
          timeoutMs: 10_000,
          ...(input === undefined ? {} : { input }),
        }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One private keyring for the test file, reachable from this process through the env. */
export function useKeyring(): () => PrivateKeyring {
  let keyring: PrivateKeyring | undefined;
  let previous: string | undefined;
  beforeAll(async () => {
    keyring = await startKeyring();
    previous = process.env['DBUS_SESSION_BUS_ADDRESS'];
    process.env['DBUS_SESSION_BUS_ADDRESS'] = keyring.address;
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env['DBUS_SESSION_BUS_ADDRESS'];
    else process.env['DBUS_SESSION_BUS_ADDRESS'] = previous;
    await keyring?.stop();
  });
  return () => {
    if (!keyring) throw new Error('the keyring starts in beforeAll');
    return keyring;
  };
}
