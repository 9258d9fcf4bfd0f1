import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '@/db/index';
import { cases, endpoints } from '@/db/schema';
import { listSandboxVpcEndpoints } from '@/lib/cloud/sandbox-controls';
import type { EdgeAdapter } from '@/lib/cloud/types';
import { reconcileOnce, type ReconcilerDeps } from '@/lib/reconciler/reconcile';
import { createTestDatabase, hasRealPostgres } from '../support/db';
import { caseIn, seedWorld } from '../support/world';
import { allEndpoints, caseWith, customerPart, depsFor, sandboxFor } from './support';

/** Every call takes a little while, so two reconcilers' rounds interleave. */
function slow(adapter: EdgeAdapter, maxMs: number): EdgeAdapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, Math.random() * maxMs));
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

// Real concurrency needs a real server with several connections: PGlite runs one query at a time.
describe.runIf(hasRealPostgres)('two reconcilers on one PostgreSQL', () => {
  let a: DatabaseHandle & { url?: string };
  let b: DatabaseHandle;
  let w: Awaited<ReturnType<typeof seedWorld>>;

  beforeAll(async () => {
    a = await createTestDatabase({ real: true });
    b = await openDatabase({ url: a.url! }); // a second process's own pool
    w = await seedWorld(a.db, { endpointLimit: 30 });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('never work on the same case at once, and make exactly one endpoint per case', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const customer = i % 2 ? w.ada : w.grace;
      const warehouse = i % 3 === 0 ? 'redshift' : 'rds_postgres';
      // The customer's part first, in their own (sandbox) console: a service allowing their role, or a granted cluster.
      ids.push((await caseWith(a.db, w, warehouse, 'provisioning', customer, await customerPart(a.db, customer, warehouse))).id);
    }

    const busy = new Map<string, string>();
    const overlaps: string[] = [];
    const worked = new Map<string, Set<string>>();
    const trace: ReconcilerDeps['trace'] = ({ phase, caseId, owner }) => {
      if (phase === 'start') {
        if (busy.has(caseId)) overlaps.push(`${caseId} by ${busy.get(caseId)} and ${owner}`);
        busy.set(caseId, owner);
        (worked.get(owner) ?? worked.set(owner, new Set()).get(owner)!).add(caseId);
      } else if (busy.get(caseId) === owner) busy.delete(caseId);
    };
    const one = { ...depsFor(a.db, slow(sandboxFor(a.db), 8), { batchSize: 3, concurrency: 3 }), trace };
    const two = { ...depsFor(b.db, slow(sandboxFor(b.db), 8), { batchSize: 3, concurrency: 3 }), trace };
    expect(one.config.owner).not.toBe(two.config.owner);

    const run = async (deps: ReconcilerDeps) => {
      for (let round = 0; round < 200; round++) {
        const [left] = await a.db
          .select({ n: sql<number>`count(*)::int` })
          .from(cases)
          .where(sql`${cases.id} in ${ids} and ${cases.state} <> 'active'`);
        if (left!.n === 0) return;
        if ((await reconcileOnce(deps)).length === 0) await new Promise((r) => setTimeout(r, 5));
      }
    };
    await Promise.all([run(one), run(two)]);

    expect(overlaps).toEqual([]);
    const states = await a.db.select({ state: cases.state }).from(cases).where(inArray(cases.id, ids));
    expect(states.every((s) => s.state === 'active')).toBe(true);
    // Both took part: SKIP LOCKED shared the work rather than one waiting for the other.
    expect(worked.get(one.config.owner)?.size).toBeGreaterThan(0);
    expect(worked.get(two.config.owner)?.size).toBeGreaterThan(0);
    for (const id of ids) {
      expect(await allEndpoints(a.db, id)).toHaveLength(1);
    }
    const interfaceCases = ids.filter((_, i) => i % 3 !== 0);
    for (const id of interfaceCases) expect(await listSandboxVpcEndpoints(a.db, id)).toHaveLength(1);
    const [rows] = await a.db.select({ n: sql<number>`count(*)::int` }).from(endpoints);
    expect(rows!.n).toBe(ids.length);
    // Leases are all let go.
    const held = await a.db.select({ id: cases.id }).from(cases).where(sql`${cases.leaseOwner} is not null`);
    expect(held).toEqual([]);
  });

  it('lets a claim through only once: two simultaneous claims of one due case', async () => {
    const c = await caseIn(a.db, w, 'redshift', 'provisioning');
    await a.db
      .update(cases)
      .set({ nextReconcileAt: new Date(Date.now() - 1000) })
      .where(eq(cases.id, c.id));
    const { claimDueCases } = await import('@/lib/reconciler/lease');
    const now = new Date();
    const [x, y] = await Promise.all([claimDueCases(a.db, 'one', 50, 60_000, now), claimDueCases(b.db, 'two', 50, 60_000, now)]);
    const claimedBy = [...x.filter((r) => r.id === c.id).map(() => 'one'), ...y.filter((r) => r.id === c.id).map(() => 'two')];
    expect(claimedBy).toHaveLength(1);
  });
});
