import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWorkspaceUsage } from '@/db/queries/workspaces';
import { notifications, outbox, usageDaily, users } from '@/db/schema';
import { addTrafficBurst, getSandboxTraffic, setTraffic } from '@/lib/cloud/sandbox-controls';
import { GIB } from '@/lib/domain/units';
import { reconcileOnce } from '@/lib/reconciler/reconcile';
import { depsFor, drive, type Env, liveEndpoints, provisioningCase, sandboxFor, setup, wake } from './support';

// The sandbox's simulated traffic, read by the usage collection and announced at the thresholds, on a clock of our
// own: the sandbox and the reconciler both see `now`, moved by the test. The workspace limit is 300 GB
// (1 GB = 2^30 bytes), so 80 % is 240 GB.
let env: Env;
let now = new Date('2031-03-10T09:00:00Z');
const clock = () => now;
beforeAll(async () => {
  env = await setup({ endpointLimit: 5 });
  const sandbox = sandboxFor(env.db, { clock });
  env = { ...env, sandbox, deps: depsFor(env.db, sandbox, {}, clock) };
});
afterAll(async () => {
  await env?.h.close();
});

async function inApp(kind: string) {
  const rows = await env.db
    .select({ email: users.email })
    .from(notifications)
    .innerJoin(users, eq(notifications.userId, users.id))
    .where(and(eq(notifications.kind, kind), eq(notifications.workspaceId, env.w.globex)));
  return rows.map((r) => r.email).sort();
}

describe('sandbox traffic → usage → thresholds', () => {
  it('a one-off transfer today takes the workspace over 80 %: metered, shown in the month, and announced in-app and in the outbox', async () => {
    const c = await provisioningCase(env, 'rds_postgres', env.w.grace);
    expect((await drive(env.deps, c.id, ['active'])).c.state).toBe('active');
    const [ep] = await liveEndpoints(env.db, c.id);

    // Two hours later: the generated pattern alone is at most 3 GB a day, so a twelfth of that at most.
    now = new Date('2031-03-10T11:00:00Z');
    await wake(env.db, c.id);
    await reconcileOnce(env.deps);
    const [first] = await env.db.select().from(usageDaily).where(eq(usageDaily.endpointId, ep!.id));
    expect(first!.day).toBe('2031-03-10');
    expect(first!.bytes).toBeGreaterThan(0);
    expect(first!.bytes).toBeLessThanOrEqual((3 * GIB) / 12);
    expect(await inApp('usage.threshold_80')).toEqual([]);

    // A 240 GB export through the endpoint, set from the sandbox controls.
    expect(await addTrafficBurst(env.db, ep!.awsId!, 200 * GIB, now)).toBe(200 * GIB);
    expect(await addTrafficBurst(env.db, ep!.awsId!, 40 * GIB, now)).toBe(240 * GIB);
    expect((await getSandboxTraffic(env.db, [ep!.awsId!], now)).get(ep!.awsId!)).toEqual({ gibPerDay: null, burstTodayBytes: 240 * GIB });
    await wake(env.db, c.id);
    await reconcileOnce(env.deps);

    const usage = await getWorkspaceUsage(env.db, env.w.globex, { now });
    expect(usage!.monthBytes).toBeGreaterThanOrEqual(240 * GIB);
    expect(usage!.monthBytes).toBeLessThan(241 * GIB);
    expect(await inApp('usage.threshold_80')).toEqual(['casey@portal.example', 'grace@globex.example']);
    expect(await inApp('usage.threshold_100')).toEqual([]);
    const queued = await env.db
      .select({ channel: outbox.channel, recipient: outbox.recipient, subject: outbox.subject })
      .from(outbox)
      .where(eq(outbox.workspaceId, env.w.globex));
    const about80 = queued.filter((m) => m.subject.includes('80'));
    expect(
      about80
        .filter((m) => m.channel === 'email')
        .map((m) => m.recipient)
        .sort(),
    ).toEqual(['casey@portal.example', 'grace@globex.example']);
    expect(about80.filter((m) => m.channel === 'webhook')).toHaveLength(1);

    // The next look announces nothing again.
    await wake(env.db, c.id);
    await reconcileOnce(env.deps);
    expect(await inApp('usage.threshold_80')).toHaveLength(2);
  });

  it('a fixed daily rate counts from the day it is set, per whole UTC day, and the next day carries on at that rate', async () => {
    const c = await provisioningCase(env, 'rds_postgres', env.w.grace);
    expect((await drive(env.deps, c.id, ['active'])).c.state).toBe('active');
    const [ep] = await liveEndpoints(env.db, c.id);
    await setTraffic(env.db, ep!.awsId!, 48);
    // Created at 11:00 on the 10th; looked at 06:00 on the 12th: 13 h, 24 h and 6 h at 48 GB a day.
    now = new Date('2031-03-12T06:00:00Z');
    await wake(env.db, c.id);
    await reconcileOnce(env.deps);
    const rows = await env.db.select().from(usageDaily).where(eq(usageDaily.endpointId, ep!.id)).orderBy(usageDaily.day);
    expect(rows.map((r) => [r.day, r.bytes / GIB])).toEqual([
      ['2031-03-10', 26],
      ['2031-03-11', 48],
      ['2031-03-12', 12],
    ]);
    // 86 GB here and the first endpoint's 240 make 326 of 300 GB: the 100 % notice goes to the engineers too.
    expect(await inApp('usage.threshold_100')).toEqual([
      'casey@portal.example',
      'erin@portal.example',
      'frank@portal.example',
      'grace@globex.example',
    ]);
  });

  it('refuses to set traffic on an endpoint the sandbox does not have', async () => {
    await expect(setTraffic(env.db, 'vpce-0000000000000000f', 5)).rejects.toThrow('No VPC endpoint vpce-0000000000000000f in the sandbox.');
  });
});
