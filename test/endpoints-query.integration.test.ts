import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { listEndpointsPage, PAGE_SIZE } from '@/db/queries/endpoints';
import { endpointFilterSchema } from '@/lib/endpoint-filter';
import { workspaces } from '@/db/schema';
import { createTestDatabase } from './support/db';
import { seedWorld } from './support/world';

// The engineers' dashboard filters, sorts, searches and pages in SQL: checked against what the data says.
describe('endpoint dashboard query', () => {
  let h: DatabaseHandle;
  let acme: string;
  const now = new Date('2026-11-21T12:00:00Z');

  beforeAll(async () => {
    h = await createTestDatabase();
    const w = await seedWorld(h.db, { endpointLimit: 100 });
    acme = w.acme;
    // 120 active endpoints over the two workspaces, with deterministic usage: endpoint i moved i GiB this month.
    await h.db.execute(sql`
      insert into cases (workspace_id, warehouse, region, state, created_by)
      select case when g % 3 = 0 then ${w.globex}::uuid else ${w.acme}::uuid end,
             (array['databricks','rds_postgres','redshift','snowflake'])[1 + g % 4],
             (array['us-east-1','us-west-2','eu-west-1'])[1 + g % 3], 'active', ${w.ada.id}
      from generate_series(1, 120) g`);
    await h.db.execute(sql`
      insert into endpoints (case_id, workspace_id, region, kind, aws_id, state, dns_name, created_at, drift, last_error)
      select c.id, c.workspace_id, c.region, 'interface', 'vpce-0' || lpad(c.number::text, 16, '0'),
             case when c.number % 10 = 0 then 'pendingAcceptance' else 'available' end,
             'vpce-' || c.number || '.example', timestamptz '2026-11-01' + (c.number || ' minutes')::interval,
             case when c.number % 25 = 0 then '["DNS record missing"]'::jsonb else '[]'::jsonb end,
             case when c.number % 40 = 0 then 'Throttled' end
      from cases c`);
    await h.db.execute(sql`
      insert into usage_daily (endpoint_id, workspace_id, day, bytes)
      select e.id, e.workspace_id, '2026-11-05', (c.number - 1000)::bigint * 1073741824
      from endpoints e join cases c on c.id = e.case_id`);
    await h.db.execute(
      sql`insert into usage_daily (endpoint_id, workspace_id, day, bytes) select id, workspace_id, '2026-10-31', 999999999999 from endpoints`,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  const q = (params: Record<string, string>) => listEndpointsPage(endpointFilterSchema.parse(params), now, h.db);

  it('pages newest first with a total', async () => {
    const p1 = await q({});
    const p3 = await q({ page: '3' });
    expect(p1.total).toBe(120);
    expect(p1.rows).toHaveLength(PAGE_SIZE);
    expect(p3.rows).toHaveLength(120 - 2 * PAGE_SIZE);
    const created = p1.rows.map((r) => r.createdAt.getTime());
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(new Set([...p1.rows, ...p3.rows].map((r) => r.id)).size).toBe(PAGE_SIZE + 120 - 2 * PAGE_SIZE);
  });

  it('filters by workspace, warehouse, region, AWS state and flags', async () => {
    const byWs = await q({ workspace: acme });
    expect(byWs.total).toBe(80);
    expect(byWs.rows.every((r) => r.workspaceId === acme)).toBe(true);
    const combo = await q({ warehouse: 'snowflake', region: 'us-east-1' });
    expect(combo.rows.every((r) => r.warehouse === 'snowflake' && r.region === 'us-east-1')).toBe(true);
    expect(combo.total).toBe(10); // g ≡ 3 (mod 4) and g ≡ 0 (mod 3): g ≡ 3 (mod 12), 10 of 1..120
    expect((await q({ state: 'pendingAcceptance' })).total).toBe(12);
    expect((await q({ flag: 'drift' })).rows.every((r) => r.drift.length > 0)).toBe(true);
    expect((await q({ flag: 'error' })).rows.every((r) => r.lastError === 'Throttled')).toBe(true);
  });

  it('sorts by this month’s usage, ignoring earlier months', async () => {
    const top = await q({ sort: 'usage', dir: 'desc' });
    const bytes = top.rows.map((r) => r.monthBytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
    expect(bytes[0]).toBe(120 * 2 ** 30);
    const bottom = await q({ sort: 'usage', dir: 'asc' });
    expect(bottom.rows[0]!.monthBytes).toBe(1 * 2 ** 30);
  });

  it('searches ids, DNS names, workspace names and PL numbers', async () => {
    expect((await q({ q: 'PL-1007' })).rows.map((r) => r.caseNumber)).toEqual([1007]);
    expect((await q({ q: 'vpce-1042.example' })).rows.map((r) => r.caseNumber)).toEqual([1042]);
    const [ws] = await h.db.select({ name: workspaces.name }).from(workspaces).where(sql`${workspaces.id} = ${acme}`);
    expect((await q({ q: ws!.name })).total).toBe(80);
    expect((await q({ q: "%' or 1=1 --" })).total).toBe(0);
  });

  it('falls back to defaults for malformed parameters instead of failing', async () => {
    const r = await q({ sort: 'drop table', dir: 'sideways', page: '-4', workspace: 'nope', state: '<script>' });
    expect(r.total).toBe(120);
  });
});
