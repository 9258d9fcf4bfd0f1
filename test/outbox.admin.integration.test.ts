import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { auditLog, outbox } from '@/db/schema';
import { deliverOnce, outboxConfig, transportsFrom } from '@/lib/outbox/deliver';
import { emailPreferences, listOutbox, resendMessage, setEmailPreferences } from '@/lib/outbox/admin';
import { createTestDatabase } from './support/db';
import { startHttp } from './support/receivers';
import { caseIn, seedWorld, type World } from './support/world';

// What staff do with the outbox (send a failed message again) and what each user chooses for e-mail: both audited.

let h: DatabaseHandle;
let w: World;
beforeAll(async () => {
  h = await createTestDatabase();
  w = await seedWorld(h.db);
});
afterAll(async () => {
  await h?.close();
});

describe('the outbox for staff', () => {
  it('lists held messages when nothing is configured, and sends a failed one again under the same id (audited)', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    const config = outboxConfig({}, { owner: 't', maxAttempts: 1 });
    await deliverOnce(h.db, transportsFrom({}), config);
    const held = await listOutbox(h.db, { state: 'held' });
    expect(held.rows.map((r) => `${r.channel} ${r.caseNumber}`).sort()).toEqual([`email ${c.number}`, `webhook ${c.number}`]);
    expect(held.counts.held).toBe(2);

    let status = 500;
    const http = await startHttp(() => ({ status }));
    try {
      const t = transportsFrom({ NOTIFY_WEBHOOK_URL: http.url });
      const chat = held.rows.find((r) => r.channel === 'webhook')!;
      await resendMessage(h.db, w.erin, { id: chat.id });
      await deliverOnce(h.db, t, config);
      const [failed] = await h.db.select().from(outbox).where(eq(outbox.id, chat.id));
      expect(failed).toMatchObject({ state: 'failed', lastError: 'HTTP 500; gave up after 1 attempts' });
      status = 200;
      await resendMessage(h.db, w.casey, { id: chat.id }, { requestId: 'req-1' });
      await deliverOnce(h.db, t, config);
      const [sent] = await h.db.select().from(outbox).where(eq(outbox.id, chat.id));
      expect(sent!.state).toBe('sent');
      expect(http.hits.map((x) => x.body.delivery_id)).toEqual([chat.id, chat.id]);
      await expect(resendMessage(h.db, w.casey, { id: chat.id })).rejects.toThrow(/only failed or held/);
      await expect(resendMessage(h.db, w.casey, { id: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow(/No such message/);
      const audits = await h.db
        .select({ actor: auditLog.actorEmail, before: auditLog.before, requestId: auditLog.requestId })
        .from(auditLog)
        .where(and(eq(auditLog.action, 'outbox.resend'), eq(auditLog.targetId, chat.id)))
        .orderBy(auditLog.id);
      expect(audits.map((a) => a.actor)).toEqual(['erin@portal.example', 'casey@portal.example']);
      expect(audits[1]!.before).toMatchObject({ state: 'failed', lastError: 'HTTP 500; gave up after 1 attempts' });
      expect(audits[1]!.requestId).toBe('req-1');
    } finally {
      await http.close();
    }
  });
});

describe('e-mail preferences', () => {
  it('offers a role only its kinds, turns the unticked ones off, and audits a change once', async () => {
    expect((await emailPreferences(h.db, w.ada)).map((p) => `${p.kind} ${p.on}`)).toEqual([
      'case.action_needed true',
      'case.staff_message true',
      'case.active true',
      'case.failed true',
      'case.reminder true',
      'usage.threshold_80 true',
      'usage.threshold_100 true',
    ]);
    const keep = ['case.action_needed', 'case.staff_message', 'case.active', 'case.failed', 'usage.threshold_100'] as const;
    // A kind the role cannot get (an engineer's) is ignored rather than stored.
    await setEmailPreferences(h.db, w.ada, { on: [...keep, 'case.approval_needed'] });
    await setEmailPreferences(h.db, w.ada, { on: [...keep] }); // no change: no audit row
    expect((await emailPreferences(h.db, w.ada)).filter((p) => !p.on).map((p) => p.kind)).toEqual(['case.reminder', 'usage.threshold_80']);
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.action, 'account.email_preferences'));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.after).toEqual({ off: ['case.reminder', 'usage.threshold_80'] });
    await expect(setEmailPreferences(h.db, w.ada, { on: ['nonsense'] as never })).rejects.toThrow();
  });
});
