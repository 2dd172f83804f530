import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ExecRequest } from '../../src/main/connectors/connector';
import { buildRemoteCommand, takePidMark } from '../../src/main/connectors/remote-launcher';

/**
 * The launcher that carries the environment over stdin, run by a local shell exactly as
 * sshd's login shell would run it (`<shell> -c <command line>`, stdin = preamble + input).
 */
function launch(shell: string, request: ExecRequest) {
  const { commandLine, preamble } = buildRemoteCommand(request);
  const input = Buffer.concat([preamble, Buffer.from(request.stdin ?? '')]);
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
  const result = spawnSync(shell, ['-c', commandLine], { input, env });
  const stderr = result.stderr.toString().replace(/^rekey-exec-pid \d+\n/m, '');
  return { code: result.status, stdout: result.stdout.toString(), stderr, commandLine };
}

const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest('hex');

const TRICKY_VALUES = {
  PLAIN: 's3cr3t-value',
  QUOTES: `it's "quoted" \`tick\` $(nope) \${HOME}`,
  NEWLINES: 'line one\nline two\n\n',
  EQUALS: 'a=b=c==',
  EMPTY: '',
  UNICODE: 'pässwörd 🔑',
  LEADING_DASH: '-n -e',
};

describe('remote command launcher', () => {
  for (const shell of ['sh', 'bash']) {
    it(`${shell}: the command sees exactly the environment values and the stdin bytes`, () => {
      const stdin = Buffer.from('first line\n\0binary\r\n\xff tail without newline', 'latin1');
      const script = [
        ...Object.keys(TRICKY_VALUES).map((name) => `printf %s "$${name}" | sha256sum`),
        'sha256sum',
      ].join('; ');
      const result = launch(shell, {
        argv: ['sh', '-c', script],
        env: TRICKY_VALUES,
        stdin,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const hashes = result.stdout.split('\n').map((line) => line.split(' ')[0]);
      expect(hashes.slice(0, -2)).toEqual(
        Object.values(TRICKY_VALUES).map((value) => sha256(value)),
      );
      expect(hashes.at(-2)).toBe(sha256(stdin));
    });
  }

  it('keeps secrets off the command line', () => {
    const { commandLine } = buildRemoteCommand({
      argv: ['true'],
      env: { TOKEN: 'hunter2-value' },
      stdin: 'stdin-secret',
    });
    expect(commandLine).not.toContain('hunter2-value');
    expect(commandLine).not.toContain(Buffer.from('hunter2-value').toString('base64'));
    expect(commandLine).not.toContain('stdin-secret');
  });

  it('passes argv literally and runs in the requested directory', () => {
    const result = launch('sh', {
      argv: ['sh', '-c', 'pwd; printf "[%s]" "$@"', 'zero', '$(id)', "it's", ''],
      cwd: '/tmp',
    });
    expect(result.stdout).toBe("/tmp\n[$(id)][it's][]");
  });

  it('does not start the command when the environment block is cut short', () => {
    const { commandLine } = buildRemoteCommand({ argv: ['echo', 'started'], env: { A: 'b' } });
    const result = spawnSync('sh', ['-c', commandLine], { input: 'A=Yg==\n' });
    expect(result.status).toBe(125);
    expect(result.stdout.toString()).toBe('');
  });

  it('refuses invalid or reserved environment names before sending anything', () => {
    for (const name of ['1ABC', 'A-B', 'A B', '', 'A=B', '__rekey_line']) {
      expect(() => buildRemoteCommand({ argv: ['true'], env: { [name]: 'x' } })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
  });

  it('finds the pid line after shell startup noise and leaves the rest of stderr intact', () => {
    const noisy = Buffer.from('bashrc: warning\nrekey-exec-pid 4242\ncommand error\n');
    expect(takePidMark(noisy)).toEqual({
      pid: 4242,
      rest: Buffer.from('bashrc: warning\ncommand error\n'),
    });
    expect(takePidMark(Buffer.from('rekey-exec-pid 7\n'))?.rest.length).toBe(0);
    expect(takePidMark(Buffer.from('rekey-exec-pi'))).toBeNull();
  });
});
