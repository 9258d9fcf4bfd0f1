/**
 * Month-end projection of a workspace's transfer from the trend: month-to-date plus the average of the last (up to)
 * seven complete-or-current days, times the days left. Deliberately simple and explainable on screen.
 */
export function projectMonthEnd(
  daily: { bytes: number }[],
  todayIndex: number,
): { monthToDate: number; perDay: number; projected: number } {
  const upTo = daily.slice(0, todayIndex + 1);
  const monthToDate = upTo.reduce((s, d) => s + d.bytes, 0);
  const window = upTo.slice(-7);
  const perDay = window.length ? window.reduce((s, d) => s + d.bytes, 0) / window.length : 0;
  const daysLeft = Math.max(0, daily.length - (todayIndex + 1));
  return { monthToDate, perDay, projected: monthToDate + perDay * daysLeft };
}
