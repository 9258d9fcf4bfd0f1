import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { cases, emailOptOuts, notifications, outbox, users, workspaces } from '@/db/schema';
import { applyEvent } from '@/lib/cases/service';
import { notifyCaseTransition } from '@/lib/notifications/notify';
import { deliverOnce, type OutboxConfig, outboxConfig, type Transports, transportsFrom } from '@/lib/outbox/deliver';
import { notifyUsageThresholds } from '@/lib/usage/thresholds';
import { createTestDatabase } from './support/db';
import { type Answer, startHttp, startSmtp } from './support/receivers';
import { caseIn, seedWorld, type World } from './support/world';

// The outbox end to end on real receivers: case events write e-mail and chat rows in their own transaction, and the
// delivery loop's rounds send them through a real SMTP server and a real HTTP webhook, retrying, backing off as the
// receiver asks and giving up with the reason kept.

let h: DatabaseHandle;
let w: World;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let http: Awaited<ReturnType<typeof startHttp>>;
let answer: (n: number) => Answer = () => ({ status: 200 });
let rcptCode: (to: string) => number | null = () => null;
let transports: Transports;
const config: OutboxConfig = outboxConfig(
  {},
  { owner: 'test-loop', backoffBaseMs: 1_000, backoffMaxMs: 60_000, maxAttempts: 3, sendTimeoutMs: 2_000 },
);

beforeAll(async () => {
  h = await createTestDatabase();
  w = await seedWorld(h.db, { endpointLimit: 50 });
  smtp = await startSmtp({ reject: (to) => rcptCode(to) });
  http = await startHttp((_hit, n) => answer(n));
  transports = transportsFrom({ SMTP_URL: smtp.url, SMTP_FROM: 'Portal <portal@portal.example>', NOTIFY_WEBHOOK_URL: http.url }, 2_000);
});
afterAll(async () => {
  transports?.close();
  await Promise.all([smtp?.close(), http?.close()]);
  await h?.close();
});
beforeEach(async () => {
  await h.db.delete(outbox);
  smtp.mails.length = 0;
  http.hits.length = 0;
  answer = () => ({ status: 200 });
  rcptCode = () => null;
});

const rows = () => h.db.select().from(outbox).orderBy(outbox.createdAt);
/** Deliver rounds until nothing is due at `at` (an injected clock: no waiting on timers). */
async function drain(at: Date = new Date()) {
  for (let i = 0; i < 20; i++) if ((await deliverOnce(h.db, transports, config, () => at)).length === 0) return;
}

