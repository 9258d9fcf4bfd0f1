import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWorkspaceUsage } from '@/db/queries/workspaces';
import { endpoints, notifications, usageAlerts, usageDaily, users } from '@/db/schema';
import { applyEvent, CaseError } from '@/lib/cases/service';
import { setTraffic } from '@/lib/cloud/sandbox-controls';
import { GIB } from '@/lib/domain/units';
import { reconcileOnce } from '@/lib/reconciler/reconcile';
import { notifyUsageThresholds, reachedThresholds } from '@/lib/usage/thresholds';
import { caseIn } from '../support/world';
import { depsFor, drive, type Env, liveEndpoints, provisioningCase, sandboxFor, setup, wake } from './support';

const DAY = 86_400_000;

let env: Env;
beforeAll(async () => {
  env = await setup({ endpointLimit: 5 });
});
afterAll(async () => {
  await env?.h.close();
});

/** Who got a notification of a kind, by e-mail. */
async function notified(kind: string) {
  const rows = await env.db
    .select({ email: users.email })
    .from(notifications)
    .innerJoin(users, eq(notifications.userId, users.id))
    .where(eq(notifications.kind, kind));
  return rows.map((r) => r.email).sort();
}

describe('metering', () => {
  it('stores BytesProcessed per endpoint per UTC day, and a second look rewrites rather than adds', async () => {
    const c = await provisioningCase(env, 'redshift', env.w.grace);
    await drive(env.deps, c.id, ['active']);
    const [ep] = await liveEndpoints(env.db, c.id);
    // Two days later, seen by a sandbox and reconciler whose clocks are there.
    const later = () => new Date(Date.now() + 2 * DAY);
    const deps = depsFor(env.db, sandboxFor(env.db, { clock: later }), {}, later);
    await wake(env.db, c.id);
    await reconcileOnce(deps);
    const rows = await env.db.select().from(usageDaily).where(eq(usageDaily.endpointId, ep!.id)).orderBy(usageDaily.day);
    expect(rows.map((r) => r.day)).toEqual([0, 1, 2].map((d) => new Date(Date.now() + d * DAY).toISOString().slice(0, 10)));
    // Generated traffic is plausible: a full day between 0.1 and 3 GiB.
    expect(rows[1]!.bytes).toBeGreaterThan(0.1 * GIB);
    expect(rows[1]!.bytes).toBeLessThan(3 * GIB);
    await wake(env.db, c.id);
    await reconcileOnce(deps);
    const again = await env.db.select().from(usageDaily).where(eq(usageDaily.endpointId, ep!.id)).orderBy(usageDaily.day);
    expect(again).toHaveLength(3);
    expect(again[1]!.bytes).toBe(rows[1]!.bytes);
  });
});

describe('monthly transfer thresholds', () => {
  it('knows 80 % and 100 % of the limit in GiB', () => {
    expect(reachedThresholds(0, 300)).toEqual([]);
    expect(reachedThresholds(240 * GIB - 1, 300)).toEqual([]);
    expect(reachedThresholds(240 * GIB, 300)).toEqual([80]);
    expect(reachedThresholds(300 * GIB, 300)).toEqual([80, 100]);
  });

  it('tells the workspace and its CSM at 80 %, once a month', async () => {
    const c = await caseIn(env.db, env.w, 'snowflake', 'submitted');
    const month = '2031-05-01';
    const [ep] = await env.db
      .insert(endpoints)
      .values({ caseId: c.id, workspaceId: env.w.acme, region: 'us-east-1', kind: 'interface', state: 'available' })
      .returning({ id: endpoints.id });
    await env.db.insert(usageDaily).values({ endpointId: ep!.id, workspaceId: env.w.acme, day: '2031-05-03', bytes: 250 * GIB });
    const at = new Date('2031-05-20T12:00:00Z');
    expect(await notifyUsageThresholds(env.db, env.w.acme, at)).toEqual([80]);
    expect(await notified('usage.threshold_80')).toEqual(['ada@acme.example', 'casey@portal.example', 'victor@acme.example']);
    expect(await notifyUsageThresholds(env.db, env.w.acme, at)).toEqual([]);
    expect(await notified('usage.threshold_80')).toHaveLength(3);

    // Over the limit: engineers hear too, and the next month starts afresh.
    await env.db.insert(usageDaily).values({ endpointId: ep!.id, workspaceId: env.w.acme, day: '2031-05-04', bytes: 60 * GIB });
    expect(await notifyUsageThresholds(env.db, env.w.acme, at)).toEqual([100]);
    expect(await notified('usage.threshold_100')).toEqual([
      'ada@acme.example',
      'casey@portal.example',
      'erin@portal.example',
      'frank@portal.example',
      'victor@acme.example',
    ]);
    const [title] = await env.db
      .select({ title: notifications.title, body: notifications.body })
      .from(notifications)
      .where(eq(notifications.kind, 'usage.threshold_100'))
      .limit(1);
    expect(title!.body).toContain('310.0 of 300 GB');
    const sent = await env.db
      .select({ month: usageAlerts.month, threshold: usageAlerts.threshold })
      .from(usageAlerts)
      .where(eq(usageAlerts.workspaceId, env.w.acme));
    expect(sent).toEqual([
      { month, threshold: 80 },
      { month, threshold: 100 },
    ]);
    expect(await notifyUsageThresholds(env.db, env.w.acme, new Date('2031-06-02T00:00:00Z'))).toEqual([]);
    await env.db.delete(usageDaily).where(eq(usageDaily.endpointId, ep!.id));
    await env.db.delete(endpoints).where(eq(endpoints.id, ep!.id));
  });

  it('meters an active endpoint over the limit, alerts once, and then refuses approvals in that workspace', async () => {
    const waitingForApproval = await caseIn(env.db, env.w, 'snowflake', 'pending_approval', env.w.grace);
    const c = await provisioningCase(env, 'rds_postgres', env.w.grace);
    await drive(env.deps, c.id, ['active']);
    const [ep] = await liveEndpoints(env.db, c.id);
    await setTraffic(env.db, ep!.awsId!, 400); // GiB a day
    const later = () => new Date(Date.now() + DAY);
    const deps = depsFor(env.db, sandboxFor(env.db, { clock: later }), {}, later);
    await wake(env.db, c.id);
    await reconcileOnce(deps);
    const usage = await getWorkspaceUsage(env.db, env.w.globex, { now: later() });
    expect(usage!.monthBytes).toBeGreaterThanOrEqual(300 * GIB);
    expect((await notified('usage.threshold_100')).filter((e) => e.endsWith('globex.example'))).toEqual(['grace@globex.example']);
    await wake(env.db, c.id);
    await reconcileOnce(deps);
    const rows = await env.db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.kind, 'usage.threshold_100'), eq(notifications.workspaceId, env.w.globex)));
    expect(rows[0]!.n).toBe(4); // grace, casey, erin, frank: once

    // At 100 % the workspace may not provision more (docs/program-rules.md#beta-limits).
    const refused = await applyEvent(
      env.db,
      env.w.erin,
      { caseId: waitingForApproval.id, event: 'approve', version: waitingForApproval.version },
      {},
      later(),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CaseError);
    expect((refused as CaseError).reason).toBe('limit');
    expect((refused as CaseError).message).toMatch(/at or above its 300 GB monthly limit/);
  });
});
