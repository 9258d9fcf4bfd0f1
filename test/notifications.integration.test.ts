import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { countUnread, listNotifications, markNotificationsRead } from '@/db/queries/notifications';
import { auditLog, type Case, notifications, users, workspaces } from '@/db/schema';
import { notifyCaseTransition, type NotifyActor } from '@/lib/notifications/notify';
import { markRead } from '@/lib/notifications/read';
import type { CaseEventName } from '@/lib/cases/machine';
import { createTestDatabase } from './support/db';
import { caseIn, seedWorld, type World } from './support/world';
import type { CaseState } from '@/lib/domain/case-states';

let h: DatabaseHandle;
let w: World;
let c: Case;

beforeAll(async () => {
  delete process.env.NOTIFY_WEBHOOK_URL; // chat delivery is test/notifications.webhook.test.ts's business
  h = await createTestDatabase();
  w = await seedWorld(h.db);
  c = await caseIn(h.db, w, 'snowflake', 'submitted');
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await h.db.delete(notifications);
});

/** What the caller (lib/cases/service.ts applyEvent) does: notify inside its transaction, run the result after commit. */
async function transition(
  to: CaseState,
  event: CaseEventName,
  actor: NotifyActor,
  extra: { from?: CaseState; note?: string; lastError?: string } = {},
) {
  const after = await h.db.transaction((tx) =>
    notifyCaseTransition(tx, {
      caseRow: { ...c, lastError: extra.lastError ?? null },
      from: extra.from ?? 'submitted',
      to,
      event,
      actor,
      note: extra.note,
    }),
  );
  after();
}