describe('case events write their messages to the outbox and the loop delivers them', () => {
  it('a submission e-mails the CSM and posts to chat, with stable delivery ids, exactly once', async () => {
    const c = await caseIn(h.db, w, 'snowflake', 'submitted');
    const written = await rows();
    expect(written.map((r) => `${r.channel} ${r.kind} ${r.recipient ?? ''}`).sort()).toEqual([
      'email case.submitted casey@portal.example',
      'webhook case_submitted ',
    ]);
    await drain();
    expect((await rows()).map((r) => r.state)).toEqual(['sent', 'sent']);
    const email = written.find((r) => r.channel === 'email')!;
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(['casey@portal.example']);
    expect(mail.messageId).toBe(`<${email.id}@localhost>`);
    expect(mail.subject).toBe(`New case PL-${c.number} from Acme`);
    expect(mail.raw.replace(/=\r?\n/g, '')).toContain(`/cases/${c.id}`); // quoted-printable soft breaks undone
    const hook = written.find((r) => r.channel === 'webhook')!;
    expect(http.hits.map((x) => x.body.delivery_id)).toEqual([hook.id]);
    expect(http.hits[0]!.idempotencyKey).toBe(hook.id);
    expect(http.hits[0]!.body.text).toContain(`New PrivateLink case PL-${c.number}`);
    await drain();
    expect(smtp.mails).toHaveLength(1);
    expect(http.hits).toHaveLength(1);
  });

  it('asks the customer admin to act, and tells the CSM when they answered; never another workspace', async () => {
    const c = await caseIn(h.db, w, 'rds_postgres', 'awaiting_customer');
    const accept = (await rows()).filter((r) => r.kind === 'case.action_needed');
    expect(accept.map((r) => r.recipient)).toEqual(['ada@acme.example']);
    expect(String(accept[0]!.payload.text)).toMatch(/allowed principal/);
    await h.db.delete(outbox);
    await caseIn(h.db, w, 'redshift', 'ready_to_provision');
    const replied = (await rows()).filter((r) => r.kind === 'case.customer_replied');
    expect(replied.map((r) => r.recipient)).toEqual(['casey@portal.example']);
    const all = await rows();
    expect(all.some((r) => r.recipient === 'grace@globex.example')).toBe(false);
    expect(JSON.stringify(all)).not.toContain('Globex');
    expect(c.id).toBeTruthy();
  });

  it('asks engineers other than the requester for approval', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'ready_to_provision');
    await h.db.delete(outbox);
    await applyEvent(h.db, w.erin, { caseId: c.id, event: 'request_provisioning', version: c.version });
    const r = await rows();
    expect(r.filter((x) => x.channel === 'email').map((x) => `${x.kind} ${x.recipient}`)).toEqual([
      'case.approval_needed frank@portal.example',
    ]);
    expect(r.filter((x) => x.channel === 'webhook').map((x) => x.kind)).toEqual(['approval_needed']);
  });

  it('writes nothing when the transition rolls back', async () => {
    const [c] = await h.db.select().from(cases).limit(1);
    await h.db
      .transaction(async (tx) => {
        await notifyCaseTransition(tx, { caseRow: c!, from: 'draft', to: 'submitted', event: 'submit', actor: w.ada });
        tx.rollback();
      })
      .catch(() => {});
    expect(await rows()).toEqual([]);
  });

  it('respects a user who turned a kind of e-mail off; in-app stays', async () => {
    await h.db.insert(emailOptOuts).values({ userId: w.casey.id, kind: 'case.submitted' });
    try {
      const c = await caseIn(h.db, w, 'redshift', 'submitted');
      expect((await rows()).filter((r) => r.channel === 'email')).toEqual([]);
      const inApp = await h.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.caseId, c.id), eq(notifications.userId, w.casey.id)));
      expect(inApp.map((n) => n.kind)).toEqual(['case.submitted']);
    } finally {
      await h.db.delete(emailOptOuts);
    }
  });

  it('resolves the notifications that asked to act once the case leaves that state', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    const unread = () =>
      h.db
        .select({ kind: notifications.kind, readAt: notifications.readAt })
        .from(notifications)
        .where(and(eq(notifications.caseId, c.id), eq(notifications.userId, w.casey.id)));
    expect((await unread()).map((n) => n.readAt)).toEqual([null]);
    await applyEvent(h.db, w.erin, { caseId: c.id, event: 'accept', version: c.version });
    expect((await unread()).every((n) => n.readAt !== null)).toBe(true);
  });

  it('e-mails the live connection with the values to paste, and a failure without internal detail to customers', async () => {
    const c = await caseIn(h.db, w, 'rds_postgres', 'provisioning');
    await h.db.delete(outbox);
    const host = 'vpce-0abc-123.vpce-svc-1.us-east-1.vpce.amazonaws.com';
    await h.db.transaction((tx) =>
      notifyCaseTransition(tx, {
        caseRow: { ...c, outputs: { host } },
        from: 'awaiting_customer_action',
        to: 'active',
        event: 'activate',
        actor: 'reconciler',
      }),
    );
    const live = (await rows()).find((r) => r.kind === 'case.active')!;
    expect(live.recipient).toBe('ada@acme.example');
    expect(String(live.payload.text)).toContain(`Host: ${host}`);
    await h.db.delete(outbox);
    await h.db.transaction((tx) =>
      notifyCaseTransition(tx, {
        caseRow: { ...c, lastError: 'InvalidServiceName: vpce-svc-internal' },
        from: 'provisioning',
        to: 'failed',
        event: 'fail',
        actor: 'reconciler',
      }),
    );
    const failed = (await rows()).filter((r) => r.kind === 'case.failed');
    expect(failed.map((r) => r.recipient).sort()).toEqual(['ada@acme.example', 'erin@portal.example', 'frank@portal.example']);
    expect(JSON.stringify(failed.find((r) => r.recipient === 'ada@acme.example'))).not.toContain('vpce-svc-internal');
    expect(JSON.stringify(failed.find((r) => r.recipient === 'erin@portal.example'))).toContain('vpce-svc-internal');
  });

  it('escapes what a workspace name could inject into the HTML', async () => {
    const [ws] = await h.db
      .insert(workspaces)
      .values({ name: '<img src=x onerror=alert(1)> & Co', slug: 'xss', endpointLimit: 5 })
      .returning();
    const [admin] = await h.db
      .insert(users)
      .values({ email: 'mal@xss.example', name: 'Mal', role: 'customer_admin', workspaceId: ws!.id })
      .returning();
    await caseIn(h.db, w, 'redshift', 'submitted', { id: admin!.id, role: 'customer_admin', workspaceId: ws!.id, email: admin!.email });
    const mail = (await rows()).find((r) => r.channel === 'email')!;
    expect(String(mail.payload.html)).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; Co');
    expect(String(mail.payload.html)).not.toContain('<img');
  });

  it('announces usage thresholds to the workspace and staff by e-mail and chat', async () => {
    const { usageDaily, endpoints } = await import('@/db/schema');
    const c = await caseIn(h.db, w, 'redshift', 'provisioning');
    const [ep] = await h.db
      .insert(endpoints)
      .values({ caseId: c.id, workspaceId: w.acme, region: 'us-east-1', kind: 'redshift_managed' })
      .returning();
    await h.db.delete(outbox);
    const now = new Date();
    await h.db
      .insert(usageDaily)
      .values({ endpointId: ep!.id, workspaceId: w.acme, day: now.toISOString().slice(0, 10), bytes: 250 * 2 ** 30 });
    expect(await notifyUsageThresholds(h.db, w.acme, now)).toEqual([80]);
    const r = await rows();
    expect(r.filter((x) => x.channel === 'email').map((x) => x.recipient)).toEqual([
      'ada@acme.example',
      'casey@portal.example',
      'victor@acme.example',
    ]);
    expect(r.filter((x) => x.channel === 'webhook').map((x) => x.kind)).toEqual(['usage_threshold']);
  });
});

