import { describe, expect, it } from 'vitest';
import { backoff } from '@/lib/backoff';

describe('backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoff(n, { baseMs: 100, maxMs: 1_000 }))).toEqual([100, 100, 200, 400, 800, 1_000, 1_000]);
  });

  it('keeps half of each step fixed and makes the other half random with equal jitter', () => {
    const opts = { baseMs: 1_000, maxMs: 8_000, jitter: 'equal' as const };
    expect([1, 2, 3, 4, 5].map((n) => backoff(n, { ...opts, random: () => 0 }))).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    expect([1, 2, 3, 4, 5].map((n) => backoff(n, { ...opts, random: () => 1 }))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(backoff(3, { ...opts, random: () => 0.5 })).toBe(3_000);
  });
});
