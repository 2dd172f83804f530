import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_CODES, ROTATION_EXIT_CODES } from '../../src/shared/errors';
import type { RotationRun, RunSummary } from '../../src/shared/rotation-api';
import { formatByName } from '../../src/main/formats/format';
import { useFakeDocker } from '../helpers/fake-docker';
import {
  CLI_BUNDLE,
  type CliOptions,
  type CliRun,
  type CliVault,
  initCliVault,
} from '../helpers/rekey-cli';
import { RECREATE_AND_CHECK, newValue, stackPlaybook } from '../helpers/rotation-stack';
import { useTempDirs } from '../helpers/temp';
import { inTerminal } from '../helpers/terminal';
import { type TokenService, startTokenService } from '../helpers/token-service';
import { waitUntil } from '../helpers/wait';

/**
 * `rekey rotate` end to end: the built CLI as separate processes, set up with the CLI itself
 * (secret from stdin, playbook from a file, deployment bound to it with --var), rotating the
 * signing secret of a token service that reads it from a compose `.env`, recreated through
 * the fake docker. Every CLI process gets the fake docker's PATH.
 */

const docker = useFakeDocker();
const tempDir = useTempDirs();

const CONFIRM_STEP = `      - kind: confirm
        text: The users of the app were told.
`;
const FAILING_CHECK = `${RECREATE_AND_CHECK}      - kind: verify
        within_seconds: 1
        check: { type: http, url: '\${url}/no-such-page', status: 200 }
`;
/**
 * An exec step after the write that writes its pid (it leads its own process group) and then
 * waits for ever unless the file `go` exists: the moment to kill the CLI, deterministically.
 */
const WAIT_FOR_GO = `      - kind: exec
        argv: [sh, -c, 'echo $$ > "$1"; test -e "$0" || exec sleep 30', '\${dir}/go', '\${dir}/exec.pid']
${RECREATE_AND_CHECK}`;

interface CliStack {
  vault: CliVault;
  dir: string;
  envFile: string;
  service: TokenService;
  oldValue: string;
  rekey(args: readonly string[], options?: CliOptions): Promise<CliRun>;
  /** Every run so far, for "no value was ever shown". */
  runs: CliRun[];
}

const stacks: CliStack[] = [];
/** Process groups a test started and may leave behind when it fails: killed after it. */
const strays: (number | undefined)[] = [];
afterEach(async () => {
  for (const pid of strays.splice(0)) killGroup(pid);
  for (const stack of stacks.splice(0)) await stack.service.stop();
});

function killGroup(pid: number | undefined): void {
  // Never 0 or 1: kill(-0) would signal this test's own process group.
  if (pid === undefined || pid <= 1) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function ok(run: CliRun): CliRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}`);
  return run;
}

async function cliStack(steps: string): Promise<CliStack> {
  const root = tempDir();
  const vault = await initCliVault(root);
  const dir = join(root, 'stack');
  mkdirSync(dir);
  const envFile = join(dir, '.env');
  const oldValue = newValue();
  writeFileSync(
    envFile,
    `# compose settings\nCOMPOSE_PROJECT_NAME=stack\nJWT_SECRET="${oldValue}"\nLOG_LEVEL=info\n`,
    { mode: 0o600 },
  );
  const service = await startTokenService({
    configFile: envFile,
    format: 'dotenv',
    key: 'JWT_SECRET',
    delivery: 'environment',
  });
  docker().register('app', service, { projectDir: dir });
  const runs: CliRun[] = [];
  const stack: CliStack = {
    vault,
    dir,
    envFile,
    service,
    oldValue,
    runs,
    rekey: async (args, options = {}) => {
      const run = await vault.rekey(args, { ...options, env: { ...docker().env, ...options.env } });
      runs.push(run);
      return run;
    },
  };
  stacks.push(stack);
  ok(
    await stack.rekey(['secret', 'add', 'stack/jwt', '--value-stdin'], { stdin: `${oldValue}\n` }),
  );
  const playbookFile = join(root, 'test-stack.yaml');
  writeFileSync(playbookFile, stackPlaybook(steps));
  const added = ok(await stack.rekey(['playbook', 'add', playbookFile]));
  expect(added.stdout).toMatch(/Playbook test-stack .* kept in the vault/);
  const bound = ok(
    await stack.rekey([
      'deployment',
      'playbook',
      'stack',
      'test-stack',
      '--var',
      `dir=${dir}`,
      '--var',
      `url=${service.url}`,
    ]),
  );
  expect(bound.stdout).toContain('stack rotates by playbook test-stack');
  expect(bound.stdout).toContain(`dir = ${dir}`);
  return stack;
}

