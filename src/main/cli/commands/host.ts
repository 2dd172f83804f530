import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { HostKeyProbe, LoginChoice } from '../../../shared/api';
import type { HostSummary } from '../../../shared/model';
import { action, collect, readStdinValue } from '../command';
import { CliFailure, type CliContext, type CliIo } from '../context';
import { table } from '../format';
import { promptTerminal } from '../password';

interface LoginFlags {
  agent?: boolean;
  generateKey?: boolean;
  keyFile?: string;
  passphraseStdin?: boolean;
}

async function loginFrom(flags: LoginFlags, io: CliIo): Promise<LoginChoice | undefined> {
  const chosen = [flags.agent, flags.generateKey, flags.keyFile].filter(Boolean).length;
  if (chosen > 1) {
    throw new CliFailure('INVALID_INPUT', 'Choose one of --agent, --generate-key, --key-file');
  }
  if (flags.agent) return { kind: 'agent' };
  if (flags.generateKey) return { kind: 'generate' };
  if (!flags.keyFile) return undefined;
  const privateKey = await readFile(flags.keyFile, 'utf8').catch((error: unknown) => {
    throw new CliFailure('IO', `Cannot read ${flags.keyFile}: ${(error as Error).message}`);
  });
  // The passphrase comes from stdin or a prompt, never from the command line.
  const passphrase = flags.passphraseStdin ? await readStdinValue(io) : undefined;
  return { kind: 'import', privateKey, ...(passphrase ? { passphrase } : {}) };
}

/** How the host logs Rekey in; add and update take the same choices. */
function withLoginOptions(command: Command): Command {
  return command
    .option('--agent', 'log in with the keys of ssh-agent (SSH_AUTH_SOCK)')
    .option('--generate-key', 'generate an ed25519 key pair kept in the vault')
    .option('--key-file <path>', 'import this OpenSSH private key into the vault')
    .option('--passphrase-stdin', "read the key file's passphrase from stdin");
}

function describeHost(host: HostSummary): string {
  const lines = [
    `${host.name}: ${host.user}@${host.address}:${host.port}${host.jump ? ` via ${host.jump}` : ''}`,
    host.auth.kind === 'key'
      ? `  login: key in the vault ${host.auth.keyFingerprint}${host.auth.passphraseProtected ? ' (passphrase-protected)' : ''}`
      : '  login: ssh-agent',
    host.hostKey
      ? `  host key: ${host.hostKey.algorithm} ${host.hostKey.fingerprint} (trusted ${host.hostKey.trustedAt})`
      : '  host key: not trusted yet (rekey host trust)',
    `  deployments: ${host.deployments.join(', ') || '-'}; secrets with targets here: ${host.targets}`,
  ];
  if (host.auth.kind === 'key') lines.push(`  public key: ${host.auth.publicKey}`);
  return lines.join('\n');
}

async function confirmTrust(
  context: CliContext,
  probe: HostKeyProbe,
  given?: string,
): Promise<string> {
  if (given) return given;
  if (!context.io.stdin.isTTY) {
    throw new CliFailure(
      'HOST_KEY_UNKNOWN',
      `Host ${probe.name} presents ${probe.fingerprint}; check it and run again with --trust-fingerprint ${probe.fingerprint}`,
    );
  }
  const answer = await promptTerminal(
    'Trust this key? Compare it with `ssh-keygen -lf` on the host. [y/N] ',
    false,
  );
  if (!/^y(es)?$/i.test(answer.trim()))
    throw new CliFailure('INVALID_INPUT', 'Not trusted; nothing was pinned');
  return probe.fingerprint;
}

