/**
 * Exponential backoff, the one implementation: base·2^(attempt−1), capped at `maxMs`. With `jitter: 'equal'`, half of
 * each step is fixed and half random, so that many retries spread out but never bunch at zero (AWS Architecture Blog,
 * "Exponential Backoff And Jitter").
 */
export function backoff(
  attempt: number,
  opts: { baseMs: number; maxMs: number; jitter?: 'none' | 'equal'; random?: () => number },
): number {
  const step = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  if (opts.jitter !== 'equal') return step;
  return Math.round(step / 2 + (opts.random ?? Math.random)() * (step / 2));
}
