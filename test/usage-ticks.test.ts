import { describe, expect, it } from 'vitest';
import { niceStep, niceTicks } from '@/lib/usage/ticks';

// Expected ticks written out by hand: steps of 1, 2 or 5 × 10^n, from 0 to the first step at or above the top.
describe('usage chart axis ticks', () => {
  it.each([
    // The chart's top for a 300 GB limit (330 GB): 0, 100, 200, 300, 400 instead of 83, 165, 248.
    [330, [0, 100, 200, 300, 400]],
    [300, [0, 100, 200, 300]],
    [240, [0, 50, 100, 150, 200, 250]],
    [1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [1.1, [0, 0.5, 1, 1.5]],
    [7, [0, 2, 4, 6, 8]],
    [10, [0, 2, 4, 6, 8, 10]],
    [45, [0, 10, 20, 30, 40, 50]],
    [0.03, [0, 0.01, 0.02, 0.03]],
    [1100, [0, 500, 1000, 1500]],
  ])('ticks up to %d GB are %j', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });

  it('uses only 1, 2 or 5 × 10^n as the step', () => {
    for (const max of [0.7, 3, 13, 99, 101, 330, 999, 12_345]) {
      const step = niceStep(max);
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5]).toContain(Math.round(mantissa * 1e9) / 1e9);
      expect(max / step).toBeLessThanOrEqual(5);
    }
  });

  it('gives a usable axis for nothing at all', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });
});