async function inbox() {
  const rows = await h.db
    .select({
      email: users.email,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      caseId: notifications.caseId,
      workspaceId: notifications.workspaceId,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .orderBy(users.email);
  return rows;
}
const who = async () => (await inbox()).map((r) => `${r.email} ${r.kind}`);

describe('notifyCaseTransition', () => {
  it('on submit: tells the CSM and the other workspace members, not the submitter, nor another workspace, nor engineers', async () => {
    await transition('submitted', 'submit', w.ada, { from: 'draft' });
    expect(await who()).toEqual(['casey@portal.example case.submitted', 'victor@acme.example case.changed']);
    const rows = await inbox();
    expect(rows.every((r) => r.caseId === c.id && r.workspaceId === w.acme)).toBe(true);
    expect(rows[0]!.title).toBe(`New case PL-${c.number} from Acme`);
  });

  it('on accept: asks the workspace admin for details; the viewer is informed', async () => {
    await transition('awaiting_customer', 'accept', w.casey);
    expect(await who()).toEqual(['ada@acme.example case.action_needed', 'victor@acme.example case.changed']);
    expect((await inbox())[0]!.title).toBe(`PL-${c.number} needs your details`);
  });

  it('on request for provisioning: asks every engineer but the requester for approval', async () => {
    await transition('pending_approval', 'request_provisioning', w.erin, { from: 'ready_to_provision' });
    expect(await who()).toEqual([
      'ada@acme.example case.changed',
      'frank@portal.example case.approval_needed',
      'victor@acme.example case.changed',
    ]);
    expect((await inbox()).find((r) => r.kind === 'case.approval_needed')!.body).toMatch(/^erin@portal\.example requested provisioning/);
  });

  it('on failure by the reconciler: alerts CSMs and engineers with the error', async () => {
    await transition('failed', 'fail', 'reconciler', { from: 'provisioning', lastError: 'Endpoint service not found' });
    expect(await who()).toEqual([
      'ada@acme.example case.changed',
      'casey@portal.example case.failed',
      'erin@portal.example case.failed',
      'frank@portal.example case.failed',
      'victor@acme.example case.changed',
    ]);
    const staff = (await inbox()).find((r) => r.email === 'erin@portal.example')!;
    expect(staff.body).toContain('Endpoint service not found');
    expect((await inbox()).find((r) => r.email === 'ada@acme.example')!.body).not.toContain('Endpoint service not found');
  });

  it('skips disabled accounts', async () => {
    await h.db.update(users).set({ disabled: true }).where(eq(users.id, w.victor.id));
    try {
      await transition('rejected', 'reject', w.casey, { note: 'Region not in beta' });
      expect(await who()).toEqual(['ada@acme.example case.changed']);
      expect((await inbox())[0]!.body).toMatch(/Note: Region not in beta$/);
    } finally {
      await h.db.update(users).set({ disabled: false }).where(eq(users.id, w.victor.id));
    }
  });

  it('when the case moves on, what asked someone to act on it becomes read; what only informed stays unread', async () => {
    await transition('awaiting_customer', 'accept', w.casey);
    const unread = async () =>
      (await h.db.select({ kind: notifications.kind, readAt: notifications.readAt }).from(notifications))
        .filter((n) => n.readAt === null)
        .map((n) => n.kind)
        .sort();
    expect(await unread()).toEqual(['case.action_needed', 'case.changed']);
    await transition('submitted', 'submit', w.ada, { from: 'awaiting_customer' });
    expect(await unread()).not.toContain('case.action_needed');
    expect(await unread()).toContain('case.changed');
  });

  it('writes nothing when the caller’s transaction rolls back', async () => {
    let ran = false;
    await expect(
      h.db.transaction(async (tx) => {
        const after = await notifyCaseTransition(tx, { caseRow: c, from: 'draft', to: 'submitted', event: 'submit', actor: w.ada });
        ran = typeof after === 'function';
        throw new Error('the transition failed later');
      }),
    ).rejects.toThrow('the transition failed later');
    expect(ran).toBe(true);
    expect(await inbox()).toEqual([]);
  });

  it('does not abort the caller’s transaction when a notification cannot be written', async () => {
    // A case row whose workspace does not exist: inserting the staff notifications violates a foreign key.
    const ghost = { ...c, workspaceId: '00000000-0000-4000-8000-000000000000' };
    await h.db.transaction(async (tx) => {
      await notifyCaseTransition(tx, { caseRow: ghost, from: 'draft', to: 'submitted', event: 'submit', actor: w.ada });
      await tx.insert(workspaces).values({ name: 'Written after', slug: 'written-after' });
    });
    expect(await h.db.select().from(workspaces).where(eq(workspaces.slug, 'written-after'))).toHaveLength(1);
    expect(await inbox()).toEqual([]);
  });
});

describe('reading and marking notifications', () => {
  it('lists a reader’s own notifications, counts unread, and marks read only theirs', async () => {
    await transition('awaiting_customer', 'accept', w.casey);
    const ada = { id: w.ada.id, role: w.ada.role, workspaceId: w.ada.workspaceId };
    const victor = { id: w.victor.id, role: w.victor.role, workspaceId: w.victor.workspaceId };
    const list = await listNotifications(ada, {}, h.db);
    expect(list.rows.map((r) => [r.kind, r.caseNumber])).toEqual([['case.action_needed', c.number]]);
    expect(await countUnread(ada, h.db)).toBe(1);
    // Ada cannot mark Victor's notification read, even by id.
    const victorsId = (await listNotifications(victor, {}, h.db)).rows[0]!.id;
    expect(await markNotificationsRead(h.db, ada, [victorsId])).toEqual([]);
    expect(await countUnread(victor, h.db)).toBe(1);
    expect(await markNotificationsRead(h.db, ada, 'all')).toHaveLength(1);
    expect(await countUnread(ada, h.db)).toBe(0);
    expect((await listNotifications(ada, { unreadOnly: true }, h.db)).rows).toEqual([]);
  });

  it('audits marking read, once per action, and only when something changed', async () => {
    await transition('awaiting_customer', 'accept', w.casey);
    const ada = { ...w.ada, workspaceId: w.ada.workspaceId };
    const marks = () =>
      h.db
        .select({ after: auditLog.after, targetId: auditLog.targetId })
        .from(auditLog)
        .where(and(eq(auditLog.action, 'notification.mark_read'), eq(auditLog.actorId, w.ada.id)));
    const before = (await marks()).length;
    const [mine] = (await listNotifications(ada, {}, h.db)).rows;
    expect(await markRead(h.db, ada, { id: mine!.id }, { requestId: 'r1' })).toBe(1);
    expect(await markRead(h.db, ada, { id: mine!.id })).toBe(0); // already read: nothing written
    expect(await markRead(h.db, ada, {})).toBe(0);
    const rows = await marks();
    expect(rows.length - before).toBe(1);
    expect(rows.at(-1)).toEqual({ targetId: mine!.id, after: { count: 1, all: false } });
  });

  it('hides a customer’s notifications about a workspace they no longer belong to', async () => {
    await transition('awaiting_customer', 'accept', w.casey);
    const moved = { id: w.ada.id, role: w.ada.role, workspaceId: w.globex };
    expect(await countUnread(moved, h.db)).toBe(0);
    expect((await listNotifications(moved, {}, h.db)).rows).toEqual([]);
  });

  it('pages newest first', async () => {
    for (let i = 0; i < 3; i++) await transition('awaiting_customer', 'accept', w.casey, { note: `n${i}` });
    const ada = { id: w.ada.id, role: w.ada.role, workspaceId: w.ada.workspaceId };
    const p1 = await listNotifications(ada, { pageSize: 2 }, h.db);
    const p2 = await listNotifications(ada, { pageSize: 2, page: 2 }, h.db);
    expect([p1.hasMore, p2.hasMore]).toEqual([true, false]);
    expect([...p1.rows, ...p2.rows].map((r) => r.body.slice(-2))).toEqual(['n2', 'n1', 'n0']);
  });
});