/** The value the .env holds, read by Rekey's compose-compatible dotenv reader. */
function envValue(stack: CliStack): string | undefined {
  return formatByName('dotenv').get(readFileSync(stack.envFile, 'utf8'), 'JWT_SECRET');
}

async function reveal(stack: CliStack, version = 'current'): Promise<string> {
  // Not through stack.rekey: its output holds the value on purpose.
  const run = ok(await stack.vault.rekey(['secret', 'reveal', 'stack/jwt', version]));
  return run.stdout.replace(/\n$/, '');
}

async function runs(stack: CliStack): Promise<RunSummary[]> {
  return JSON.parse(ok(await stack.rekey(['rotate', 'list', '--json'])).stdout) as RunSummary[];
}

async function shown(stack: CliStack, runId: string): Promise<RotationRun> {
  const run = ok(await stack.rekey(['rotate', 'show', runId, '--json']));
  return JSON.parse(run.stdout) as RotationRun;
}

function outputOf(stack: CliStack): string {
  return stack.runs.map((run) => run.stdout + run.stderr).join('\n');
}

describe('rekey rotate', { timeout: 45_000 }, () => {
  it('rotates with --yes: the .env holds the vault value, the old token is refused, no value shown', async () => {
    const stack = await cliStack(RECREATE_AND_CHECK + CONFIRM_STEP);
    const oldToken = await stack.service.issueToken();
    expect(await stack.service.check(oldToken)).toBe(200);

    const run = await stack.rekey(['rotate', 'stack/jwt', '--yes']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /Rotation of stack\/jwt \(deployment stack\), by playbook test-stack/,
    );
    expect(run.stdout).toMatch(
      /write\s+local\s+Write stack\/jwt into JWT_SECRET in .*\.env on local/,
    );
    expect(run.stdout).toContain('Checklist (every item confirmed by --yes):');
    expect(run.stdout).toContain('[x] The users of the app were told. (confirmed by --yes)');
    expect(run.stdout).toMatch(/\[3\/6\] done\s+Recreate app/);
    expect(run.stdout).toMatch(/Run r_\S+ rotated stack\/jwt/);
    const current = await reveal(stack);
    expect(current).not.toBe(stack.oldValue);
    expect(envValue(stack)).toBe(current);
    expect(await reveal(stack, 'previous')).toBe(stack.oldValue);
    expect(await stack.service.check(oldToken)).toBe(401);
    expect(await stack.service.check(await stack.service.issueToken())).toBe(200);
    const [summary] = await runs(stack);
    expect(summary?.status).toBe('rotated');
    const detail = await shown(stack, summary?.id ?? '');
    expect(detail.steps.map((step) => step.state)).toEqual(detail.steps.map(() => 'done'));

    // A value of the user's, from stdin, never from argv.
    const chosen = newValue();
    const withValue = await stack.rekey(['rotate', 'stack/jwt', '--yes', '--value-stdin'], {
      stdin: `${chosen}\n`,
    });
    expect(withValue.code, withValue.stderr).toBe(0);
    expect(envValue(stack)).toBe(chosen);
    expect(await reveal(stack)).toBe(chosen);

    const everything = outputOf(stack);
    for (const value of [stack.oldValue, current, chosen]) expect(everything).not.toContain(value);
  });

  it('--dry-run shows the diff with placeholders and changes nothing', async () => {
    const stack = await cliStack(RECREATE_AND_CHECK);
    const before = readFileSync(stack.envFile);

    const run = await stack.rekey(['rotate', 'stack/jwt', '--dry-run']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`--- local:${stack.envFile} (JWT_SECRET)`);
    expect(run.stdout).toMatch(/^-JWT_SECRET=.*\[current value\]/m);
    expect(run.stdout).toMatch(/^\+JWT_SECRET=.*\[new value\]/m);
    expect(run.stdout).toContain('Dry run: nothing was changed.');
    const json = await stack.rekey(['rotate', 'stack/jwt', '--dry-run', '--json']);
    const preview = JSON.parse(json.stdout) as { targets: { diff: string[] }[] };
    expect(preview.targets[0]?.diff.join('\n')).toContain('[new value]');

    expect(readFileSync(stack.envFile)).toEqual(before);
    expect(await runs(stack)).toEqual([]);
    expect(await reveal(stack)).toBe(stack.oldValue);
    expect(outputOf(stack)).not.toContain(stack.oldValue);
  });

  it('refuses without --yes when there is no terminal, and changes nothing', async () => {
    const stack = await cliStack(RECREATE_AND_CHECK);
    const before = readFileSync(stack.envFile);

    const run = await stack.rekey(['rotate', 'stack/jwt']);

    expect(run.code).toBe(EXIT_CODES.INVALID_INPUT);
    expect(run.stderr).toContain('--yes confirms the checklist');
    expect(readFileSync(stack.envFile)).toEqual(before);
    expect(await runs(stack)).toEqual([]);
  });

  it('on a terminal asks each checklist item and confirm step: a "no" changes nothing', async () => {
    const stack = await cliStack(RECREATE_AND_CHECK + CONFIRM_STEP);
    const before = readFileSync(stack.envFile);
    const command = [
      `PATH='${docker().env['PATH'] ?? ''}'`,
      process.execPath,
      CLI_BUNDLE,
      `--vault '${stack.vault.vaultPath}'`,
      `--password-file '${stack.vault.passwordFile}'`,
      'rotate stack/jwt',
    ].join(' ');
    const backup = { prompt: 'current secrets is taken. [y/N] ', answer: 'y' };
    const rollback = 'the database backup. [y/N] ';

    const declined = await inTerminal(command, [backup, { prompt: rollback, answer: 'n' }]);

    expect(declined.code).toBe(EXIT_CODES.INVALID_INPUT);
    expect(declined.output).toContain('Not confirmed: "Rollback is ready');
    expect(readFileSync(stack.envFile)).toEqual(before);
    expect(await runs(stack)).toEqual([]);

    const confirmed = await inTerminal(command, [
      backup,
      { prompt: rollback, answer: 'y' },
      { prompt: 'Done? [y/N]', answer: 'y' },
    ]);

    expect(confirmed.code, confirmed.output).toBe(0);
    expect(confirmed.output).toContain('Step 6: The users of the app were told.');
    expect(confirmed.output).toMatch(/\[6\/6\] done\s+Confirm: The users of the app were told/);
    const current = await reveal(stack);
    expect(current).not.toBe(stack.oldValue);
    expect(envValue(stack)).toBe(current);
    for (const value of [stack.oldValue, current]) {
      expect(declined.output + confirmed.output).not.toContain(value);
    }
  });

  it('a failing check rolls back: exit 19, the .env as before, the run rolled-back', async () => {
    const stack = await cliStack(FAILING_CHECK);
    const before = readFileSync(stack.envFile);
    const oldToken = await stack.service.issueToken();

    const run = await stack.rekey(['rotate', 'stack/jwt', '--yes', '--json']);

    expect(run.code, run.stderr).toBe(ROTATION_EXIT_CODES['rolled-back']);
    const final = JSON.parse(run.stdout) as RotationRun;
    expect(final.status).toBe('rolled-back');
    expect(run.stderr).toMatch(/\[6\/6\] failed\s+Check: GET .*\/no-such-page/);
    expect(run.stderr).toContain(`rotation ${final.id} was rolled back`);
    expect(readFileSync(stack.envFile)).toEqual(before);
    expect((await shown(stack, final.id)).status).toBe('rolled-back');
    expect(await reveal(stack)).toBe(stack.oldValue);
    expect(await stack.service.check(oldToken)).toBe(200);
    expect(outputOf(stack)).not.toContain(stack.oldValue);
  });

  describe('a run whose process was killed', () => {
    /** Starts a rotation and kills it (SIGKILL) while its exec step waits; returns the run. */
    async function killMidRun(stack: CliStack): Promise<RunSummary> {
      const pidFile = join(stack.dir, 'exec.pid');
      const child = spawn(
        process.execPath,
        [
          CLI_BUNDLE,
          '--vault',
          stack.vault.vaultPath,
          '--password-file',
          stack.vault.passwordFile,
          'rotate',
          'stack/jwt',
          '--yes',
        ],
        { env: docker().env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
      );
      strays.push(child.pid);
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitUntil(() => existsSync(pidFile) && /^\d+\n$/.test(readFileSync(pidFile, 'utf8')), {
        timeoutMs: 20_000,
        what: 'the exec step after the write to start',
        detail: () => output,
      });
      // The write happened before the exec step: the .env holds the new (pending) value.
      expect(envValue(stack)).not.toBe(stack.oldValue);
      const execPid = Number(readFileSync(pidFile, 'utf8'));
      strays.push(execPid);
      await killed(child);
      killGroup(execPid);
      expect(output).not.toContain(stack.oldValue);

      const [run] = await runs(stack);
      expect(run?.status).toBe('interrupted');
      const detail = await shown(stack, run?.id ?? '');
      expect(detail.steps.map((step) => step.state)).toEqual([
        'done',
        'done',
        'running',
        'waiting',
        'waiting',
        'waiting',
      ]);
      return run as RunSummary;
    }

    it('rollback puts the old value back byte for byte and exits 19', async () => {
      const stack = await cliStack(WAIT_FOR_GO);
      const before = readFileSync(stack.envFile);
      const run = await killMidRun(stack);

      const rollback = await stack.rekey(['rotate', 'rollback', run.id]);

      expect(rollback.code, rollback.stderr).toBe(ROTATION_EXIT_CODES['rolled-back']);
      expect(rollback.stdout).toContain(`Rolling back run ${run.id}`);
      expect(rollback.stdout).toMatch(/\[2\/6\] undone\s+Write stack\/jwt/);
      expect(readFileSync(stack.envFile)).toEqual(before);
      expect(await reveal(stack)).toBe(stack.oldValue);
      expect((await shown(stack, run.id)).status).toBe('rolled-back');
      // A finished run is not taken up again.
      const again = await stack.rekey(['rotate', 'resume', run.id, '--yes']);
      expect(again.code).toBe(EXIT_CODES.CONFLICT);
      expect(outputOf(stack)).not.toContain(stack.oldValue);
    });

    it('resume carries it on: the .env holds the value the vault has as current', async () => {
      const stack = await cliStack(WAIT_FOR_GO);
      const oldToken = await stack.service.issueToken();
      const run = await killMidRun(stack);
      writeFileSync(join(stack.dir, 'go'), '');

      const resumed = await stack.rekey(['rotate', 'resume', run.id, '--yes']);

      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain(`Resuming run ${run.id}`);
      expect(resumed.stdout).toMatch(/\[3\/6\] done\s+Run `sh -c/);
      const current = await reveal(stack);
      expect(current).not.toBe(stack.oldValue);
      expect(envValue(stack)).toBe(current);
      expect(await stack.service.check(oldToken)).toBe(401);
      expect((await shown(stack, run.id)).status).toBe('rotated');
      const everything = outputOf(stack);
      expect(everything).not.toContain(stack.oldValue);
      expect(everything).not.toContain(current);
    });
  });
});

describe('rekey secret due', () => {
  it('lists secrets by their policy deadline; --fail-if-any exits 21 when any is listed', async () => {
    const vault = await initCliVault(tempDir());
    ok(await vault.rekey(['secret', 'add', 'app/yearly', '--rotate-every', '365']));
    ok(await vault.rekey(['secret', 'add', 'app/unmanaged']));
    ok(await vault.rekey(['secret', 'add', 'app/manual', '--no-routine-rotation']));

    const none = await vault.rekey(['secret', 'due', '--fail-if-any']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain('Nothing is due for rotation.');
    const notYet = await vault.rekey(['secret', 'due', '--within', '364', '--fail-if-any']);
    expect(notYet.code, notYet.stderr).toBe(0);

    const within = await vault.rekey(['secret', 'due', '--within', '400', '--fail-if-any']);
    expect(within.code).toBe(21);
    expect(within.stdout).toMatch(/^SECRET\s+STATUS\s+AGE\s+POLICY\s+DEADLINE$/m);
    expect(within.stdout).toMatch(/^app\/yearly\s+ok\s+0d\s+rotate every 365 days\s+in 365d$/m);
    expect(within.stdout).not.toContain('app/unmanaged');
    expect(within.stdout).not.toContain('app/manual');
    expect(within.stderr).toContain('1 secret is due for rotation');

    const json = await vault.rekey(['secret', 'due', '--within', '1y', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject([{ ref: 'app/yearly', dueInDays: 365 }]);
  });
});

/** Kills a detached child's process group and waits until it is reaped (not a zombie). */
async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  killGroup(child.pid);
  await exited;
}
