import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { action } from '../command';
import { type CliContext, CliFailure, type CliIo } from '../context';
import { table } from '../format';
import { registerClusterScan } from './cluster-scan';

/**
 * `rekey cluster`: Kubernetes clusters as hosts. A cluster is a context of a kubeconfig that
 * stays a file on this machine (`--kubeconfig PATH`), or whose text the vault keeps
 * (`--keep-kubeconfig PATH`: read once, then encrypted in the vault like any secret).
 */

const CLUSTER_HELP = `
A cluster's name is used like a host's: deployments list it (rekey deployment hosts), targets
name it. Without --context, the kubeconfig's current context is used; without --namespace, the
context's namespace (else "default").`;

interface KubeconfigFlags {
  kubeconfig?: string;
  keepKubeconfig?: string;
}

async function kubeconfigInput(flags: KubeconfigFlags) {
  if ((flags.kubeconfig === undefined) === (flags.keepKubeconfig === undefined)) {
    throw new CliFailure(
      'INVALID_INPUT',
      'Give the kubeconfig: --kubeconfig PATH (a file the vault points to) or --keep-kubeconfig PATH (kept in the vault)',
    );
  }
  if (flags.kubeconfig !== undefined) {
    return { kind: 'path' as const, path: resolve(flags.kubeconfig) };
  }
  const path = resolve(flags.keepKubeconfig ?? '');
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new CliFailure('INVALID_INPUT', `Cannot read ${path}: ${(error as Error).message}`);
  });
  return { kind: 'vault' as const, text };
}

function withKubeconfig(command: Command): Command {
  return command
    .option('--kubeconfig <path>', 'a kubeconfig file on this machine (the vault keeps its path)')
    .option('--keep-kubeconfig <path>', 'read this kubeconfig and keep its text in the vault');
}

async function listClusters(context: CliContext, flags: { json?: boolean }): Promise<void> {
  await context.unlock();
  const clusters = await context.call('clusters.list', {});
  if (flags.json) return context.printJson(clusters);
  if (clusters.length === 0) {
    return context.print('No clusters yet (rekey cluster add NAME --kubeconfig PATH).');
  }
  context.print(
    table(
      ['NAME', 'CONTEXT', 'NAMESPACE', 'KUBECONFIG'],
      clusters.map((cluster) => [
        cluster.name,
        cluster.context,
        cluster.namespace,
        cluster.kubeconfig.kind === 'path' ? cluster.kubeconfig.path : 'kept in the vault',
      ]),
    ),
  );
}

export function registerClusterCommands(program: Command, io: CliIo): void {
  const cluster = program
    .command('cluster')
    .description('Kubernetes clusters: a context of a kubeconfig, used like a host')
    .addHelpText('after', CLUSTER_HELP);

  withKubeconfig(cluster.command('contexts').description("a kubeconfig's contexts"))
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: KubeconfigFlags & { json?: boolean }) => {
        const kubeconfig = await kubeconfigInput(flags);
        const contexts = await context.call('clusters.contexts', { kubeconfig });
        if (flags.json) return context.printJson(contexts);
        context.print(
          table(
            ['CURRENT', 'NAME', 'SERVER', 'USER', 'NAMESPACE'],
            contexts.map((item) => [
              item.current ? '*' : '',
              item.name,
              item.server ?? '?',
              item.user ?? '',
              item.namespace,
            ]),
          ),
        );
      }),
    );

  withKubeconfig(cluster.command('add <name>').description('add a cluster'))
    .option('--context <name>', "the context to use (default: the kubeconfig's current one)")
    .option('--namespace <name>', "the namespace to use (default: the context's)")
    .option('--json', 'print the result as JSON')
    .addHelpText('after', CLUSTER_HELP)
    .action(
      action(
        io,
        async (
          context,
          name: string,
          flags: KubeconfigFlags & { context?: string; namespace?: string; json?: boolean },
        ) => {
          const kubeconfig = await kubeconfigInput(flags);
          await context.unlock();
          const added = await context.call('clusters.add', {
            name,
            kubeconfig,
            namespace: flags.namespace ?? null,
            ...(flags.context ? { context: flags.context } : {}),
          });
          if (flags.json) return context.printJson(added);
          context.print(
            `Added cluster ${added.name}: context ${added.context}, namespace ${added.namespace}`,
          );
        },
      ),
    );

  cluster
    .command('list')
    .description('clusters in the vault')
    .option('--json', 'print the result as JSON')
    .action(action(io, listClusters));

  cluster
    .command('test <name>')
    .description('reach the API, log in and list the Secrets of the namespace (names only)')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, name: string, flags: { json?: boolean }) => {
        await context.unlock();
        const result = await context.call('clusters.test', { name });
        if (flags.json) return context.printJson(result);
        context.print(
          `OK: ${result.server}, namespace ${result.namespace}: ${result.secrets} Secrets readable`,
        );
      }),
    );

  registerClusterScan(cluster, io);

  cluster
    .command('rm <name>')
    .description('remove a cluster (refused while a deployment or a target names it)')
    .action(
      action(io, async (context, name: string) => {
        await context.unlock();
        await context.call('clusters.remove', { name });
        context.print(`Removed cluster ${name}`);
      }),
    );
}
