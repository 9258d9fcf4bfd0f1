import { describe, expect, it } from 'vitest';

import { projectMonthEnd } from '@/lib/usage-projection';

const GIB = 2 ** 30;
const days = (n: number, per: number) => Array.from({ length: n }, () => ({ bytes: per * GIB }));

describe('month-end projection', () => {
  it('extends the recent daily average over the days left', () => {
    const p = projectMonthEnd(days(30, 10), 9); // 10 days at 10 GB, 20 days left
    expect(p.monthToDate / GIB).toBe(100);
    expect(p.perDay / GIB).toBe(10);
    expect(p.projected / GIB).toBe(300);
  });

  it('weights the last seven days, not the whole month', () => {
    const d = [...days(7, 0), ...days(7, 14), ...days(16, 0)];
    const p = projectMonthEnd(d, 13);
    expect(p.perDay / GIB).toBe(14);
    expect(p.projected / GIB).toBe(98 + 14 * 16);
  });

  it('projects nothing on the first day with no traffic, and the total on the last day', () => {
    expect(projectMonthEnd(days(31, 0), 0).projected).toBe(0);
    expect(projectMonthEnd(days(31, 1), 30).projected / GIB).toBe(31);
  });
});
