import type { Command } from 'commander';
import { action, collect } from '../command';
import { CliFailure, type CliIo } from '../context';
import { parseWhen, table } from '../format';

export function registerHistoryCommands(program: Command, io: CliIo): void {
  const history = program
    .command('history')
    .description('show the history (newest first), or verify it with `history verify`')
    .option('--secret <ref>', 'only events of this secret')
    .option('--deployment <name>', 'only events of this deployment')
    .option('--kind <kind>', 'only this kind, e.g. secret.revealed or secret (repeatable)', collect)
    .option('--since <when>', 'from this time: 2026-01-31, an ISO time, or 7d / 24h / 30m ago')
    .option('--until <when>', 'up to this time')
    .option('--limit <n>', 'at most this many events')
    .option('--oldest-first', 'oldest events first')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          flags: {
            secret?: string;
            deployment?: string;
            kind?: string[];
            since?: string;
            until?: string;
            limit?: string;
            oldestFirst?: boolean;
            json?: boolean;
          },
        ) => {
          const now = new Date();
          const filter = {
            ...(flags.secret ? { ref: flags.secret } : {}),
            ...(flags.deployment ? { deployment: flags.deployment } : {}),
            ...(flags.kind ? { kinds: flags.kind } : {}),
            ...(flags.since ? { since: parseWhen(flags.since, now) } : {}),
            ...(flags.until ? { until: parseWhen(flags.until, now) } : {}),
            ...(flags.limit ? { limit: Number(flags.limit) } : {}),
            order: flags.oldestFirst ? 'oldest' : 'newest',
          };
          await context.unlock();
          const events = await context.call('history.list', filter);
          if (flags.json) context.printJson(events);
          else if (events.length === 0) context.print('No events match.');
          else
            context.print(
              table(
                ['#', 'TIME (UTC)', 'SOURCE', 'KIND', 'SUMMARY'],
                events.map((e) => [String(e.seq), e.at, e.source, e.kind, e.summary]),
              ),
            );
        },
      ),
    );

  history
    .command('verify')
    .description('check the hash chain of every event and that replaying them gives the vault')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { json?: boolean }) => {
        await context.unlock();
        const report = await context.call('history.verify', {});
        if (flags.json) context.printJson(report);
        else if (report.ok) {
          context.print(
            `History verified: ${report.events} events in ${report.records} records, ${report.firstEventAt ?? '-'} .. ${report.lastEventAt ?? '-'}`,
          );
          context.print(`Chain head: ${report.head}`);
        }
        if (!report.ok) {
          throw new CliFailure(
            'HISTORY_TAMPERED',
            `History check failed: ${report.problems.join('; ')}`,
          );
        }
      }),
    );
}
