import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealthReport, ReminderItemView } from '../../src/shared/health-api';
import { type CliRun, initCliVault } from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';

/**
 * `rekey health`, `rekey health fix`, `rekey due` and `rekey secret snooze` through the built
 * CLI, as cron or a person runs them: the JSON report, the exit codes (22 for findings at or
 * above --fail-on, 21 for anything due), the Markdown file, the fix and the snooze, and no
 * value in any output.
 */

const tempDir = useTempDirs();
const VALUE = 'Lm2Xv9Rt4Yb8Nc3Wd6Hf1Jg5Ks0PaZq7';

function ok(run: CliRun): CliRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}\n${run.stdout}`);
  return run;
}

describe('rekey health', () => {
  it('reports findings as JSON and Markdown, exits by severity, and fixes a file mode', async () => {
    const dir = tempDir();
    const vault = await initCliVault(dir);
    const runs: CliRun[] = [];
    const rekey = async (args: readonly string[], stdin?: string) => {
      const run = await vault.rekey(args, { timeoutMs: 60_000, ...(stdin ? { stdin } : {}) });
      runs.push(run);
      return run;
    };
    const env = join(dir, 'app.env');
    writeFileSync(env, `TOKEN=${VALUE}\n`);
    chmodSync(env, 0o640);
    ok(await rekey(['secret', 'add', 'app/token', '--value-stdin'], VALUE));
    ok(await rekey(['secret', 'add', 'app/copy', '--value-stdin'], VALUE));
    // A target on this machine, so --hosts checks it through the local connector.
    const clean = await rekey(['health', '--json']);
    expect(clean.code).toBe(22);
    const report = JSON.parse(clean.stdout) as HealthReport;
    expect(report.hosts).toBeNull();
    expect(report.findings.map((f) => [f.kind, f.subject])).toEqual([
      ['reused', { type: 'secret', ref: 'app/copy' }],
      ['reused', { type: 'secret', ref: 'app/token' }],
    ]);
    expect(clean.stderr).toContain('2 findings at or above high');
    expect((await rekey(['health', '--fail-on', 'critical'])).code).toBe(0);
    expect((await rekey(['health', '--fail-on', 'bogus'])).code).toBe(2);

    ok(await rekey(['secret', 'rm', 'app/copy', '--yes']));
    ok(await rekey(['secret', 'edit', 'app/token', '--description', 'token of the app']));
    // Targets are set through the contract; the CLI's scan adopts files with theirs.
    ok(
      await rekey(['host', 'scan', 'local', '--dir', dir, '--deployment', 'scanned', '--all-new']),
    );
    const markdown = join(dir, 'health.md');
    const hosts = await rekey([
      'health',
      '--hosts',
      '--host',
      'local',
      '--json',
      '--markdown',
      markdown,
    ]);
    expect(hosts.code).toBe(22);
    const withHosts = JSON.parse(hosts.stdout) as HealthReport;
    expect(withHosts.hosts?.map((h) => h.host)).toEqual(['local']);
    const readable = withHosts.findings.find((f) => f.kind === 'readable-file');
    expect(readable?.fixAction).toEqual({ kind: 'tighten-mode', host: 'local', path: env });
    expect(readFileSync(markdown, 'utf8')).toContain('# Rekey health report');
    expect(statSync(markdown).mode & 0o777).toBe(0o600);

    expect((await rekey(['health', 'fix', 'local', env])).code).toBe(2);
    expect(statSync(env).mode & 0o777).toBe(0o640);
    const fixed = ok(await rekey(['health', 'fix', 'local', env, '--yes']));
    expect(fixed.stdout).toContain('mode 640 -> 600');
    expect(statSync(env).mode & 0o777).toBe(0o600);
    expect(ok(await rekey(['history', '--kind', 'health.fixed'])).stdout).toContain(env);
    expect((await rekey(['health', 'fix', 'local', '/etc/hostname', '--yes'])).code).toBe(2);

    for (const run of runs) expect(run.stdout + run.stderr).not.toContain(VALUE);
    expect(readFileSync(markdown, 'utf8')).not.toContain(VALUE);
  });
});

describe('rekey due and rekey secret snooze', () => {
  it('exits 21 while something is due, and leaves a snoozed secret out', async () => {
    const dir = tempDir();
    const vault = await initCliVault(dir);
    const rekey = (args: readonly string[]) => vault.rekey(args, { timeoutMs: 60_000 });
    ok(await rekey(['secret', 'add', 'app/token', '--rotate-every', '60']));
    ok(await rekey(['secret', 'add', 'app/other']));
    expect(ok(await rekey(['due', '--fail-if-any'])).stdout).toContain('Nothing is due.');

    const due = await rekey(['due', '--within', '90', '--json', '--fail-if-any']);
    expect(due.code).toBe(21);
    expect((JSON.parse(due.stdout) as ReminderItemView[]).map((item) => item.key)).toEqual([
      'rotation-due:app/token',
    ]);
    expect((await rekey(['secret', 'due', '--within', '90', '--fail-if-any'])).code).toBe(21);

    expect((await rekey(['secret', 'snooze', 'app/token'])).code).toBe(2);
    const snoozed = ok(
      await rekey([
        'secret',
        'snooze',
        'app/token',
        '--days',
        '2w',
        '--reason',
        'after the release',
      ]),
    );
    expect(snoozed.stdout).toMatch(/^Snoozed app\/token until \d{4}-/);
    expect((await rekey(['due', '--within', '90', '--fail-if-any'])).code).toBe(0);
    expect((await rekey(['secret', 'due', '--within', '90', '--fail-if-any'])).code).toBe(0);
    // Still in the health report, marked snoozed (and not counted for the exit code).
    const report = await rekey(['health', '--within', '90', '--json', '--fail-on', 'info']);
    expect(report.code).toBe(0);
    expect((JSON.parse(report.stdout) as HealthReport).findings).toEqual([
      expect.objectContaining({
        kind: 'due',
        snoozed: expect.objectContaining({ reason: 'after the release' }),
      }),
    ]);
    const shown = JSON.parse(ok(await rekey(['secret', 'show', 'app/token', '--json'])).stdout);
    expect(shown.snooze.reason).toBe('after the release');
    expect(ok(await rekey(['history', '--kind', 'secret.snoozed'])).stdout).toContain(
      'snoozed for 14 days: after the release',
    );

    ok(await rekey(['secret', 'snooze', 'app/token', '--clear']));
    expect((await rekey(['due', '--within', '90', '--fail-if-any'])).code).toBe(21);
  });
});
