import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliRun, initCliVault } from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';

/**
 * `rekey secret exposed`, `rekey incident ...` and `rekey host compromised` through the built
 * CLI: a leak recorded and worked through from a terminal or a script, the report written to a
 * file, and no value in any output.
 */

const tempDir = useTempDirs();
const DB_PASSWORD = 'db-password-4f7a9c1e2b8d6a3f5e0c';
const API_KEY = 'api-key-9b2c7e4a1f6d8c3b0a5e';

function ok(run: CliRun): CliRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}\n${run.stdout}`);
  return run;
}

describe('rekey incident', () => {
  it('records a leak, works it through and writes the report, never printing a value', async () => {
    const dir = tempDir();
    const vault = await initCliVault(dir);
    const runs: CliRun[] = [];
    const rekey = async (args: readonly string[]) => {
      const run = await vault.rekey(args, { timeoutMs: 60_000 });
      runs.push(run);
      return run;
    };
    // Found on this machine and adopted: the secrets know where they live (their targets).
    const srv = join(dir, 'srv');
    mkdirSync(srv);
    writeFileSync(join(srv, '.env'), `DB_PASSWORD=${DB_PASSWORD}\nAPI_KEY=${API_KEY}\n`);
    ok(await rekey(['host', 'scan', 'local', '--dir', srv, '--deployment', 'shop', '--all-new']));
    const refs = (
      JSON.parse(ok(await rekey(['secret', 'list', '--json'])).stdout) as { ref: string }[]
    )
      .map((secret) => secret.ref)
      .sort();
    expect(refs).toEqual(['shop/API_KEY', 'shop/DB_PASSWORD']);

    const exposed = ok(
      await rekey([
        'secret',
        'exposed',
        'shop/DB_PASSWORD',
        '--note',
        'in a screenshot on the forum',
        '--detected-at',
        '2026-11-22T21:10:00Z',
      ]),
    );
    const id = /marked exposed in (i_\S+)/.exec(exposed.stdout)?.[1] ?? '';
    expect(id).toMatch(/^i_/);
    expect(exposed.stdout).toContain('[ ] assess: Assess the scope');
    expect(exposed.stdout).toContain('rekey rotate shop/DB_PASSWORD');

    const listed = ok(await rekey(['secret', 'list', '--compromised']));
    expect(listed.stdout).toContain('shop/DB_PASSWORD');
    expect(listed.stdout).not.toContain('shop/API_KEY');

    // A unique start of the id is enough.
    const short = id.slice(0, 6);
    ok(await rekey(['incident', 'note', short, 'Forum post removed', '--kind', 'action']));
    ok(
      await rekey([
        'incident',
        'note',
        short,
        'Screenshot posted',
        '--kind',
        'detection',
        '--at',
        '2026-11-22T20:55:00Z',
      ]),
    );
    ok(await rekey(['incident', 'respond', short, 'shop/DB_PASSWORD', 'assess', 'done']));
    const bad = await rekey(['incident', 'note', short, 'x', '--kind', 'gossip']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Entry kinds: detection');

    const compromised = ok(await rekey(['host', 'compromised', 'local', '--incident', short]));
    expect(compromised.stdout).toContain('2 secrets held a value there');
    expect(compromised.stdout).toContain('rekey rotate shop/API_KEY shop/DB_PASSWORD');

    ok(await rekey(['incident', 'update', short, '--owner-note', 'Ana (ops), +49 30 1234']));
    const nothing = await rekey(['incident', 'update', short]);
    expect(nothing.code).toBe(2);
    const shown = ok(await rekey(['incident', 'show', short]));
    expect(shown.stdout).toContain('owner: Ana (ops), +49 30 1234');
    const timeline = shown.stdout.slice(shown.stdout.indexOf('Timeline (UTC):'));
    expect(timeline.indexOf('Screenshot posted')).toBeLessThan(
      timeline.indexOf('Opened, severity 1'),
    );
    expect(shown.stdout).toContain('shop/DB_PASSWORD: STILL EXPOSED');

    const refused = await rekey(['incident', 'close', short]);
    expect(refused.code).toBe(2);
    ok(
      await rekey([
        'incident',
        'close',
        short,
        '--summary',
        'Password leaked in a screenshot; rotation planned.',
        '--follow-up',
        'Rotate shop/DB_PASSWORD',
      ]),
    );
    const closing = runs.at(-1);
    expect(closing?.stderr).toContain(
      'still exposed (compromised until rotated): shop/DB_PASSWORD, shop/API_KEY',
    );

    const report = join(dir, 'report.md');
    ok(await rekey(['incident', 'export', short, '--out', report, '--time-zone', 'UTC']));
    const markdown = readFileSync(report, 'utf8');
    expect(markdown).toContain('# Incident report: shop/DB_PASSWORD exposed');
    expect(markdown).toContain('- [ ] Rotate shop/DB_PASSWORD');
    expect(markdown).toContain('| 2026-11-22 20:55:00 UTC |');
    const json = JSON.parse(ok(await rekey(['incident', 'show', short, '--json'])).stdout);
    expect(json.status).toBe('closed');
    const listJson = JSON.parse(ok(await rekey(['incident', 'list', '--json'])).stdout);
    expect(listJson).toEqual([expect.objectContaining({ id, status: 'closed', stillExposed: 2 })]);

    for (const run of runs) {
      for (const value of [DB_PASSWORD, API_KEY]) {
        expect(run.stdout).not.toContain(value);
        expect(run.stderr).not.toContain(value);
      }
    }
    expect(markdown).not.toContain(DB_PASSWORD);
  }, 120_000);
});
