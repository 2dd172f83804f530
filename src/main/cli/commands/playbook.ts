import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { PlaybookDetail, PlaybookSummary } from '../../../shared/api';
import { action } from '../command';
import { CliFailure, type CliIo } from '../context';
import { describePolicy, table } from '../format';

function listRows(playbooks: readonly PlaybookSummary[]): string[][] {
  return playbooks.flatMap((playbook) =>
    playbook.secrets.map((secret) => [
      playbook.id,
      playbook.service,
      secret.name,
      secret.difficulty,
      secret.guarded ? 'guarded' : 'routine',
    ]),
  );
}

function describePlaybook(playbook: PlaybookDetail): string {
  const lines = [
    `${playbook.id}: ${playbook.name} (service ${playbook.service}, ${playbook.source === 'builtin' ? 'built-in' : playbook.source})`,
    playbook.description,
    '',
    'Variables (a deployment sets those without a default):',
    ...playbook.variables.map(
      (variable) =>
        `  ${variable.name} = ${variable.default ?? '(required)'}\n      ${variable.description}`,
    ),
  ];
  for (const secret of playbook.secrets) {
    const generator = secret.generator
      ? `${secret.generator.kind}:${secret.generator.length}`
      : 'none';
    lines.push(
      '',
      `${secret.name}  [${secret.difficulty}; ${describePolicy(secret.policy)}; generator ${generator}]`,
      `  description: ${secret.description}`,
      `  impact:      ${secret.impact}`,
      `  handling:    ${secret.handling}`,
    );
    if (secret.guarded) lines.push(`  GUARDED:     ${secret.guardReason ?? ''}`);
    lines.push('  targets:');
    for (const target of secret.targets) {
      const key = target.key ? ` ${target.key}` : '';
      lines.push(
        `    ${target.id}: ${target.path}${key} (${target.format}, read by ${target.service})`,
      );
    }
    lines.push('  checklist:');
    for (const item of secret.checklist) lines.push(`    [ ] ${item.text}`);
    lines.push('  steps:');
    secret.steps.forEach((step, index) => {
      lines.push(`    ${index + 1}. ${step.kind}: ${step.title}`);
      if (step.detail) lines.push(`       ${step.detail}`);
    });
  }
  return lines.join('\n');
}

async function readPlaybookFile(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: unknown) => {
    throw new CliFailure('IO', `Cannot read ${file}: ${(error as Error).message}`);
  });
}

export function registerPlaybookCommands(program: Command, io: CliIo): void {
  const playbook = program
    .command('playbook')
    .description('the playbooks that describe how each service secret is rotated');

  playbook
    .command('list')
    .description('built-in playbooks and their secrets; guarded ones refuse routine rotation')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { json?: boolean }) => {
        const playbooks = await context.call('playbooks.list', {});
        if (flags.json) return context.printJson(playbooks);
        context.print(
          table(['PLAYBOOK', 'SERVICE', 'SECRET', 'DIFFICULTY', 'ROTATION'], listRows(playbooks)),
        );
      }),
    );

  playbook
    .command('show <id>')
    .description('variables, secrets, checklist and steps of a playbook')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, id: string, flags: { json?: boolean }) => {
        const detail = await context.call('playbooks.get', { id });
        if (flags.json) context.printJson(detail);
        else context.print(describePlaybook(detail));
      }),
    );

  playbook
    .command('add <file>')
    .description('check a playbook file and keep it in the vault (an existing id is replaced)')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, file: string, flags: { json?: boolean }) => {
        const text = await readPlaybookFile(file);
        await context.unlock();
        const added = await context.call('playbooks.add', { text, fileName: file });
        if (flags.json) return context.printJson(added);
        const count = added.secrets.length;
        context.print(
          `Playbook ${added.id} (${added.name}, ${count} secret${count === 1 ? '' : 's'}) is kept in the vault ${context.vaultPath}`,
        );
        context.notice(`Use it: rekey deployment playbook DEPLOYMENT ${added.id} --var name=value`);
      }),
    );

  playbook
    .command('rm <id>')
    .description('remove a playbook kept in the vault (refused while a deployment uses it)')
    .action(
      action(io, async (context, id: string) => {
        await context.unlock();
        const removed = await context.call('playbooks.remove', { id });
        context.print(`Removed playbook ${removed.id} from the vault`);
      }),
    );

  playbook
    .command('validate <file>')
    .description('check a playbook file; every problem is printed as file:line: field: message')
    .action(
      action(io, async (context, file: string) => {
        const text = await readPlaybookFile(file);
        const result = await context.call('playbooks.validate', { text, fileName: file });
        if (result.valid) {
          const count = result.playbook.secrets.length;
          context.print(
            `${file}: valid (playbook ${result.playbook.id}, ${count} secret${count === 1 ? '' : 's'})`,
          );
          return;
        }
        for (const problem of result.problems) context.notice(problem.text);
        const count = result.problems.length;
        throw new CliFailure(
          'INVALID_INPUT',
          `${file}: ${count} problem${count === 1 ? '' : 's'}; the playbook is not valid`,
        );
      }),
    );
}
