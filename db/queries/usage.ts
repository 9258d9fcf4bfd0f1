import 'server-only';
import { and, asc, desc, eq, gte, isNull, lt, or, sql } from 'drizzle-orm';
import { getDb } from '@/db/index';
import { cases, endpoints, usageDaily } from '@/db/schema';
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

/**
 * The workspace's endpoints with their own bytes this month (UTC): every live endpoint, and any retired this month
 * that moved bytes before it went (its bytes still count against the limit). Most bytes first.
 */
export async function listEndpointMonthUsage(workspaceId: string, now: Date = new Date()) {
  const db = await getDb();
  const from = daysOfMonth(now)[0]!;
  const bytes = sql<string>`(select coalesce(sum(u.bytes), 0) from usage_daily u where u.endpoint_id = ${endpoints.id} and u.day >= ${from})`;
  const rows = await db
    .select({
      id: endpoints.id,
      awsId: endpoints.awsId,
      deletedAt: endpoints.deletedAt,
      caseId: cases.id,
      caseNumber: cases.number,
      caseState: cases.state,
      warehouse: cases.warehouse,
      bytes,
    })
    .from(endpoints)
    .innerJoin(cases, eq(endpoints.caseId, cases.id))
    .where(and(eq(endpoints.workspaceId, workspaceId), or(isNull(endpoints.deletedAt), sql`${bytes} > 0`)))
    .orderBy(desc(bytes), asc(cases.number));
  return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
}
