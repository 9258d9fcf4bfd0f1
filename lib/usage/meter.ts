/**
 * Usage metering: BytesProcessed per endpoint per UTC day into usage_daily (docs/facts.md#usage-metering: the quota's
 * basis, both directions). Each run re-reads from the last day it stored (that day was partial) up to today, so late
 * datapoints are picked up and a repeated run changes nothing.
 */
import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { type Endpoint, usageDaily } from '@/db/schema';
import type { EdgeAdapter } from '@/lib/cloud/types';
import { addDays, utcDay } from '@/lib/domain/utc-day';

// The first look reads at most this far back: CloudWatch keeps daily sums for much longer, but the monthly limit
// only needs the current month and the previous one's end.
const FIRST_LOOK_DAYS = 35;

/** Store the endpoint's daily bytes up to today; returns the days written. No-op for endpoints without metrics yet. */
export async function meterEndpoint(db: Db, adapter: EdgeAdapter, vpcId: string, row: Endpoint, now: Date): Promise<number> {
  if (!row.vpcEndpointId || !row.serviceName) return 0;
  const [last] = await db
    .select({ day: sql<string | null>`max(${usageDaily.day})::text` })
    .from(usageDaily)
    .where(eq(usageDaily.endpointId, row.id));
  const created = utcDay(row.createdAt);
  const floor = addDays(utcDay(now), -FIRST_LOOK_DAYS);
  const from = [last?.day ?? created, created, floor].sort().at(-1)!;
  const today = utcDay(now);
  if (from > today) return 0;
  const points = await adapter.getDailyBytesProcessed(
    { region: row.region, vpcEndpointId: row.vpcEndpointId, serviceName: row.serviceName, vpcId },
    from,
    today,
  );
  if (points.length === 0) return 0;
  await db
    .insert(usageDaily)
    .values(points.map((p) => ({ endpointId: row.id, workspaceId: row.workspaceId, day: p.day, bytes: p.bytes })))
    .onConflictDoUpdate({ target: [usageDaily.endpointId, usageDaily.day], set: { bytes: sql`excluded.bytes` } });
  return points.length;
}
