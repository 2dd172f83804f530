import { type Command, Option } from 'commander';
import type { NewValueInput } from '../../../shared/api';
import { RekeyError } from '../../../shared/errors';
import {
  DIFFICULTIES,
  type SecretDetail,
  type SecretMetadata,
  type SecretSummary,
} from '../../../shared/model';
import { parseGeneratorSpec } from '../../vault/generate';
import { action, collect, readStdinValue } from '../command';
import type { CliContext, CliIo } from '../context';
import {
  SECRET_COLUMNS,
  describePolicy,
  describeSecret,
  parseDays,
  secretRows,
  table,
} from '../format';
import { promptHidden, promptTerminal } from '../password';
import { ExitWith, SECRETS_DUE_EXIT_CODE } from './exit-codes';

interface MetadataFlags {
  service?: string;
  description?: string;
  impact?: string;
  difficulty?: SecretMetadata['difficulty'];
  handling?: string;
  rotateEvery?: string;
  routineRotation?: boolean;
  generator?: string;
  tag?: string[];
  compromised?: boolean;
}

function addMetadataOptions(command: Command): Command {
  return command
    .option('--service <name>', 'the service that uses it (synctv, livekit, synapse, ...)')
    .option('--description <text>', 'what the secret is')
    .option('--impact <text>', 'what breaks if it is lost')
    .addOption(new Option('--difficulty <level>', 'how hard rotating it is').choices(DIFFICULTIES))
    .option('--handling <text>', 'how to handle it (who may see it, what to do on rotation)')
    .option('--rotate-every <days>', 'rotation policy: every N days (90, 12w, 1y)')
    .option('--no-routine-rotation', 'rotation policy: do not rotate routinely')
    .option('--generator <KIND:LEN>', 'how new values are generated (base64:32, hex:32, ...)')
    .option('--tag <tag>', 'a tag (repeatable)', collect);
}

function metadataFrom(flags: MetadataFlags): Partial<SecretMetadata> {
  const metadata: Partial<SecretMetadata> = {};
  if (flags.service !== undefined) metadata.service = flags.service;
  if (flags.description !== undefined) metadata.description = flags.description;
  if (flags.impact !== undefined) metadata.impact = flags.impact;
  if (flags.difficulty !== undefined) metadata.difficulty = flags.difficulty;
  if (flags.handling !== undefined) metadata.handling = flags.handling;
  if (flags.rotateEvery !== undefined && flags.routineRotation === false) {
    throw new RekeyError(
      'INVALID_INPUT',
      '--rotate-every and --no-routine-rotation contradict each other',
    );
  }
  if (flags.rotateEvery !== undefined)
    metadata.policy = { kind: 'interval', days: parseDays(flags.rotateEvery) };
  if (flags.routineRotation === false) metadata.policy = { kind: 'manual' };
  if (flags.generator !== undefined) metadata.generator = parseGeneratorSpec(flags.generator);
  if (flags.tag !== undefined) metadata.tags = [...new Set(flags.tag)];
  if (flags.compromised !== undefined) metadata.compromised = flags.compromised;
  return metadata;
}

async function valueFrom(
  io: CliIo,
  flags: { generate?: string | boolean; valueStdin?: boolean },
): Promise<NewValueInput | undefined> {
  if (flags.generate !== undefined && flags.valueStdin) {
    throw new RekeyError('INVALID_INPUT', 'Use either --generate or --value-stdin, not both');
  }
  if (flags.valueStdin) {
    const value = io.stdin.isTTY
      ? await promptHidden('Value (hidden): ')
      : await readStdinValue(io);
    if (value.length === 0)
      throw new RekeyError('INVALID_INPUT', 'The value is empty; nothing was changed');
    return { kind: 'enter', value };
  }
  if (typeof flags.generate === 'string')
    return { kind: 'generate', spec: parseGeneratorSpec(flags.generate) };
  if (flags.generate === true) return { kind: 'generate' };
  return undefined;
}

