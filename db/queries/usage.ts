import 'server-only';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { getDb } from '@/db/index';
import { usageDaily } from '@/db/schema';
import { addDays, daysOfMonth } from '@/lib/domain/utc-day';

export interface DailyUsage {
  day: string;
  bytes: number;
}

/** Bytes per UTC day of one calendar month for a workspace, summed over its endpoints (missing days are 0). */
export async function getMonthUsage(workspaceId: string, now: Date = new Date()): Promise<DailyUsage[]> {
  const db = await getDb();
  const days = daysOfMonth(now);
  const rows = await db
    .select({ day: usageDaily.day, bytes: sql<string>`sum(${usageDaily.bytes})::text` })
    .from(usageDaily)
    .where(and(eq(usageDaily.workspaceId, workspaceId), gte(usageDaily.day, days[0]!), lt(usageDaily.day, addDays(days.at(-1)!, 1))))
    .groupBy(usageDaily.day)
    .orderBy(asc(usageDaily.day));
  const byDay = new Map(rows.map((r) => [r.day, Number(r.bytes)]));
  return days.map((day) => ({ day, bytes: byDay.get(day) ?? 0 }));
}
