import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/index';
import { cases, outbox } from '@/db/schema';
import { claimDue } from '@/lib/outbox/deliver';
import { claimDueCases } from '@/lib/reconciler/lease';
import { createTestDatabase, hasRealPostgres } from './support/db';
import { caseIn, seedWorld, type World } from './support/world';

// Claims racing on one PostgreSQL, several pools, many rounds. Whatever the interleaving, two rules hold for every
// claim: it returns at most `limit` rows, and no row is held by two claimers while its lease runs. (A claim written as
// `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` broke both here: PostgreSQL re-ran the subquery
// for rows changed since the statement's snapshot, and one claim of 4 took 196 rows, some already leased.)

const LEASE_MS = 600_000;

type Claim = (db: DatabaseHandle['db'], owner: string, limit: number) => Promise<{ id: string }[]>;

/** Every claimer claims in a loop until a claim finds nothing and nothing is left unleased; returns every claim. */
async function race(dbs: DatabaseHandle['db'][], claim: Claim, limit: number, unleased: () => Promise<number>) {
  const claims: { owner: string; ids: string[] }[] = [];
  await Promise.all(
    dbs.flatMap((db, p) =>
      [0, 1, 2].map(async (k) => {
        const owner = `claimer-${p}-${k}`;
        for (;;) {
          const rows = await claim(db, owner, limit);
          claims.push({ owner, ids: rows.map((r) => r.id) });
          if (rows.length === 0 && (await unleased()) === 0) return;
        }
      }),
    ),
  );
  return claims;
}

function expectEachOnce(claims: { ids: string[] }[], limit: number, all: string[]) {
  expect(Math.max(...claims.map((c) => c.ids.length))).toBeLessThanOrEqual(limit);
  const taken = claims.flatMap((c) => c.ids);
  const twice = taken.filter((id, i) => taken.indexOf(id) !== i);
  expect(twice).toEqual([]);
  expect(taken.sort()).toEqual([...all].sort());
}

describe.runIf(hasRealPostgres)('claims racing on one PostgreSQL', () => {
  let h: DatabaseHandle & { url?: string };
  let others: DatabaseHandle[];
  let w: World;
  beforeAll(async () => {
    h = await createTestDatabase({ real: true });
    others = await Promise.all([openDatabase({ url: h.url! }), openDatabase({ url: h.url! })]);
    w = await seedWorld(h.db, { endpointLimit: 20 });
  });
  afterAll(async () => {
    await Promise.all(others.map((o) => o.close()));
    await h?.close();
  });

  it('outbox: each claim holds at most its limit, and each message is claimed once', async () => {
    const ids = (
      await h.db
        .insert(outbox)
        .values(
          Array.from({ length: 400 }, (_, i) => ({
            channel: 'webhook',
            kind: 'case_submitted',
            subject: `m ${i}`,
            payload: { text: `m ${i}` },
          })),
        )
        .returning({ id: outbox.id })
    ).map((r) => r.id);
    const unleased = async () => {
      const [r] = await h.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(sql`${outbox.leaseOwner} is null`);
      return r!.n;
    };
    const claims = await race(
      [h.db, ...others.map((o) => o.db)],
      (db, owner, limit) => claimDue(db, owner, limit, LEASE_MS, new Date()),
      4,
      unleased,
    );
    expectEachOnce(claims, 4, ids);
    const attempts = await h.db.select({ n: outbox.attempts }).from(outbox).where(inArray(outbox.id, ids));
    expect(attempts.every((a) => a.n === 1)).toBe(true); // counted once per claim, not per re-run
  }, 120_000);

  it('reconciler: each claim holds at most its limit, and each case is claimed once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await caseIn(h.db, w, 'redshift', 'provisioning', i % 2 ? w.ada : w.grace)).id);
    await h.db
      .update(cases)
      .set({ nextReconcileAt: new Date(Date.now() - 1_000), leaseOwner: null, leaseExpiresAt: null })
      .where(inArray(cases.id, ids));
    const unleased = async () => {
      const [r] = await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(cases)
        .where(sql`${cases.id} in ${ids} and ${cases.leaseOwner} is null`);
      return r!.n;
    };
    const claims = await race(
      [h.db, ...others.map((o) => o.db)],
      (db, owner, limit) => claimDueCases(db, owner, limit, LEASE_MS, new Date()),
      2,
      unleased,
    );
    expectEachOnce(claims, 2, ids);
  }, 120_000);
});
