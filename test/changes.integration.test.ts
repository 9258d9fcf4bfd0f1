import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseChangeTag, caseListChangeTag, notificationsBadge, notificationsChangeTag } from '@/db/queries/changes';
import { countUnread, markNotificationsRead } from '@/db/queries/notifications';
import type { DatabaseHandle } from '@/db/index';
import { addNote, sendMessage } from '@/lib/cases/conversation';
import { applyEvent } from '@/lib/cases/service';
import { createTestDatabase } from './support/db';
import { caseIn, seedWorld, type World } from './support/world';
import { STAFF_QUEUE_STATES } from '@/lib/domain/case-states';

// The change tags open pages poll (GET /api/changes): they move exactly when what the page shows moves, and a
// reader learns nothing about a case they may not see.
let h: DatabaseHandle;
let w: World;
beforeAll(async () => {
  h = await createTestDatabase({ real: false });
  w = await seedWorld(h.db, { endpointLimit: 20 });
});
afterAll(async () => {
  await h?.close();
});

describe('change tags', () => {
  it('a case tag moves when the case changes state or gets a note, and is the same for every reader', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    const before = await caseChangeTag(w.ada, c.id, h.db);
    expect(before).toMatch(/^[\w-]{22}$/);
    expect(await caseChangeTag(w.ada, c.id, h.db)).toBe(before);
    expect(await caseChangeTag(w.casey, c.id, h.db)).toBe(before);

    const accepted = await applyEvent(h.db, w.casey, { caseId: c.id, event: 'accept', version: c.version });
    const afterAccept = await caseChangeTag(w.ada, c.id, h.db);
    expect(afterAccept).not.toBe(before);

    // An internal note changes what staff see, and nothing of the customer's page — not even its tag.
    const staffBefore = await caseChangeTag(w.casey, c.id, h.db);
    await addNote(h.db, w.casey, { caseId: c.id, note: 'Called the customer.' });
    expect(await caseChangeTag(w.ada, c.id, h.db)).toBe(afterAccept);
    const staffAfterNote = await caseChangeTag(w.casey, c.id, h.db);
    expect(staffAfterNote).not.toBe(staffBefore);
    // A message to the customer changes both.
    await sendMessage(h.db, w.casey, { caseId: c.id, message: 'Which cluster do you mean?' });
    expect(await caseChangeTag(w.ada, c.id, h.db)).not.toBe(afterAccept);
    expect(await caseChangeTag(w.casey, c.id, h.db)).not.toBe(staffAfterNote);
    expect(accepted.state).toBe('awaiting_customer');
  });

  it("tells another workspace's customer nothing about a case: no tag, as for a missing one", async () => {
    const c = await caseIn(h.db, w, 'snowflake', 'submitted');
    expect(await caseChangeTag(w.grace, c.id, h.db)).toBeNull();
    expect(await caseChangeTag(w.grace, '00000000-0000-4000-8000-000000000000', h.db)).toBeNull();
    expect(await caseChangeTag(w.victor, c.id, h.db)).not.toBeNull();
  });

  it("a customer's list tag moves with their workspace's cases only; the queue's with cases waiting on staff", async () => {
    const acme = await caseListChangeTag(w.ada, undefined, h.db);
    const globex = await caseListChangeTag(w.grace, undefined, h.db);
    const queue = await caseListChangeTag(w.casey, STAFF_QUEUE_STATES, h.db);
    const c = await caseIn(h.db, w, 'databricks', 'submitted', w.grace);
    expect(await caseListChangeTag(w.ada, undefined, h.db)).toBe(acme);
    expect(await caseListChangeTag(w.grace, undefined, h.db)).not.toBe(globex);
    const queued = await caseListChangeTag(w.casey, STAFF_QUEUE_STATES, h.db);
    expect(queued).not.toBe(queue);
    await applyEvent(h.db, w.casey, { caseId: c.id, event: 'accept', version: c.version });
    expect(await caseListChangeTag(w.casey, STAFF_QUEUE_STATES, h.db)).not.toBe(queued);
  });

  it("a reader's notifications tag moves when they get one, not when someone else does", async () => {
    const ada = await notificationsChangeTag(w.ada, h.db);
    const grace = await notificationsChangeTag(w.grace, h.db);
    await caseIn(h.db, w, 'redshift', 'awaiting_customer');
    expect(await notificationsChangeTag(w.ada, h.db)).not.toBe(ada);
    expect(await notificationsChangeTag(w.grace, h.db)).toBe(grace);
  });

  it('the badge counts the reader’s unread notifications, and its tag moves when one is read', async () => {
    await caseIn(h.db, w, 'redshift', 'awaiting_customer', w.grace);
    const before = await notificationsBadge(w.grace, h.db);
    expect(before.unread).toBeGreaterThan(0);
    expect(before.unread).toBe(await countUnread(w.grace, h.db)); // the list page's own count
    expect(before.tag).toBe(await notificationsChangeTag(w.grace, h.db));
    await markNotificationsRead(h.db, w.grace, 'all');
    const after = await notificationsBadge(w.grace, h.db);
    expect(after.unread).toBe(0);
    expect(after.tag).not.toBe(before.tag);
  });
});
