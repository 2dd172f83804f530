// Rekey's test stand-in for the `docker` CLI: no Docker engine runs where the tests run.
// The harness (test/helpers/fake-docker.ts) puts a `docker` wrapper first on PATH that sets
// the two variables below and runs this script.
//
// - Every call is appended as one JSON line {args, cwd, at} to $REKEY_FAKE_DOCKER_LOG, so a
//   test can assert exactly what Rekey ran, and where.
// - `docker compose restart|up -d|stop|start [SERVICE...]` asks the harness (an HTTP control
//   endpoint in the test process, named in the registry file $REKEY_FAKE_DOCKER_REGISTRY)
//   to do it to the fixture processes registered under those service names, and waits.
// - Anything else fails, `docker inspect` in particular: Rekey never needs it (it prints a
//   container's environment, secrets included, in clear text).
import { appendFileSync, readFileSync, realpathSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, resolve } from 'node:path';

const args = process.argv.slice(2);
appendFileSync(
  requiredEnv('REKEY_FAKE_DOCKER_LOG'),
  `${JSON.stringify({ args, cwd: process.cwd(), at: new Date().toISOString() })}\n`,
);

if (args[0] === 'inspect') {
  fail('`docker inspect` is not available here: Rekey never needs it (it prints secrets).');
}
if (args[0] !== 'compose') fail(`\`docker ${args[0] ?? ''}\` is not simulated.`);

/** Global compose options that take a value (both `-f x` and `--file=x` are accepted). */
const GLOBAL_WITH_VALUE = new Set([
  '-f',
  '--file',
  '-p',
  '--project-name',
  '--project-directory',
  '--env-file',
  '--profile',
  '--ansi',
  '--progress',
  '--parallel',
]);
/** Options of the simulated subcommands that take a value. */
const COMMAND_WITH_VALUE = new Set(['-t', '--timeout', '--pull', '--wait-timeout', '--scale']);
const SIMULATED = new Set(['restart', 'up', 'stop', 'start']);

const compose = parseCompose(args.slice(1));
if (!SIMULATED.has(compose.command))
  fail(`\`docker compose ${compose.command}\` is not simulated.`);
if (compose.command === 'up' && !compose.flags.has('-d') && !compose.flags.has('--detach')) {
  fail('`docker compose up` without -d would stay attached; Rekey runs `up -d`.');
}

const registry = JSON.parse(readFileSync(requiredEnv('REKEY_FAKE_DOCKER_REGISTRY'), 'utf8'));
const projectDir = canonical(compose.projectDirectory);
const inProject = registry.services.filter(
  (service) => !service.projectDir || canonical(service.projectDir) === projectDir,
);
if (inProject.length === 0) fail('no configuration file provided: not found');
for (const name of compose.services) {
  if (!inProject.some((service) => service.name === name)) fail(`no such service: ${name}`);
}
const services =
  compose.services.length > 0 ? compose.services : inProject.map((service) => service.name);

const answer = await post(registry.controlUrl, {
  command: compose.command,
  services,
  forceRecreate: compose.flags.has('--force-recreate'),
});
if (answer.status !== 200) fail(answer.body.error ?? `the harness answered ${answer.status}`);
for (const line of answer.body.done ?? []) process.stderr.write(` ${line}\n`);

function parseCompose(words) {
  let projectDirectory = process.cwd();
  let composeFile;
  let i = 0;
  for (; i < words.length && words[i].startsWith('-'); i++) {
    const [option, inline] = words[i].split(/=(.*)/s);
    if (!GLOBAL_WITH_VALUE.has(option)) continue;
    const value = inline ?? words[++i];
    if (option === '--project-directory') projectDirectory = resolve(value);
    if ((option === '-f' || option === '--file') && composeFile === undefined) {
      composeFile = resolve(value);
    }
  }
  const command = words[i] ?? '';
  const flags = new Set();
  const services = [];
  for (i++; i < words.length; i++) {
    const [option] = words[i].split('=');
    if (!words[i].startsWith('-')) services.push(words[i]);
    else if (COMMAND_WITH_VALUE.has(option) && !words[i].includes('=')) i++;
    else flags.add(option);
  }
  // Like compose: the project directory is the first compose file's, unless given.
  if (composeFile && !words.some((word) => word.startsWith('--project-directory'))) {
    projectDirectory = dirname(composeFile);
  }
  return { command, flags, services, projectDirectory };
}

function canonical(path) {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function post(url, body) {
  return new Promise((done, reject) => {
    const outgoing = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false },
      (incoming) => {
        let text = '';
        incoming.on('data', (chunk) => (text += chunk));
        incoming.on('end', () => done({ status: incoming.statusCode, body: JSON.parse(text) }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) fail(`${name} is not set: run me through test/helpers/fake-docker.ts`);
  return value;
}

function fail(message) {
  process.stderr.write(`fake docker: ${message}\n`);
  process.exit(1);
}
