import { type FileHandle, open, readFile, unlink } from 'node:fs/promises';
import type { Command } from 'commander';
import { fingerprintSchema } from '../../../shared/backup-api';
import { action, readStdinValue } from '../command';
import { type CliContext, CliFailure, type CliIo } from '../context';
import { table } from '../format';
import { readPassphraseFile } from './backup';

/**
 * `rekey key`: the OpenPGP keys backup bundles are encrypted to. A private key leaves Rekey
 * only into a file created for it (mode 0600, never over an existing file), or on stdout when
 * `--out -` asks for exactly that.
 */

const KEY_HELP = `
A generated key's private part is kept in the vault (--keep-private: backup verify and restore
can then use it) or written once to --out FILE (created with mode 0600; an existing file is
never overwritten), for paper or a USB stick; --out - prints it on stdout instead.
--passphrase-file protects the private key with the passphrase in that file.
key export prints the public key (for gpg --import on another machine); --private needs --out.`;

/** A file created for a key: refused when it exists, so nothing is ever overwritten. */
async function createKeyFile(path: string, mode: number): Promise<FileHandle> {
  try {
    return await open(path, 'wx', mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new CliFailure('ALREADY_EXISTS', `${path} exists; nothing was written over it`);
    throw new CliFailure('INVALID_INPUT', `Cannot create ${path}: ${(error as Error).message}`);
  }
}

function parseFingerprint(text: string): string {
  const parsed = fingerprintSchema.safeParse(text);
  if (!parsed.success) {
    throw new CliFailure(
      'INVALID_INPUT',
      `Expected a 40-hex-digit key fingerprint (rekey key list), got "${text}"`,
    );
  }
  return parsed.data;
}

interface GenerateFlags {
  email?: string;
  keepPrivate?: boolean;
  out?: string;
  passphraseFile?: string;
  json?: boolean;
}

async function generateKey(context: CliContext, name: string, flags: GenerateFlags): Promise<void> {
  if (Boolean(flags.keepPrivate) === (flags.out !== undefined)) {
    throw new CliFailure(
      'INVALID_INPUT',
      'Say where the private key goes: --keep-private (in the vault) or --out FILE (a new file; ' +
        '"-" for stdout)',
    );
  }
  const toStdout = flags.out === '-';
  if (toStdout && flags.json)
    throw new CliFailure('INVALID_INPUT', '--out - prints the private key: it takes no --json');
  const passphrase =
    flags.passphraseFile === undefined ? undefined : await readPassphraseFile(flags.passphraseFile);
  await context.unlock();
  // Created before the key exists: a file in the way stops everything, the key is not lost.
  const file = flags.out !== undefined && !toStdout ? await createKeyFile(flags.out, 0o600) : null;
  let generated;
  try {
    generated = await context.call('keys.generate', {
      name,
      keepPrivate: Boolean(flags.keepPrivate),
      ...(flags.email ? { email: flags.email } : {}),
      ...(passphrase === undefined ? {} : { passphrase }),
    });
    if (file && generated.privateKey !== null) {
      await file.writeFile(generated.privateKey);
      await file.sync();
    }
  } catch (error) {
    if (file && flags.out) await unlink(flags.out).catch(() => undefined);
    throw error;
  } finally {
    await file?.close();
  }
  const where = flags.keepPrivate
    ? 'kept in the vault'
    : toStdout
      ? 'printed on stdout'
      : `written to ${flags.out ?? ''} (mode 0600)`;
  if (toStdout && generated.privateKey !== null)
    context.printSecret(generated.privateKey.trimEnd());
  if (flags.json) {
    context.printJson({
      fingerprint: generated.fingerprint,
      publicKey: generated.publicKey,
      privateKey: flags.keepPrivate ? 'vault' : (flags.out ?? null),
    });
    return;
  }
  const report = [
    `Generated OpenPGP key ${generated.fingerprint} (${name}${flags.email ? ` <${flags.email}>` : ''})`,
    `  private key: ${where}${passphrase === undefined ? '' : ', protected by the passphrase'}`,
    `  encrypt bundles to it: rekey backup create DEPLOYMENT --to DIR --recipient ${generated.fingerprint}`,
    `  its public key: rekey key export ${generated.fingerprint}`,
  ].join('\n');
  // With the private key on stdout, everything else goes to stderr.
  if (toStdout) context.notice(report);
  else context.print(report);
}

async function exportKey(
  context: CliContext,
  fingerprint: string,
  flags: { private?: boolean; out?: string },
): Promise<void> {
  const wanted = parseFingerprint(fingerprint);
  if (flags.private && flags.out === undefined) {
    throw new CliFailure(
      'INVALID_INPUT',
      'A private key goes to a new file: --out FILE (or --out - to print it on stdout)',
    );
  }
  await context.unlock();
  const file =
    flags.out !== undefined && flags.out !== '-'
      ? await createKeyFile(flags.out, flags.private ? 0o600 : 0o644)
      : null;
  try {
    const exported = await context.call('keys.export', {
      fingerprint: wanted,
      private: Boolean(flags.private),
    });
    // A private key that came back as anything but a key block (say, redacted) is refused:
    // a file that only looks like a key backup is worse than none.
    if (flags.private && !exported.armored.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')) {
      throw new CliFailure(
        'INTERNAL',
        `The private key of ${exported.fingerprint} did not come back as an armored key block; nothing was written`,
      );
    }
    if (!file) {
      context.printSecret(exported.armored.trimEnd());
      return;
    }
    await file.writeFile(exported.armored);
    await file.sync();
    context.notice(
      `${flags.private ? 'Private' : 'Public'} key ${exported.fingerprint} written to ${flags.out ?? ''}`,
    );
  } catch (error) {
    if (file && flags.out) await unlink(flags.out).catch(() => undefined);
    throw error;
  } finally {
    await file?.close();
  }
}

export function registerKeyCommands(program: Command, io: CliIo): void {
  const key = program
    .command('key')
    .description('OpenPGP keys backup bundles are encrypted to')
    .addHelpText('after', KEY_HELP);

  key
    .command('generate <name>')
    .description('generate a key pair; the private key is kept in the vault or written to a file')
    .option('--email <address>', 'email address in the user id')
    .option('--keep-private', 'keep the private key in the vault')
    .option('--out <file>', 'write the private key to this new file (mode 0600); "-" for stdout')
    .option('--passphrase-file <file>', 'protect the private key with the passphrase in this file')
    .option('--json', 'print the result as JSON (never the private key)')
    .addHelpText('after', KEY_HELP)
    .action(action(io, generateKey));

  key
    .command('list')
    .description('keys in the vault')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, flags: { json?: boolean }) => {
        await context.unlock();
        const keys = await context.call('keys.list', {});
        if (flags.json) return context.printJson(keys);
        if (keys.length === 0)
          return context.print('No keys yet (rekey key generate NAME, rekey key import FILE).');
        context.print(
          table(
            ['FINGERPRINT', 'PRIVATE KEY', 'ADDED', 'NAME'],
            keys.map((k) => [
              k.fingerprint,
              k.hasPrivateKey
                ? k.privateKeyProtected
                  ? 'in vault, passphrase-protected'
                  : 'in vault'
                : 'public only',
              k.addedAt,
              k.name,
            ]),
          ),
        );
      }),
    );

  key
    .command('import <file>')
    .description('add an armored public key, or a private key the vault keeps ("-": stdin)')
    .option('--json', 'print the result as JSON')
    .action(
      action(io, async (context, file: string, flags: { json?: boolean }) => {
        const armored =
          file === '-'
            ? await readStdinValue(io)
            : await readFile(file, 'utf8').catch((error: unknown) => {
                throw new CliFailure(
                  'INVALID_INPUT',
                  `Cannot read ${file}: ${(error as Error).message}`,
                );
              });
        await context.unlock();
        const imported = await context.call('keys.import', { armored });
        if (flags.json) return context.printJson(imported);
        context.print(
          `Imported ${imported.fingerprint} (${imported.name}): ${imported.hasPrivateKey ? 'with its private key, kept in the vault' : 'public key'}`,
        );
      }),
    );

  key
    .command('export <fingerprint>')
    .description('print the public key; --private --out FILE writes the private key to a new file')
    .option('--private', 'the private key (needs --out)')
    .option('--out <file>', 'write to this new file (never over an existing one); "-" for stdout')
    .addHelpText('after', KEY_HELP)
    .action(action(io, exportKey));
}
