import type { Command } from 'commander';
import { action, collect } from '../command';
import { CliFailure, type CliIo } from '../context';
import { table } from '../format';

/** `name=value` pairs from repeated options; names are not secret, nor are the values. */
function pairs(option: string, given: readonly string[] = []): Record<string, string> {
  const result: Record<string, string> = {};
  for (const text of given) {
    const at = text.indexOf('=');
    const name = at > 0 ? text.slice(0, at).trim() : '';
    if (!name) throw new CliFailure('INVALID_INPUT', `${option} takes name=value, got "${text}"`);
    if (name in result) throw new CliFailure('INVALID_INPUT', `${option} ${name} is given twice`);
    result[name] = text.slice(at + 1);
  }
  return result;
}

export function registerDeploymentCommands(program: Command, io: CliIo): void {
  const deployment = program.command('deployment').description('deployments (stacks) in the vault');
  deployment
    .command('hosts <deployment> [hosts...]')
    .description('set the hosts a deployment runs on ("local" is this machine); none to clear')
    .action(
      action(io, async (context, name: string, hosts: string[]) => {
        await context.unlock();
        const updated = await context.call('deployments.setHosts', { name, hosts });
        context.print(`${updated.name} runs on ${updated.hosts.join(', ') || 'no host'}`);
      }),
    );
  deployment
    .command('playbook <deployment> [playbook]')
    .description(
      'set the playbook its secrets rotate by, with its variables and target hosts; --none to clear',
    )
    .option('--none', "rotate by the secrets' own targets, without a playbook")
    .option('--var <name=value>', 'a playbook variable (repeatable; not secret)', collect)
    .option(
      '--target-host <target=host>',
      "the host of one of the playbook's targets (repeatable; default: the deployment's host)",
      collect,
    )
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          name: string,
          playbook: string | undefined,
          flags: { none?: boolean; var?: string[]; targetHost?: string[]; json?: boolean },
        ) => {
          if (Boolean(flags.none) === (playbook !== undefined)) {
            throw new CliFailure('INVALID_INPUT', 'Give a playbook id, or --none (not both)');
          }
          if (flags.none && (flags.var !== undefined || flags.targetHost !== undefined)) {
            throw new CliFailure(
              'INVALID_INPUT',
              '--none takes no --var or --target-host: without a playbook there are none',
            );
          }
          const variables = pairs('--var', flags.var);
          const targetHosts = pairs('--target-host', flags.targetHost);
          await context.unlock();
          const updated = await context.call('deployments.setPlaybook', {
            name,
            playbook: playbook ?? null,
            variables,
            targetHosts,
          });
          if (flags.json) return context.printJson(updated);
          if (!updated.playbook) {
            context.print(`${updated.name} rotates by its secrets' targets (no playbook)`);
            return;
          }
          context.print(`${updated.name} rotates by playbook ${updated.playbook.id}`);
          for (const [variable, value] of Object.entries(updated.playbook.variables))
            context.print(`  ${variable} = ${value}`);
          for (const [target, host] of Object.entries(updated.playbook.targetHosts))
            context.print(`  target ${target} on ${host}`);
        },
      ),
    );
  deployment
    .command('list')
    .description('list deployments and how many secrets each holds')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { json?: boolean }) => {
        await context.unlock();
        const deployments = await context.call('deployments.list', {});
        if (flags.json) context.printJson(deployments);
        else if (deployments.length === 0) context.print('No deployments yet.');
        else
          context.print(
            table(
              ['DEPLOYMENT', 'HOSTS', 'SECRETS', 'CREATED'],
              deployments.map((d) => [
                d.name,
                d.hosts.join(',') || '-',
                String(d.secrets),
                d.createdAt,
              ]),
            ),
          );
      }),
    );
}