describe('delivery: retries, Retry-After, giving up, holding', () => {
  async function oneChatRow() {
    await caseIn(h.db, w, 'redshift', 'submitted');
    await h.db.delete(outbox).where(eq(outbox.channel, 'email'));
    return (await rows())[0]!;
  }

  it('retries a 5xx with backoff, waits as long as a 429 Retry-After asks, then delivers', async () => {
    const row = await oneChatRow();
    answer = (n) => (n === 1 ? { status: 503 } : n === 2 ? { status: 429, headers: { 'retry-after': '30' } } : { status: 200 });
    const t0 = new Date();
    await deliverOnce(h.db, transports, config, () => t0);
    let [r] = await rows();
    expect(r).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 503' });
    const wait1 = r!.nextAttemptAt.getTime() - t0.getTime();
    expect(wait1).toBeGreaterThanOrEqual(500); // backoff 1 s, equal jitter
    expect(wait1).toBeLessThanOrEqual(1_000);
    expect(await deliverOnce(h.db, transports, config, () => t0)).toEqual([]); // not due yet
    const t1 = new Date(t0.getTime() + 1_000);
    await deliverOnce(h.db, transports, config, () => t1);
    [r] = await rows();
    expect(r).toMatchObject({ state: 'pending', attempts: 2, lastError: 'HTTP 429' });
    expect(r!.nextAttemptAt.getTime() - t1.getTime()).toBe(30_000); // the receiver's wish, above the 2 s backoff
    const t2 = new Date(t1.getTime() + 30_000);
    await deliverOnce(h.db, transports, config, () => t2);
    [r] = await rows();
    expect(r).toMatchObject({ state: 'sent', attempts: 3, lastError: null });
    expect(http.hits.map((x) => x.body.delivery_id)).toEqual([row.id, row.id, row.id]);
  });

  it('gives up after the last attempt, keeping the reason', async () => {
    await oneChatRow();
    answer = () => ({ status: 500 });
    let at = new Date();
    for (let i = 0; i < 5; i++) {
      await deliverOnce(h.db, transports, config, () => at);
      at = new Date(at.getTime() + 120_000);
    }
    const [r] = await rows();
    expect(r).toMatchObject({ state: 'failed', attempts: 3, lastError: 'HTTP 500; gave up after 3 attempts' });
    expect(http.hits).toHaveLength(3);
  });

  it('does not retry what the receiver refuses for good (4xx, SMTP 5xx), and retries SMTP 4xx', async () => {
    await oneChatRow();
    answer = () => ({ status: 404 });
    await drain();
    expect((await rows())[0]).toMatchObject({ state: 'failed', attempts: 1, lastError: 'HTTP 404; refused, not retried' });
    await h.db.delete(outbox);
    await caseIn(h.db, w, 'redshift', 'submitted');
    await h.db.delete(outbox).where(eq(outbox.channel, 'webhook'));
    rcptCode = () => 451;
    await drain();
    expect((await rows())[0]).toMatchObject({ state: 'pending', attempts: 1, lastError: 'SMTP 451' });
    rcptCode = () => 550;
    await drain(new Date(Date.now() + 120_000));
    expect((await rows())[0]).toMatchObject({ state: 'failed', attempts: 2, lastError: 'SMTP 550; refused, not retried' });
    expect(smtp.mails).toEqual([]);
  });

  it('gives up on a message whose deliverers kept dying mid-send, without sending it again', async () => {
    await oneChatRow();
    await h.db.update(outbox).set({ attempts: config.maxAttempts }); // claimed that often, never settled
    await drain();
    expect((await rows())[0]).toMatchObject({ state: 'failed', attempts: config.maxAttempts + 1 });
    expect((await rows())[0]!.lastError).toMatch(/stopped mid-send/);
    expect(http.hits).toEqual([]);
  });

  it('keeps messages (held) when no transport is configured, so staff see what would have been sent', async () => {
    await caseIn(h.db, w, 'redshift', 'submitted');
    const none = transportsFrom({});
    for (let i = 0; i < 3; i++) await deliverOnce(h.db, none, config);
    const r = await rows();
    expect(r.map((x) => `${x.channel} ${x.state}`).sort()).toEqual(['email held', 'webhook held']);
    expect(r.find((x) => x.channel === 'email')!.lastError).toMatch(/SMTP_URL is not set/);
    expect(smtp.mails).toEqual([]);
  });
});
