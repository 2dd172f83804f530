/**
 * Polls `condition` until it holds, failing after `timeoutMs`. Harnesses wait for a real
 * signal of readiness (a port that answers, a query that succeeds), never for a fixed time.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs: number; what: string; intervalMs?: number; detail?: () => string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      const detail = options.detail?.() ?? '';
      throw new Error(
        `${options.what}: not within ${options.timeoutMs} ms${detail && `\n${detail}`}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}
