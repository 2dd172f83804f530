import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_BUNDLE, type CliRun, initCliVault } from '../helpers/rekey-cli';
import { useTempDirs } from '../helpers/temp';
import { PASSWORD } from '../helpers/vault';

/**
 * Threat: secret values escaping through output, errors, the history or the files Rekey
 * writes. Every command of a realistic session runs with values we know; only `reveal` and
 * `generate` may print one, and nothing else may contain any of them in any common encoding.
 */
describe('secret values never leak', () => {
  const tempDir = useTempDirs();

  it('stay out of every output but reveal, out of the history and out of the files', async () => {
    const vault = await initCliVault(tempDir());
    const values = {
      entered: 'entered-value-7f3a9c2e51b04d68',
      imported: 'imported-value-9b1d44e0c3a2f5e7',
      renamed: 'name-like-value-0a9b8c7d6e5f',
      rotated: 'rotated-value-3c5e7a9b1d2f4e6a',
      weak: 'changeme',
    };
    const allowed: CliRun[] = [];
    const checked: CliRun[] = [];
    const run = async (args: string[], stdin?: string) => {
      const result = await vault.rekey(args, stdin === undefined ? {} : { stdin });
      checked.push(result);
      return result;
    };

    await run(
      ['secret', 'add', 'app/entered', '--value-stdin', '--description', 'plain text'],
      values.entered,
    );
    await run(['secret', 'add', 'app/weak', '--value-stdin'], values.weak);
    const env = join(vault.dir, 'app.env');
    writeFileSync(env, `API_TOKEN=${values.imported}\nOTHER_SECRET="${values.imported}"\n`);
    await run(['import', 'env', env, '--deployment', 'app', '--dry-run']);
    await run(['import', 'env', env, '--deployment', 'app']);
    await run(['secret', 'add', 'app/named', '--value-stdin'], values.renamed);
    await run(['secret', 'add', `app/${values.renamed}`, '--generate']);
    await run(['secret', 'set', 'app/entered', '--value-stdin'], values.rotated);
    await run([
      'secret',
      'edit',
      'app/entered',
      '--handling',
      `never paste ${values.rotated} anywhere`,
    ]);
    allowed.push(await vault.rekey(['secret', 'reveal', 'app/entered', 'previous']));
    for (const args of [
      ['secret', 'list'],
      ['secret', 'list', '--json'],
      ['secret', 'show', 'app/entered'],
      ['secret', 'show', 'app/entered', '--json'],
      ['secret', 'show', `app/${values.entered}`],
      ['secret', 'reveal', `app/${values.imported}`],
      ['history'],
      ['history', '--json'],
      ['history', 'verify', '--json'],
      ['deployment', 'list'],
      ['status', '--json'],
      ['compact'],
      ['secret', 'add', 'app/entered', '--value-stdin'],
    ]) {
      await run(args, values.entered);
    }

    expect(allowed[0]?.stdout.trim()).toBe(values.entered);
    const outputs = checked.map((r) => `${r.stdout}\n${r.stderr}`).join('\n');
    const files = readdirSync(vault.dir)
      .filter((name) => !name.endsWith('.env') && name !== 'password')
      .map((name) => readFileSync(join(vault.dir, name)).toString('latin1'))
      .join('\n');
    for (const [name, value] of Object.entries(values)) {
      const forms = [
        value,
        Buffer.from(value).toString('base64'),
        Buffer.from(value).toString('base64url'),
        encodeURIComponent(value),
      ];
      for (const form of forms) {
        if (name !== 'weak') expect(outputs, `${name} as ${form}`).not.toContain(form);
        expect(files, `${name} in the vault files`).not.toContain(form);
      }
    }
    // The one short placeholder is below the redactor's minimum length only if it is very
    // short; "changeme" is long enough to be redacted too.
    expect(outputs).not.toContain(values.weak);
    expect(outputs).toContain('[redacted fp:');
    // About twenty CLI processes, one after another: a loaded CI machine needs more than 30 s.
  }, 90_000);

  it('keeps passwords and values off the process list while a command runs', async () => {
    const vault = await initCliVault(tempDir());
    const value = 'process-list-value-5e4d3c2b1a09';
    const child = spawn(
      process.execPath,
      [
        CLI_BUNDLE,
        '--vault',
        vault.vaultPath,
        '--password-file',
        vault.passwordFile,
        'secret',
        'add',
        'app/s',
        '--value-stdin',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    // The command waits for its value on stdin: look at every process's arguments meanwhile.
    const deadline = Date.now() + 10_000;
    let processList = '';
    while (!processList.includes(CLI_BUNDLE)) {
      if (Date.now() > deadline) throw new Error('the command did not appear in ps');
      processList = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    }
    child.stdin.end(value);
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(processList).not.toContain(PASSWORD);
    expect(processList).not.toContain(value);
  });
});
