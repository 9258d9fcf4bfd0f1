import 'server-only';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { getDb } from '@/db/index';
import { usageDaily } from '@/db/schema';

export interface DailyUsage {
  day: string;
  bytes: number;
}

/** Bytes per UTC day of one calendar month for a workspace, summed over its endpoints (missing days are 0). */
export async function getMonthUsage(workspaceId: string, now: Date = new Date()): Promise<DailyUsage[]> {
  const db = await getDb();
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const first = new Date(Date.UTC(y, m, 1));
  const next = new Date(Date.UTC(y, m + 1, 1));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const rows = await db
    .select({ day: usageDaily.day, bytes: sql<string>`sum(${usageDaily.bytes})::text` })
    .from(usageDaily)
    .where(and(eq(usageDaily.workspaceId, workspaceId), gte(usageDaily.day, iso(first)), lt(usageDaily.day, iso(next))))
    .groupBy(usageDaily.day)
    .orderBy(asc(usageDaily.day));
  const byDay = new Map(rows.map((r) => [r.day, Number(r.bytes)]));
  const days = Math.round((next.getTime() - first.getTime()) / 86_400_000);
  return Array.from({ length: days }, (_, i) => {
    const day = iso(new Date(Date.UTC(y, m, i + 1)));
    return { day, bytes: byDay.get(day) ?? 0 };
  });
}
