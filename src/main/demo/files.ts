import { lstat, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { RekeyError } from '../../shared/errors';
import { generateSecret } from '../vault/generate';
import { DEMO_FILES, DEMO_LIVEKIT_KEY, DEMO_SERVICE_SCRIPT, demoPlaybook } from './definition';

/**
 * The demo folder: SyncTV- and LiveKit-style config files with fresh random values, and the
 * demo service that reads them. Only a new or empty folder is used, so nothing of the user's
 * is ever overwritten; everything is created readable by its owner only.
 */

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export interface DemoFolder {
  dir: string;
  /** The folder did not exist: removing the demo removes it too. */
  created: boolean;
}

export interface DemoFiles extends DemoFolder {
  port: number;
  script: string;
  /** The config files, absolute. */
  files: string[];
  /** Secret name (as the playbook names it) -> the value the files hold now. */
  values: ReadonlyMap<string, string>;
}

/** Checks that `dir` can hold a demo: absent, or an empty folder. Writes nothing. */
export async function checkDemoFolder(dir: string): Promise<DemoFolder> {
  if (!isAbsolute(dir)) {
    throw new RekeyError('INVALID_INPUT', `The demo folder must be an absolute path: ${dir}`);
  }
  let found;
  try {
    found = await lstat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { dir, created: true };
    throw new RekeyError('IO', `Cannot look at ${dir}: ${(error as Error).message}`);
  }
  if (!found.isDirectory()) {
    throw new RekeyError('INVALID_INPUT', `${dir} exists and is not a folder; nothing was written`);
  }
  if ((await readdir(dir)).length > 0) {
    throw new RekeyError(
      'ALREADY_EXISTS',
      `${dir} is not empty: the demo needs a new or empty folder; nothing was written`,
    );
  }
  return { dir, created: false };
}

/**
 * Writes the demo into `dir` (absent or empty, see checkDemoFolder): the service script and
 * the config files, with a new value for every secret of the demo playbook, drawn by its
 * generator. The service listens on 127.0.0.1:`port`.
 */
export async function createDemo(dir: string, options: { port: number }): Promise<DemoFiles> {
  const folder = await checkDemoFolder(dir);
  const values = new Map<string, string>();
  for (const secret of demoPlaybook().secrets) {
    const spec = secret.generator ?? { kind: 'base64', length: 32 };
    values.set(secret.name, (await generateSecret(spec)).value);
  }
  const value = (name: string) => {
    const found = values.get(name);
    if (found === undefined) throw new RekeyError('INTERNAL', `The demo has no secret ${name}`);
    return found;
  };
  const path = (relative: string) => join(dir, relative);
  const contents: [string, string][] = [
    [DEMO_FILES.script, DEMO_SERVICE_SCRIPT],
    [
      DEMO_FILES.synctvConfig,
      synctvConfig({
        port: options.port,
        jwtSecret: value('jwt.secret'),
        clusterSecret: value('server.cluster_secret'),
        databasePassword: value('database.password'),
      }),
    ],
    [DEMO_FILES.livekitConfig, livekitConfig(value('livekit.api_secret'))],
    [DEMO_FILES.livekitEnv, livekitEnv(value('livekit.api_secret'))],
  ];
  try {
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    for (const sub of ['synctv', 'livekit']) await mkdir(path(sub), { mode: DIR_MODE });
    for (const [relative, text] of contents) {
      await writeFile(path(relative), text, { mode: FILE_MODE, flag: 'wx' });
    }
  } catch (error) {
    await removeDemo(folder);
    if (error instanceof RekeyError) throw error;
    throw new RekeyError('IO', `Cannot write the demo into ${dir}: ${(error as Error).message}`);
  }
  return {
    ...folder,
    port: options.port,
    script: path(DEMO_FILES.script),
    files: [DEMO_FILES.synctvConfig, DEMO_FILES.livekitConfig, DEMO_FILES.livekitEnv].map(path),
    values,
  };
}

/** Undoes createDemo: the folder goes if the demo made it, else what is in it (all ours). */
export async function removeDemo(folder: DemoFolder): Promise<void> {
  if (folder.created) {
    await rm(folder.dir, { recursive: true, force: true });
    return;
  }
  const names = await readdir(folder.dir).catch(() => [] as string[]);
  for (const name of names) await rm(join(folder.dir, name), { recursive: true, force: true });
}

function synctvConfig(values: {
  port: number;
  jwtSecret: string;
  clusterSecret: string;
  databasePassword: string;
}): string {
  return `# SyncTV server configuration: Rekey's demo copy.
# demo-service.mjs (one folder up) reads server.listen and jwt.secret from here when it
# starts, as SyncTV does; the other values are here to be rotated, nothing reads them.

server:
  listen: 127.0.0.1:${values.port}
  # Shared by every replica for node-to-node authentication.
  cluster_secret: ${values.clusterSecret}
  trusted_proxies: [10.0.0.0/8]

jwt:
  # Rotating this logs every user out (access, refresh and guest tokens).
  secret: "${values.jwtSecret}"
  access_ttl: 15m
  refresh_ttl: 720h

database:
  url: postgres://synctv@db:5432/synctv?sslmode=disable
  password: '${values.databasePassword}'
  max_open_conns: 20

management:
  enabled: false
  listen: 127.0.0.1:9090
`;
}

function livekitConfig(secret: string): string {
  return `# LiveKit server configuration: Rekey's demo copy (nothing runs LiveKit in the demo).
port: 7880
rtc:
  tcp_port: 7881
  use_external_ip: false

# API key -> API secret. lk-jwt-service signs tokens with the same pair (see .env).
keys:
  ${DEMO_LIVEKIT_KEY}: ${secret}

logging:
  level: info
`;
}

function livekitEnv(secret: string): string {
  return `# The compose .env lk-jwt-service (Element Call's token service) reads: Rekey's demo copy.
LIVEKIT_URL=wss://livekit.example.org
LIVEKIT_KEY=${DEMO_LIVEKIT_KEY}
LIVEKIT_SECRET=${secret}
`;
}
