import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { listEndpointsPage } from '@/db/queries/endpoints';
import { endpoints, usageDaily, usageMonthly } from '@/db/schema';
import type { DailyBytes, EdgeAdapter } from '@/lib/cloud/types';
import { endpointFilterSchema } from '@/lib/endpoint-filter';
import { meterEndpoint } from '@/lib/usage/meter';
import { createTestDatabase, hasRealPostgres } from './support/db';
import { seedWorld } from './support/world';

const GIB = 2 ** 30;

/** An edge adapter that knows only CloudWatch's daily sums, and returns those of the days asked for. */
function metrics(points: DailyBytes[]): EdgeAdapter {
  return {
    getDailyBytesProcessed: async (_t: unknown, from: string, to: string) => points.filter((p) => p.day >= from && p.day <= to),
  } as unknown as EdgeAdapter;
}

const targets = [{ name: 'PGlite', real: false }, ...(hasRealPostgres ? [{ name: 'PostgreSQL server', real: true }] : [])];

// usage_monthly is kept by triggers on usage_daily: whatever writes the days, the month's total is their sum.
describe.each(targets)('usage_monthly on $name', ({ real }) => {
  let h: DatabaseHandle;
  let endpointId: string;

  beforeAll(async () => {
    h = await createTestDatabase({ real });
    const w = await seedWorld(h.db, { endpointLimit: 10 });
    await h.db.execute(sql`
      insert into cases (workspace_id, warehouse, region, state, created_by)
      values (${w.acme}, 'snowflake', 'us-east-1', 'active', ${w.ada.id})`);
    await h.db.execute(sql`
      insert into endpoints (case_id, workspace_id, region, kind, aws_id, vpc_endpoint_id, service_name, state, created_at)
      select id, workspace_id, region, 'interface', 'vpce-0aaaaaaaaaaaaaaaa', 'vpce-0aaaaaaaaaaaaaaaa',
             'com.amazonaws.vpce.us-east-1.vpce-svc-0bbbbbbbbbbbbbbbb', 'available', timestamptz '2026-11-27T08:00:00Z'
      from cases`);
    const [ep] = await h.db.select({ id: endpoints.id }).from(endpoints);
    endpointId = ep!.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const months = async () =>
    (await h.db.select().from(usageMonthly).where(eq(usageMonthly.endpointId, endpointId)).orderBy(usageMonthly.month)).map((r) => [
      r.month,
      r.bytes,
    ]);
  const page = async (now: Date) => (await listEndpointsPage(endpointFilterSchema.parse({ sort: 'usage' }), now, h.db)).rows[0]!;
  const row = async () => (await h.db.select().from(endpoints).where(eq(endpoints.id, endpointId)))[0]!;

  it('sums the metered days per UTC month across a month boundary, and a rewrite of a day replaces its bytes', async () => {
    // First look on 1 December, 10:00 UTC: days 27 November … 1 December.
    const first = [
      { day: '2026-11-27', bytes: 1 * GIB },
      { day: '2026-11-28', bytes: 2 * GIB },
      { day: '2026-11-29', bytes: 3 * GIB },
      { day: '2026-11-30', bytes: 4 * GIB },
      { day: '2026-12-01', bytes: 5 * GIB },
    ];
    await meterEndpoint(h.db, metrics(first), 'vpc-1', await row(), new Date('2026-12-01T10:00:00Z'));
    expect(await months()).toEqual([
      ['2026-11-01', 10 * GIB],
      ['2026-12-01', 5 * GIB],
    ]);

    // Next look on 2 December: 1 December is re-read (it was partial) and grows, 2 December is new.
    const second = [
      { day: '2026-12-01', bytes: 7 * GIB },
      { day: '2026-12-02', bytes: 1 * GIB },
    ];
    await meterEndpoint(h.db, metrics([...first.slice(0, 4), ...second]), 'vpc-1', await row(), new Date('2026-12-02T09:00:00Z'));
    expect(await months()).toEqual([
      ['2026-11-01', 10 * GIB],
      ['2026-12-01', 8 * GIB],
    ]);

    // The dashboard reads the month of its clock.
    expect((await page(new Date('2026-11-30T23:59:59Z'))).monthBytes).toBe(10 * GIB);
    expect((await page(new Date('2026-12-02T12:00:00Z'))).monthBytes).toBe(8 * GIB);
    expect((await page(new Date('2027-01-01T00:00:00Z'))).monthBytes).toBe(0);
  });

  it('follows direct updates and deletes of days, and matches the sum of the days', async () => {
    await h.db
      .update(usageDaily)
      .set({ bytes: 2 * GIB })
      .where(eq(usageDaily.day, '2026-12-02'));
    await h.db.delete(usageDaily).where(eq(usageDaily.day, '2026-11-27'));
    expect(await months()).toEqual([
      ['2026-11-01', 9 * GIB],
      ['2026-12-01', 9 * GIB],
    ]);
    const sums = await h.db.execute<{ month: string; bytes: string }>(
      sql`select to_char(day, 'YYYY-MM') || '-01' as month, sum(bytes)::text as bytes from usage_daily where endpoint_id = ${endpointId} group by 1 order by 1`,
    );
    const fromDays = (sums as unknown as { rows: { month: string; bytes: string }[] }).rows.map((r) => [r.month, Number(r.bytes)]);
    expect(await months()).toEqual(fromDays);
  });

  it('lets an endpoint whose days are gone be deleted', async () => {
    await h.db.delete(usageDaily).where(eq(usageDaily.endpointId, endpointId));
    expect(await months()).toEqual([
      ['2026-11-01', 0],
      ['2026-12-01', 0],
    ]);
    await h.db.delete(endpoints).where(eq(endpoints.id, endpointId));
    expect(await months()).toEqual([]);
  });
});
