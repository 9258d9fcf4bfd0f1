import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { caseEvents, caseReminders, outbox } from '@/db/schema';
import { applyEvent } from '@/lib/cases/service';
import { remindersDue } from '@/lib/notifications/rules';
import { outboxConfig } from '@/lib/outbox/deliver';
import { sweepReminders } from '@/lib/outbox/reminders';
import { createTestDatabase } from './support/db';
import { caseIn, fillPhase, seedWorld, type World } from './support/world';

// Reminder timing on an injected clock: nothing here waits. A case waiting on the customer e-mails its admins after
// 24 h, then every 72 h; one waiting on staff alerts the chat channel after 24 h, then daily; each reminder once per
// (case, wait, nth), and none once the case moved.

const H = 3_600_000;
const config = outboxConfig(
  {},
  { remind: { customerAfterMs: 24 * H, customerEveryMs: 72 * H, staffAfterMs: 24 * H, staffEveryMs: 24 * H, sweepMs: 0 } },
);

let h: DatabaseHandle;
let w: World;
beforeAll(async () => {
  h = await createTestDatabase();
  w = await seedWorld(h.db, { endpointLimit: 50 });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await h.db.delete(outbox);
});

async function waitStart(caseId: string): Promise<Date> {
  const [e] = await h.db
    .select({ at: caseEvents.createdAt })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), sql`${caseEvents.fromState} is distinct from ${caseEvents.toState}`))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  return e!.at;
}
const reminders = (caseId: string, kind: string) =>
  h.db
    .select({ recipient: outbox.recipient, state: outbox.state, subject: outbox.subject })
    .from(outbox)
    .where(and(eq(outbox.caseId, caseId), eq(outbox.kind, kind)));

describe('reminders', () => {
  it('counts the reminders due: none before the first, then one per period', () => {
    expect([0, 23.9, 24, 95.9, 96, 168].map((hours) => remindersDue(hours * H, 24 * H, 72 * H))).toEqual([0, 0, 1, 1, 2, 3]);
  });

  it('reminds the customer after 24 h and every 72 h, once each however often it sweeps, and stops when the case moves', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'awaiting_customer');
    await h.db.delete(outbox);
    const t0 = await waitStart(c.id);
    const at = (hours: number) => new Date(t0.getTime() + hours * H);

    expect(await sweepReminders(h.db, config, at(23.5))).toMatchObject({ customer: 0 });
    expect(await reminders(c.id, 'case.reminder')).toEqual([]);

    expect(await sweepReminders(h.db, config, at(24))).toMatchObject({ customer: 1 });
    expect(await sweepReminders(h.db, config, at(30))).toMatchObject({ customer: 0 }); // the same reminder: not again
    const first = await reminders(c.id, 'case.reminder');
    expect(first.map((r) => r.recipient)).toEqual(['ada@acme.example']); // admins only, this workspace only
    expect(first[0]!.subject).toBe(`Reminder: PL-${c.number} is waiting for you`);

    expect(await sweepReminders(h.db, config, at(95))).toMatchObject({ customer: 0 });
    expect(await sweepReminders(h.db, config, at(96))).toMatchObject({ customer: 1 });
    expect(await reminders(c.id, 'case.reminder')).toHaveLength(2);

    // Two sweeps at once (two loops): still one reminder.
    const both = await Promise.all([sweepReminders(h.db, config, at(168)), sweepReminders(h.db, config, at(168))]);
    expect(both[0]!.customer + both[1]!.customer).toBe(1);
    expect(await h.db.select().from(caseReminders).where(eq(caseReminders.caseId, c.id))).toHaveLength(3);

    // The customer answers: the case moves, the reminder not yet sent is cancelled, and no more come.
    const v = await fillPhase(h.db, w.ada, c.id, c.version, 'redshift', 'details');
    await applyEvent(h.db, w.ada, { caseId: c.id, event: 'provide_details', version: v });
    expect((await reminders(c.id, 'case.reminder')).map((r) => r.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const sweep = await sweepReminders(h.db, config, at(1000));
    expect(await reminders(c.id, 'case.reminder')).toHaveLength(3);
    expect(sweep.customer).toBe(0);
  });

  it('alerts the chat channel when a case waits on staff, and a new wait starts its own count', async () => {
    const c = await caseIn(h.db, w, 'snowflake', 'submitted');
    await h.db.delete(outbox);
    const t0 = await waitStart(c.id);
    const at = (hours: number) => new Date(t0.getTime() + hours * H);
    const staff = () => reminders(c.id, 'reminder.staff');
    await sweepReminders(h.db, config, at(10));
    expect(await staff()).toEqual([]);
    await sweepReminders(h.db, config, at(25));
    await sweepReminders(h.db, config, at(26));
    const alerts = await staff();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.subject).toMatch(new RegExp(`PL-${c.number} has waited 25 h in “Submitted”`));
    await sweepReminders(h.db, config, at(48));
    expect(await staff()).toHaveLength(2);
    // Accepted: the case now waits on the customer, whose first reminder counts from the acceptance.
    await applyEvent(h.db, w.casey, { caseId: c.id, event: 'accept', version: c.version });
    const t1 = await waitStart(c.id);
    expect(await sweepReminders(h.db, config, new Date(t1.getTime() + 23 * H))).toEqual({ customer: 0, staff: expect.any(Number) });
    expect(await staff()).toHaveLength(2);
    expect((await sweepReminders(h.db, config, new Date(t1.getTime() + 24 * H))).customer).toBeGreaterThanOrEqual(1);
    expect(await reminders(c.id, 'case.reminder')).toHaveLength(1);
  });
});
