/**
 * Axis ticks at "nice" values: steps of 1, 2 or 5 × 10^n, the rule of Heckbert's "Nice numbers for graph labels"
 * (Graphics Gems, 1990) that d3-array's `ticks` also follows (docs/design.md#usage). Pure, for the usage chart.
 */

/** The nice step (1, 2 or 5 × 10^n) that splits 0…max into at most `count` intervals. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const raw = max / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  // The smallest of 1, 2, 5, 10 that is at least the raw step, so there are never more than `count` intervals.
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * Ticks from 0 up to the first multiple of the step at or above `max`; the last tick is the axis's top. Values are
 * rounded to the step's precision, so 0.1 + 0.2 prints as 0.3.
 */
export function niceTicks(max: number, count = 5): number[] {
  const step = niceStep(max, count);
  const n = max > 0 && Number.isFinite(max) ? Math.max(1, Math.ceil(max / step - 1e-9)) : 1;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toFixed(decimals)));
}