function reportValue(
  context: CliContext,
  verb: string,
  secret: SecretDetail,
  json?: boolean,
): void {
  if (json) {
    context.printJson(secret);
    return;
  }
  const version = secret.versions[0];
  const how = version ? `${version.origin}, ${version.strength.rating}` : '';
  context.print(`${verb} ${secret.ref}: fp:${secret.currentFingerprint ?? '-'} (${how})`);
  for (const problem of version?.strength.problems ?? []) context.warn(`${secret.ref}: ${problem}`);
}

/**
 * Days until the rotation deadline of an interval policy (negative: overdue by that many);
 * 0 for a secret without a value; null when the policy sets no deadline.
 */
function daysLeft(secret: SecretSummary): number | null {
  if (secret.policy.kind !== 'interval') return null;
  return secret.ageDays === null ? 0 : secret.policy.days - secret.ageDays;
}

function describeDeadline(left: number | null): string {
  if (left === null) return '-';
  if (left < 0) return `${-left}d overdue`;
  if (left === 0) return 'today';
  return `in ${left}d`;
}

export function registerSecretCommands(program: Command, io: CliIo): void {
  const secret = program
    .command('secret')
    .description('add, list, show, reveal and change secrets');

  addMetadataOptions(
    secret
      .command('add <ref>')
      .description('add a secret (deployment/name); generates a value unless --value-stdin')
      .option('--generate [KIND:LEN]', 'generate the value (default base64:32)')
      .option('--value-stdin', 'read the value from stdin (or ask, on a terminal)')
      .option('--compromised', 'flag it as compromised')
      .option('--json', 'print the result as JSON'),
  ).action(
    action(
      io,
      async (
        context,
        ref: string,
        flags: MetadataFlags & {
          generate?: string | boolean;
          valueStdin?: boolean;
          json?: boolean;
        },
      ) => {
        const value = await valueFrom(io, flags);
        await context.unlock();
        const created = await context.call('secrets.add', {
          ref,
          metadata: metadataFrom(flags),
          ...(value ? { value } : {}),
        });
        reportValue(context, 'Added', created, flags.json);
      },
    ),
  );

  secret
    .command('list')
    .description('list secrets (never their values)')
    .option('--deployment <name>', 'only this deployment')
    .option('--due', 'only secrets due or overdue for rotation')
    .option('--weak', 'only weak secrets')
    .option('--compromised', 'only compromised secrets')
    .option('--tag <tag>', 'only secrets with this tag')
    .option('--search <text>', 'match reference, service or tags')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          flags: {
            deployment?: string;
            due?: boolean;
            weak?: boolean;
            compromised?: boolean;
            tag?: string;
            search?: string;
            json?: boolean;
          },
        ) => {
          await context.unlock();
          const { json, search, ...filter } = flags;
          const secrets = await context.call('secrets.list', {
            ...filter,
            ...(search ? { text: search } : {}),
          });
          if (json) context.printJson(secrets);
          else if (secrets.length === 0) context.print('No secrets match.');
          else context.print(table(SECRET_COLUMNS, secretRows(secrets)));
        },
      ),
    );

  secret
    .command('due')
    .description(
      'secrets due or overdue for rotation by their policy (due: within 14 days of the deadline)',
    )
    .option(
      '--within <days>',
      'instead: every secret with an interval policy whose deadline is at most DAYS away (90, 12w)',
    )
    .option('--deployment <name>', 'only this deployment')
    .option('--fail-if-any', `exit with code ${SECRETS_DUE_EXIT_CODE} when any secret is listed`)
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          flags: { within?: string; deployment?: string; failIfAny?: boolean; json?: boolean },
        ) => {
          const within = flags.within === undefined ? undefined : parseDays(flags.within);
          await context.unlock();
          const filter = flags.deployment ? { deployment: flags.deployment } : {};
          const secrets =
            within === undefined
              ? await context.call('secrets.list', { ...filter, due: true })
              : (await context.call('secrets.list', filter)).filter((secret) => {
                  const left = daysLeft(secret);
                  return left !== null && left <= within;
                });
          const rows = secrets
            // Snoozed secrets are left out until their snooze ends (`rekey health` shows them).
            .filter((secret) => !secret.snooze)
            .map((secret) => ({ ...secret, dueInDays: daysLeft(secret) }))
            .sort((a, b) => (a.dueInDays ?? 0) - (b.dueInDays ?? 0));
          if (flags.json) context.printJson(rows);
          else if (rows.length === 0)
            context.print(
              within === undefined
                ? 'Nothing is due for rotation.'
                : `Nothing is due for rotation within ${within} days.`,
            );
          else
            context.print(
              table(
                ['SECRET', 'STATUS', 'AGE', 'POLICY', 'DEADLINE'],
                rows.map((secret) => [
                  secret.ref,
                  secret.rotation,
                  secret.ageDays === null ? '-' : `${secret.ageDays}d`,
                  describePolicy(secret.policy),
                  describeDeadline(secret.dueInDays),
                ]),
              ),
            );
          if (flags.failIfAny && rows.length > 0) {
            throw new ExitWith(
              SECRETS_DUE_EXIT_CODE,
              `${rows.length} secret${rows.length === 1 ? ' is' : 's are'} due for rotation`,
            );
          }
        },
      ),
    );

  secret
    .command('show <ref>')
    .description('show metadata and versions (by fingerprint, never the value)')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, ref: string, flags: { json?: boolean }) => {
        await context.unlock();
        const detail = await context.call('secrets.get', { ref });
        if (flags.json) context.printJson(detail);
        else context.print(describeSecret(detail));
      }),
    );

  secret
    .command('reveal <ref> [version]')
    .description(
      'print the value (recorded in the history); version: current (default), previous, ' +
        'pending, a version id or a fingerprint',
    )
    .action(
      action(io, async (context, ref: string, version: string | undefined) => {
        await context.unlock();
        const revealed = await context.call('secrets.reveal', {
          ref,
          ...(version ? { version } : {}),
        });
        context.printSecret(revealed.value);
      }),
    );

  secret
    .command('set <ref>')
    .description('store a new value as the current version (the old one becomes previous)')
    .option('--generate [KIND:LEN]', "generate it (default: the secret's generator)")
    .option('--value-stdin', 'read the value from stdin (or ask, on a terminal)')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          ref: string,
          flags: { generate?: string | boolean; valueStdin?: boolean; json?: boolean },
        ) => {
          const value = await valueFrom(io, flags);
          if (!value) throw new RekeyError('INVALID_INPUT', 'Give --value-stdin or --generate');
          await context.unlock();
          reportValue(
            context,
            'Updated',
            await context.call('secrets.setValue', { ref, value }),
            flags.json,
          );
        },
      ),
    );

  addMetadataOptions(
    secret
      .command('edit <ref>')
      .description('change metadata')
      .option('--compromised', 'flag it as compromised')
      .option('--not-compromised', 'clear the compromised flag')
      .option('--json', 'print the result as JSON'),
  ).action(
    action(
      io,
      async (
        context,
        ref: string,
        flags: MetadataFlags & { notCompromised?: boolean; json?: boolean },
      ) => {
        if (flags.compromised && flags.notCompromised) {
          throw new RekeyError(
            'INVALID_INPUT',
            '--compromised and --not-compromised contradict each other',
          );
        }
        const changes = metadataFrom({
          ...flags,
          ...(flags.notCompromised ? { compromised: false } : {}),
        });
        if (Object.keys(changes).length === 0)
          throw new RekeyError('INVALID_INPUT', 'Nothing to change: give at least one option');
        await context.unlock();
        const updated = await context.call('secrets.update', { ref, changes });
        if (flags.json) context.printJson(updated);
        else context.print(`Updated ${updated.ref}`);
      },
    ),
  );

  secret
    .command('rm <ref>')
    .description('remove from the inventory (versions stay in the history)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(io, async (context, ref: string, flags: { yes?: boolean }) => {
        if (!flags.yes) {
          if (!io.stdin.isTTY)
            throw new RekeyError(
              'INVALID_INPUT',
              `Removing ${ref} needs --yes when not run from a terminal`,
            );
          const answer = await promptTerminal(
            `Remove ${ref} from the inventory? Type its name to confirm: `,
            false,
          );
          if (answer !== ref)
            throw new RekeyError('INVALID_INPUT', 'Not confirmed; nothing was changed');
        }
        await context.unlock();
        await context.call('secrets.remove', { ref });
        context.print(`Removed ${ref}`);
      }),
    );
}
