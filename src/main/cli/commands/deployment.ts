import type { Command } from 'commander';
import { action } from '../command';
import type { CliIo } from '../context';
import { table } from '../format';

export function registerDeploymentCommands(program: Command, io: CliIo): void {
  program
    .command('deployment')
    .description('deployments (stacks) in the vault')
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
              ['DEPLOYMENT', 'SECRETS', 'CREATED'],
              deployments.map((d) => [d.name, String(d.secrets), d.createdAt]),
            ),
          );
      }),
    );
}
