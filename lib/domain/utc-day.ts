/**
 * UTC calendar days as `YYYY-MM-DD` strings, the one place day arithmetic is done. Usage is metered per UTC day and
 * the monthly transfer limit is per UTC calendar month (docs/program-rules.md#beta-limits).
 */
export const DAY_MS = 86_400_000;

/** The UTC day an instant falls on. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Midnight UTC at the start of a day. */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** The day `n` days after (or, negative, before) `day`. */
export function addDays(day: string, n: number): string {
  return utcDay(new Date(dayStart(day).getTime() + n * DAY_MS));
}

/** The first day of the instant's UTC calendar month. */
export function monthStart(now: Date = new Date()): string {
  return `${utcDay(now).slice(0, 7)}-01`;
}

/** Every day of the instant's UTC calendar month, in order. */
export function daysOfMonth(now: Date): string[] {
  const first = monthStart(now);
  const out: string[] = [];
  for (let d = first; d.slice(0, 7) === first.slice(0, 7); d = addDays(d, 1)) out.push(d);
  return out;
}
