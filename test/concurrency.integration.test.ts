import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { auditLog, caseEvents, cases } from '@/db/schema';
import { applyEvent, CaseError } from '@/lib/cases/service';
import { createTestDatabase, hasRealPostgres } from './support/db';
import { caseIn, seedWorld, type World } from './support/world';
import { SLOT_HOLDING_STATES } from '@/lib/domain/case-states';

// Real concurrency needs a real server with several connections: PGlite runs one query at a time.
describe.runIf(hasRealPostgres)('concurrent requests on PostgreSQL', () => {
  let h: DatabaseHandle;
  let w: World;

  beforeAll(async () => {
    process.env.DATABASE_POOL_SIZE = '25';
    h = await createTestDatabase({ real: true });
    w = await seedWorld(h.db);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lets exactly one of 20 simultaneous submits take the last free slot', async () => {
    await caseIn(h.db, w, 'redshift', 'submitted'); // one of two slots taken
    const drafts = [];
    for (let i = 0; i < 20; i++) drafts.push(await caseIn(h.db, w, i % 2 ? 'snowflake' : 'redshift', 'draft'));
    const [eventsBefore] = await h.db.select({ n: sql<number>`count(*)::int` }).from(caseEvents).where(eq(caseEvents.event, 'submit'));

    const results = await Promise.allSettled(
      drafts.map((d) => applyEvent(h.db, w.ada, { caseId: d.id, event: 'submit', version: d.version })),
    );

    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(CaseError);
      expect((r.reason as CaseError).reason).toBe('limit');
    }
    // Nothing half-written: 19 drafts untouched, one submit event and one audit row more.
    const states = await h.db
      .select({ state: cases.state, version: cases.version })
      .from(cases)
      .where(
        inArray(
          cases.id,
          drafts.map((d) => d.id),
        ),
      );
    expect(states.filter((s) => s.state === 'draft')).toHaveLength(19);
    expect(states.filter((s) => s.state === 'submitted')).toHaveLength(1);
    const [eventsAfter] = await h.db.select({ n: sql<number>`count(*)::int` }).from(caseEvents).where(eq(caseEvents.event, 'submit'));
    expect(eventsAfter!.n - eventsBefore!.n).toBe(1);
    const [held] = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(cases)
      .where(and(eq(cases.workspaceId, w.acme), inArray(cases.state, [...SLOT_HOLDING_STATES])));
    expect(held!.n).toBe(2);
  });

  it('lets only one of two engineers approving the same request at once win', async () => {
    const c = await caseIn(h.db, w, 'snowflake', 'pending_approval', w.grace);
    const results = await Promise.allSettled([
      applyEvent(h.db, w.erin, { caseId: c.id, event: 'approve', version: c.version }),
      applyEvent(h.db, w.frank, { caseId: c.id, event: 'approve', version: c.version }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect((loser.reason as CaseError).reason).toBe('stale_version');
    const approvals = await h.db
      .select({ actor: auditLog.actorEmail })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.id), eq(auditLog.action, 'case.approve')));
    expect(approvals).toHaveLength(1);
    const [row] = await h.db.select({ state: cases.state, version: cases.version }).from(cases).where(eq(cases.id, c.id));
    expect(row).toEqual({ state: 'provisioning', version: c.version + 1 });
  });

  it('holds a second workspace to its own limit under racing submits', async () => {
    const drafts = [];
    for (let i = 0; i < 6; i++) drafts.push(await caseIn(h.db, w, 'redshift', 'draft', w.grace));
    await Promise.allSettled(drafts.map((d) => applyEvent(h.db, w.grace, { caseId: d.id, event: 'submit', version: d.version })));
    const [held] = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(cases)
      .where(and(eq(cases.workspaceId, w.globex), inArray(cases.state, [...SLOT_HOLDING_STATES])));
    expect(held!.n).toBe(2);
  });
});
