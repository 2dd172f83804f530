import type { Command } from 'commander';
import { action } from '../command';
import type { CliIo } from '../context';
import { table } from '../format';

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
