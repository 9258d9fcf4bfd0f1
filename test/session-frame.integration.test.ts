import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { caseChangeTag, caseForPage, notificationsBadge } from '@/db/queries/changes';
import { countUnread } from '@/db/queries/notifications';
import { users, workspaces } from '@/db/schema';
import { sessionAccount, sessionFrame } from '@/lib/auth/session-account';
import { listCaseEvents, listCaseMessages } from '@/db/queries/cases';
import { addNote, sendMessage } from '@/lib/cases/conversation';
import { getCase } from '@/lib/cases/service';
import { createTestDatabase } from './support/db';
import { caseIn, type Person, seedWorld, type World } from './support/world';

// The page frame (account, workspace name, notifications badge) and the case page's first read are each one
// statement standing in for several; each must answer exactly what the separate reads answer.
describe.each([
  ['PGlite', false],
  ['PostgreSQL', true],
] as const)('one-statement page reads on %s', (_name, real) => {
  let h: DatabaseHandle;
  let w: World;
  const claimsOf = async (p: Person) => {
    const [u] = await h.db.select({ gen: users.sessionGeneration }).from(users).where(eq(users.id, p.id));
    return { uid: p.id, gen: u!.gen };
  };
  const workspaceName = async (id: string | null) =>
    id ? ((await h.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, id)))[0]?.name ?? null) : null;

  beforeAll(async () => {
    if (real && !process.env.TEST_DATABASE_URL) return;
    h = await createTestDatabase({ real });
    w = await seedWorld(h.db, { endpointLimit: 20 });
    // Notifications for customers of both workspaces and for staff, some read.
    await caseIn(h.db, w, 'redshift', 'awaiting_customer');
    await caseIn(h.db, w, 'snowflake', 'awaiting_customer', w.grace);
    await caseIn(h.db, w, 'databricks', 'provisioning');
  });
  afterAll(async () => {
    await h?.close();
  });

  it.skipIf(real && !process.env.TEST_DATABASE_URL)(
    'the frame is the account sessionAccount reads, its workspace name and the badge notificationsBadge reads',
    async () => {
      for (const p of [w.ada, w.victor, w.grace, w.casey, w.erin]) {
        const claims = await claimsOf(p);
        const frame = await sessionFrame(h.db, claims);
        expect(frame?.user).toEqual(await sessionAccount(h.db, claims));
        expect(frame?.workspaceName).toBe(await workspaceName(p.workspaceId));
        const badge = await notificationsBadge(p, h.db);
        expect(frame?.notifications).toEqual({ unread: badge.unread, tag: badge.tag });
        expect(frame?.notifications.unread).toBe(await countUnread(p, h.db)); // the notifications page's own count
      }
      // Somebody has something unread, or the comparison above proved little.
      expect((await sessionFrame(h.db, await claimsOf(w.ada)))?.notifications.unread).toBeGreaterThan(0);
    },
  );

  it.skipIf(real && !process.env.TEST_DATABASE_URL)(
    "a customer moved to another workspace stops counting the old one's notifications, as the list does",
    async () => {
      const [mover] = await h.db
        .insert(users)
        .values({ email: `mover-${real}@acme.example`, name: 'Mover', role: 'customer_admin', workspaceId: w.ada.workspaceId })
        .returning({ id: users.id, role: users.role, workspaceId: users.workspaceId, email: users.email });
      const c = await caseIn(h.db, w, 'rds_postgres', 'awaiting_customer', mover!);
      expect(c.workspaceId).toBe(w.ada.workspaceId);
      const before = await sessionFrame(h.db, await claimsOf(mover!));
      expect(before?.notifications.unread).toBeGreaterThan(0);
      await h.db.update(users).set({ workspaceId: w.grace.workspaceId }).where(eq(users.id, mover!.id));
      const moved = { ...mover!, workspaceId: w.grace.workspaceId };
      const after = await sessionFrame(h.db, await claimsOf(moved));
      expect(after?.workspaceName).toBe(await workspaceName(w.grace.workspaceId));
      expect(after?.notifications.unread).toBe(await countUnread(moved, h.db));
      expect(after?.notifications.unread).toBeLessThan(before!.notifications.unread);
    },
  );

  it.skipIf(real && !process.env.TEST_DATABASE_URL)('an ended or disabled session has no frame', async () => {
    const claims = await claimsOf(w.victor);
    expect(await sessionFrame(h.db, { ...claims, gen: claims.gen + 1 })).toBeNull();
    expect(await sessionFrame(h.db, { uid: '00000000-0000-4000-8000-000000000000', gen: 0 })).toBeNull();
    expect(await sessionFrame(h.db, {})).toBeNull();
    await h.db.update(users).set({ disabled: true }).where(eq(users.id, w.victor.id));
    expect(await sessionFrame(h.db, claims)).toBeNull();
    await h.db.update(users).set({ disabled: false }).where(eq(users.id, w.victor.id));
    expect(await sessionFrame(h.db, claims)).not.toBeNull();
  });

  it.skipIf(real && !process.env.TEST_DATABASE_URL)(
    "the case page's read is getCase's case with caseChangeTag's tag, the timeline and the reader's conversation, and nothing for a reader out of reach",
    async () => {
      const c = await caseIn(h.db, w, 'redshift', 'submitted');
      await sendMessage(h.db, w.casey, { caseId: c.id, message: 'Which account holds the cluster?' });
      await sendMessage(h.db, w.ada, { caseId: c.id, message: 'The analytics one, "prod" — 123456789012.' });
      await addNote(h.db, w.casey, { caseId: c.id, note: 'Internal: checked the cluster.' });
      for (const p of [w.ada, w.victor, w.casey, w.erin]) {
        const read = await caseForPage(p, c.id, h.db);
        expect(read?.c).toEqual(await getCase(h.db, p, c.id));
        expect(read?.events).toEqual(await listCaseEvents(c.id, h.db));
        expect(read?.messages).toEqual(await listCaseMessages(p, c.id, h.db));
        // Staff and customers get different tags (the internal note): each the one its poll compares with.
        expect(read?.tag).toBe(await caseChangeTag(p, c.id, h.db));
        expect(read?.workspaceName).toBe(await workspaceName(c.workspaceId));
        const [ws] = await h.db
          .select({ auto: workspaces.autoRequestProvisioning })
          .from(workspaces)
          .where(eq(workspaces.id, c.workspaceId));
        expect(read?.autoRequest).toBe(ws!.auto);
      }
      expect((await caseForPage(w.ada, c.id, h.db))?.tag).not.toBe((await caseForPage(w.casey, c.id, h.db))?.tag);
      // Written out: who sees which message, and the timeline's shape, whatever the two list queries say.
      const customer = await caseForPage(w.ada, c.id, h.db);
      expect(customer?.messages.map((m) => [m.audience, m.authorName, m.body])).toEqual([
        ['customer', 'Casey', 'Which account holds the cluster?'],
        ['customer', 'Ada', 'The analytics one, "prod" — 123456789012.'],
      ]);
      expect((await caseForPage(w.erin, c.id, h.db))?.messages.map((m) => m.audience)).toEqual(['customer', 'customer', 'internal']);
      expect(customer?.events.length).toBeGreaterThan(0);
      for (const e of customer?.events ?? []) expect(e.createdAt).toBeInstanceOf(Date);
      expect(customer?.events.map((e) => e.id)).toEqual([...(customer?.events.map((e) => e.id) ?? [])].sort((a, b) => a - b));
      // A case with nothing said yet: empty lists, not null.
      const quiet = await caseIn(h.db, w, 'snowflake', 'draft');
      expect((await caseForPage(w.ada, quiet.id, h.db))?.messages).toEqual([]);
      expect(await caseForPage(w.grace, c.id, h.db)).toBeNull();
      expect(await caseForPage(w.ada, 'not-a-uuid', h.db)).toBeNull();
      expect(await caseForPage(w.ada, '00000000-0000-4000-8000-000000000000', h.db)).toBeNull();
    },
  );
});
