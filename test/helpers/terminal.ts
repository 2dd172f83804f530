import { spawn } from 'node:child_process';

/**
 * Runs a command on a real pseudo-terminal (util-linux `script`) and answers its prompts
 * the way a person does: each answer is typed only after its prompt has appeared.
 */
export async function inTerminal(
  command: string,
  dialogue: readonly { prompt: string; answer: string }[],
  timeoutMs = 20_000,
): Promise<{ output: string; code: number | null }> {
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let step = 0;
  let searchFrom = 0;
  const answerReadyPrompts = () => {
    while (step < dialogue.length) {
      const { prompt, answer } = dialogue[step] as { prompt: string; answer: string };
      const at = output.indexOf(prompt, searchFrom);
      if (at === -1) return;
      searchFrom = at + prompt.length;
      child.stdin.write(`${answer}\r`);
      step++;
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    answerReadyPrompts();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer in time; output so far: ${JSON.stringify(output)}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ output, code });
    });
  });
}
