import { describe, expect, it } from 'vitest';
import { addDays, dayStart, daysOfMonth, monthStart, utcDay } from '@/lib/domain/utc-day';

describe('UTC days', () => {
  it('takes the UTC day of an instant, not the local one', () => {
    expect(utcDay(new Date('2026-03-31T23:59:59.999Z'))).toBe('2026-03-31');
    expect(utcDay(new Date('2026-04-01T00:30:00+02:00'))).toBe('2026-03-31');
  });

  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-15', -35, '2025-12-11'],
  ])('%s plus %d days is %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });

  it('starts a day at midnight UTC', () => {
    expect(dayStart('2026-10-25').toISOString()).toBe('2026-10-25T00:00:00.000Z');
  });

  it('knows the month an instant is in and all of its days', () => {
    expect(monthStart(new Date('2026-12-31T23:00:00Z'))).toBe('2026-12-01');
    expect(daysOfMonth(new Date('2028-02-10T00:00:00Z'))).toHaveLength(29);
    expect(daysOfMonth(new Date('2026-04-30T12:00:00Z')).at(-1)).toBe('2026-04-30');
    expect(daysOfMonth(new Date('2026-01-01T00:00:00Z'))[0]).toBe('2026-01-01');
  });
});
