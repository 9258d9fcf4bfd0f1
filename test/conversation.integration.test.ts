import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { listCaseMessages } from '@/db/queries/cases';
import { listNotifications } from '@/db/queries/notifications';
import { auditLog, notifications, outbox } from '@/db/schema';
import { addNote, sendMessage } from '@/lib/cases/conversation';
import { applyEvent, CaseError } from '@/lib/cases/service';
import { createTestDatabase } from './support/db';
import { caseIn, seedWorld, type World } from './support/world';

// The conversation on a case: messages between the workspace and staff reach the other side in the portal and by
// e-mail; internal notes reach nobody and never leave staff's pages; request changes sends a case back with a reason.

let h: DatabaseHandle;
let w: World;
beforeAll(async () => {
  h = await createTestDatabase();
  w = await seedWorld(h.db, { endpointLimit: 50 });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await h.db.delete(outbox);
  await h.db.delete(notifications);
});

const NOTE = 'Internal: their account manager says budget is unclear';
const notes = (caseId: string) =>
  h.db
    .select({ userId: notifications.userId, kind: notifications.kind, body: notifications.body, readAt: notifications.readAt })
    .from(notifications)
    .where(eq(notifications.caseId, caseId));
const mails = (caseId: string) =>
  h.db
    .select({ kind: outbox.kind, recipient: outbox.recipient, subject: outbox.subject, payload: outbox.payload })
    .from(outbox)
    .where(eq(outbox.caseId, caseId));

describe('messages on a case', () => {
  it("brings a workspace admin's message to the CSMs, in the portal and by e-mail, audited", async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    await h.db.delete(outbox);
    await h.db.delete(notifications);
    await sendMessage(h.db, w.ada, { caseId: c.id, message: 'The cluster is in our second account.' });
    expect((await notes(c.id)).map((n) => [n.userId, n.kind])).toEqual([[w.casey.id, 'case.message']]);
    // The CSM reads it in their own list (staff reach every workspace's notifications).
    const list = await listNotifications(w.casey, {}, h.db);
    expect(list.rows.map((n) => n.body)).toEqual([expect.stringContaining('The cluster is in our second account.')]);
    expect((await listNotifications(w.grace, {}, h.db)).rows).toEqual([]);
    expect((await notes(c.id))[0]!.body).toContain('The cluster is in our second account.');
    const m = await mails(c.id);
    expect(m.map((x) => [x.kind, x.recipient])).toEqual([['case.customer_replied', 'casey@portal.example']]);
    expect(JSON.stringify(m[0]!.payload)).toContain('The cluster is in our second account.');
    const [audit] = await h.db
      .select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.id), eq(auditLog.action, 'case.message')));
    expect(audit).toEqual({ action: 'case.message', actorId: w.ada.id });
  });

  it("brings staff's message to the workspace: its members in the portal, its admins by e-mail", async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    await h.db.delete(outbox);
    await h.db.delete(notifications);
    await sendMessage(h.db, w.casey, { caseId: c.id, message: 'Which account holds the cluster?' });
    expect((await notes(c.id)).map((n) => n.userId).sort()).toEqual([w.ada.id, w.victor.id].sort());
    expect((await mails(c.id)).map((x) => [x.kind, x.recipient])).toEqual([['case.staff_message', 'ada@acme.example']]);
  });

  it('refuses a read-only member, and answers another workspace as for a missing case', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    await expect(sendMessage(h.db, w.victor, { caseId: c.id, message: 'Hello there' })).rejects.toMatchObject({ reason: 'wrong_role' });
    await expect(sendMessage(h.db, w.grace, { caseId: c.id, message: 'Hello there' })).rejects.toMatchObject({ reason: 'not_found' });
    await expect(addNote(h.db, w.ada, { caseId: c.id, note: 'Hello there' })).rejects.toBeInstanceOf(CaseError);
  });

  it('keeps an internal note to staff: no notification, no e-mail, not in what a customer reads', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    await h.db.delete(outbox);
    await h.db.delete(notifications);
    await addNote(h.db, w.casey, { caseId: c.id, note: NOTE });
    await sendMessage(h.db, w.casey, { caseId: c.id, message: 'A question for you.' });
    expect(JSON.stringify(await notes(c.id))).not.toContain(NOTE);
    expect(JSON.stringify(await mails(c.id))).not.toContain(NOTE);
    for (const customer of [w.ada, w.victor])
      expect((await listCaseMessages(customer, c.id, h.db)).map((m) => [m.audience, m.body])).toEqual([
        ['customer', 'A question for you.'],
      ]);
    for (const staff of [w.casey, w.erin, w.alex])
      expect((await listCaseMessages(staff, c.id, h.db)).map((m) => m.audience)).toEqual(['internal', 'customer']);
  });
});

describe('request changes', () => {
  it('sends a submitted case back to the draft with the reason, tells its admins, and resolves "needs you" for the CSM', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    const before = await notes(c.id);
    expect(before.find((n) => n.userId === w.casey.id)).toMatchObject({ kind: 'case.submitted', readAt: null });
    await h.db.delete(outbox);
    const back = await applyEvent(h.db, w.casey, { caseId: c.id, event: 'request_changes', version: c.version, note: 'Use port 5439.' });
    expect(back.state).toBe('draft');
    const after = await notes(c.id);
    expect(after.find((n) => n.userId === w.casey.id)!.readAt).not.toBeNull();
    const ada = after.find((n) => n.userId === w.ada.id && n.kind === 'case.action_needed');
    expect(ada?.body).toContain('Use port 5439.');
    expect(after.filter((n) => n.userId === w.victor.id).map((n) => n.kind)).toEqual(['case.changed', 'case.changed']);
    const m = await mails(c.id);
    expect(m.map((x) => [x.kind, x.recipient])).toEqual([['case.action_needed', 'ada@acme.example']]);
    expect(JSON.stringify(m[0]!.payload)).toContain('Changes are needed');
    expect(JSON.stringify(m[0]!.payload)).toContain('Use port 5439.');
    // The customer changes and submits again.
    expect((await applyEvent(h.db, w.ada, { caseId: c.id, event: 'submit', version: back.version })).state).toBe('submitted');
  });

  it('refuses without a reason, and for a customer', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    await expect(applyEvent(h.db, w.casey, { caseId: c.id, event: 'request_changes', version: c.version })).rejects.toMatchObject({
      reason: 'guard_failed',
    });
    await expect(
      applyEvent(h.db, w.ada, { caseId: c.id, event: 'request_changes', version: c.version, note: 'please' }),
    ).rejects.toMatchObject({ reason: 'wrong_role' });
  });

  it('sends details given after acceptance back to the details step', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'ready_to_provision');
    const back = await applyEvent(h.db, w.erin, { caseId: c.id, event: 'request_changes', version: c.version, note: 'Wrong cluster.' });
    expect(back.state).toBe('awaiting_customer');
  });
});