export function registerHostCommands(program: Command, io: CliIo): void {
  const host = program.command('host').description('hosts Rekey reaches over SSH');

  withLoginOptions(host.command('add <name>'))
    .description('add a host; log in with a new key (--generate-key), a key file or ssh-agent')
    .requiredOption('--address <address>', 'host name or IP address')
    .option('--port <port>', 'SSH port', (value) => Number(value), 22)
    .option('--user <user>', 'user to log in as', 'root')
    .option('--jump <host>', 'connect through this host (added before)')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          name: string,
          flags: LoginFlags & {
            address: string;
            port: number;
            user: string;
            jump?: string;
            json?: boolean;
          },
        ) => {
          const login = (await loginFrom(flags, io)) ?? { kind: 'generate' };
          await context.unlock();
          const added = await context.call('hosts.add', {
            name,
            address: flags.address,
            port: flags.port,
            user: flags.user,
            jump: flags.jump ?? null,
            login,
          });
          if (flags.json) return context.printJson(added);
          context.print(describeHost(added));
          if (added.auth.kind === 'key' && login.kind === 'generate') {
            context.print(
              `\nAdd the public key to ~${added.user}/.ssh/authorized_keys on ${added.address}, then run: rekey host trust ${name}`,
            );
          }
        },
      ),
    );

  host
    .command('list')
    .description('list hosts')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { json?: boolean }) => {
        await context.unlock();
        const hosts = await context.call('hosts.list', {});
        if (flags.json) return context.printJson(hosts);
        if (hosts.length === 0) return context.print('No hosts yet (rekey host add).');
        context.print(
          table(
            ['HOST', 'ADDRESS', 'USER', 'LOGIN', 'HOST KEY', 'DEPLOYMENTS'],
            hosts.map((h) => [
              h.name,
              `${h.address}:${h.port}${h.jump ? ` via ${h.jump}` : ''}`,
              h.user,
              h.auth.kind === 'key' ? 'vault key' : 'agent',
              h.hostKey?.fingerprint ?? 'not trusted',
              h.deployments.join(',') || '-',
            ]),
          ),
        );
      }),
    );

  host
    .command('show <name>')
    .description('show a host, its login public key and pinned host key')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, name: string, flags: { json?: boolean }) => {
        await context.unlock();
        const found = await context.call('hosts.get', { name });
        if (flags.json) context.printJson(found);
        else context.print(describeHost(found));
      }),
    );

  host
    .command('trust <name>')
    .description("pin the host's SSH key after you compared its fingerprint")
    .option(
      '--trust-fingerprint <fingerprint>',
      'the SHA256:... fingerprint you checked (no prompt)',
    )
    .action(
      action(io, async (context, name: string, flags: { trustFingerprint?: string }) => {
        await context.unlock();
        const probe = await context.call('hosts.probe', { name });
        if (probe.status === 'match')
          return context.print(`${name}: ${probe.fingerprint} is already trusted.`);
        if (probe.status === 'changed') {
          context.notice(
            `WARNING: the host key of ${name} CHANGED.\n  pinned:    ${probe.pinned ?? ''}\n  presented: ${probe.fingerprint}\nOnly trust it if you know why it changed (reinstalled server, rotated host key).`,
          );
        } else {
          context.notice(`${name} presents a ${probe.algorithm} key:\n  ${probe.fingerprint}`);
        }
        const fingerprint = await confirmTrust(context, probe, flags.trustFingerprint);
        const trusted = await context.call('hosts.trust', { name, fingerprint });
        context.print(`${name}: trusted ${trusted.hostKey?.fingerprint ?? fingerprint}`);
      }),
    );

  withLoginOptions(host.command('update <name>'))
    .description("change a host's address, port, user, jump host or login")
    .option('--address <address>', 'host name or IP address (the host key must be trusted again)')
    .option('--port <port>', 'SSH port', (value) => Number(value))
    .option('--user <user>', 'user to log in as')
    .option('--jump <host>', 'connect through this host; "none" for direct')
    .action(
      action(
        io,
        async (
          context,
          name: string,
          flags: LoginFlags & { address?: string; port?: number; user?: string; jump?: string },
        ) => {
          const login = await loginFrom(flags, io);
          await context.unlock();
          const updated = await context.call('hosts.update', {
            name,
            address: flags.address,
            port: flags.port,
            user: flags.user,
            jump: flags.jump === undefined ? undefined : flags.jump === 'none' ? null : flags.jump,
            login,
          });
          context.print(describeHost(updated));
        },
      ),
    );

  host
    .command('rm <name>')
    .description('remove a host no deployment, jump chain or target uses')
    .action(
      action(io, async (context, name: string) => {
        await context.unlock();
        await context.call('hosts.remove', { name });
        context.print(`Host ${name} removed.`);
      }),
    );

  host
    .command('test <name>')
    .description('log in and run `id -un` and `uname -sr`')
    .action(
      action(io, async (context, name: string) => {
        await context.unlock();
        const result = await context.call('hosts.test', { name });
        context.print(
          `${name}: logged in as ${result.remoteUser} on ${result.system} in ${result.latencyMs} ms`,
        );
      }),
    );

  host
    .command('import-ssh-config')
    .description(
      'take hosts over from ~/.ssh/config (pins from known_hosts); a preview without --add/--all',
    )
    .option('--config <path>', 'OpenSSH client config', '~/.ssh/config')
    .option('--known-hosts <path>', 'known_hosts file', '~/.ssh/known_hosts')
    .option('--add <name>', 'add this host (repeatable)', collect, [])
    .option('--all', 'add every host not in the vault yet')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          flags: {
            config: string;
            knownHosts: string;
            add: string[];
            all?: boolean;
            json?: boolean;
          },
        ) => {
          await context.unlock();
          const preview = await context.call('hosts.importSshConfig', {
            configPath: flags.config,
            knownHostsPath: flags.knownHosts,
          });
          const add = flags.all
            ? preview.candidates.filter((c) => !c.exists).map((c) => c.name)
            : flags.add;
          const result =
            add.length > 0
              ? await context.call('hosts.importSshConfig', {
                  configPath: flags.config,
                  knownHostsPath: flags.knownHosts,
                  add,
                })
              : preview;
          if (flags.json) return context.printJson(result);
          context.print(
            table(
              ['HOST', 'ADDRESS', 'USER', 'LOGIN', 'PIN FROM known_hosts', 'STATUS', 'NOTE'],
              result.candidates.map((c) => [
                c.name,
                `${c.address}:${c.port}${c.jump ? ` via ${c.jump}` : ''}`,
                c.user,
                c.login,
                c.pinned ?? '-',
                result.added.includes(c.name) ? 'added' : c.exists ? 'in vault' : 'not added',
                c.note ?? '',
              ]),
            ),
          );
          if (add.length === 0)
            context.print('\nPreview only: add hosts with --add NAME or --all.');
        },
      ),
    );

  host
    .command('scan <name>')
    .description('find secrets in config files under --dir on a host (or "local"); read-only')
    .requiredOption('--dir <path>', 'absolute directory to search (repeatable)', collect, [])
    .option('--max-depth <n>', 'how deep to descend', (value) => Number(value), 4)
    .option('--deployment <name>', 'with --pick/--all-new: the deployment the secrets join')
    .option('--pick <n>', 'add finding number n to the inventory (repeatable)', collect, [])
    .option('--all-new', 'add every finding no secret tracks yet')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        io,
        async (
          context,
          name: string,
          flags: {
            dir: string[];
            maxDepth: number;
            deployment?: string;
            pick: string[];
            allNew?: boolean;
            json?: boolean;
          },
        ) => {
          await context.unlock();
          const report = await context.call('hosts.scan', {
            name,
            directories: flags.dir,
            maxDepth: flags.maxDepth,
          });
          const numbers = flags.allNew
            ? report.findings.flatMap((f, index) => (f.trackedBy ? [] : [index + 1]))
            : flags.pick.map(Number);
          if (numbers.length > 0 && !flags.deployment) {
            throw new CliFailure(
              'INVALID_INPUT',
              'Say which deployment the secrets join: --deployment NAME',
            );
          }
          const picks = numbers.map((number) => {
            const finding = report.findings[number - 1];
            if (!finding) throw new CliFailure('INVALID_INPUT', `No finding number ${number}`);
            return {
              path: finding.path,
              format: finding.format,
              key: finding.key,
              name: finding.suggestedName,
            };
          });
          const adopted =
            picks.length > 0 && flags.deployment
              ? await context.call('hosts.adopt', {
                  name,
                  deployment: flags.deployment,
                  picks,
                })
              : null;
          if (flags.json) return context.printJson({ ...report, adopted });
          context.print(
            table(
              ['#', 'FILE', 'KEY', 'SERVICE', 'STRENGTH', 'FINGERPRINT', 'STATUS'],
              report.findings.map((f, index) => [
                String(index + 1),
                `${f.path}:${f.line}`,
                f.key,
                f.service ?? '-',
                f.strength.rating +
                  (f.strength.problems.length > 0 ? ` (${f.strength.problems[0]})` : ''),
                `fp:${f.fingerprint}`,
                f.trackedBy
                  ? `tracked by ${f.trackedBy}`
                  : f.sameValueAs.length > 0
                    ? `same value as ${f.sameValueAs.join(', ')}`
                    : 'new',
              ]),
            ),
          );
          context.print(
            `\n${report.filesRead} files read, ${report.findings.length} secrets found.`,
          );
          for (const skipped of report.skipped)
            context.notice(`skipped ${skipped.path}: ${skipped.reason}`);
          if (adopted) {
            context.print(`Added ${adopted.added.length}: ${adopted.added.join(', ') || '-'}`);
            if (adopted.targetAdded.length > 0)
              context.print(`New target for: ${adopted.targetAdded.join(', ')}`);
            for (const skipped of adopted.skipped)
              context.notice(`not added ${skipped.name}: ${skipped.reason}`);
          } else if (report.findings.length > 0) {
            context.print('Add findings with --deployment NAME --pick N (or --all-new).');
          }
        },
      ),
    );
}
