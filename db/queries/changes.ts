import 'server-only';
import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Db, getDb } from '@/db/index';
import { prepareOnce } from '@/db/prepared';
import { z } from 'zod';
import { type Case, cases, notifications, workspaces } from '@/db/schema';
import { type CaseEvent, type CaseMessage, caseListsJson, caseScope } from './cases';
import { mine, type Reader } from './notifications';
import type { CaseState } from '@/lib/domain/case-states';
import { isStaff, reachableWorkspace } from '@/lib/domain/roles';

// Change tags: a short opaque value that changes whenever what a page shows changes. Pages render the tag they were
// built from; the browser asks GET /api/changes for the current one (ETag/304) and refreshes the page when it
// differs. Each tag is one indexed read, scoped to the reader exactly as the page's own query is.

const tag = (...parts: unknown[]) => createHash('sha256').update(parts.map(String).join('|')).digest('base64url').slice(0, 22);

/**
 * One case as its page shows it: `version` moves with every state change, answer and output; the latest event id
 * with the timeline; the latest message the reader may see with the conversation.
 */
function caseTagColumns(reader: Reader) {
  return {
    version: cases.version,
    // Spelled out: inside a subquery the columns must carry their table names.
    lastEvent: sql<string | null>`(select max(e.id) from case_events e where e.case_id = "cases"."id")`,
    // Only the messages the reader may see: an internal note must not change a customer's page, not even its tag.
    lastMessage: isStaff(reader.role)
      ? sql<string | null>`(select max(m.id) from case_messages m where m.case_id = "cases"."id")`
      : sql<string | null>`(select max(m.id) from case_messages m where m.case_id = "cases"."id" and m.audience = 'customer')`,
  };
}

const caseTag = (caseId: string, r: { version: number; lastEvent: string | null; lastMessage: string | null }) =>
  tag('case', caseId, r.version, r.lastEvent, r.lastMessage);

/** The case's change tag; null when the reader may not see the case (the page answers 404 then too). */
export async function caseChangeTag(reader: Reader, caseId: string, db?: Db): Promise<string | null> {
  const d = db ?? (await getDb());
  const [row] = await d
    .select(caseTagColumns(reader))
    .from(cases)
    .where(and(eq(cases.id, caseId), caseScope(reader)));
  return row ? caseTag(caseId, row) : null;
}

/**
 * What the case page reads, in one statement: the case, if the reader may see it (scoped in SQL), with its change
 * tag, its timeline and the conversation the reader may see, all from the same snapshot (so the tag always belongs
 * to what the page shows), its workspace's name and whether the workspace requests provisioning by itself. Null for
 * a case out of reach or an id that is not a UUID.
 */
export async function caseForPage(
  reader: Reader,
  caseId: string,
  db?: Db,
): Promise<{
  c: Case;
  tag: string;
  workspaceName: string | null;
  autoRequest: boolean;
  events: CaseEvent[];
  messages: CaseMessage[];
} | null> {
  if (!z.string().uuid().safeParse(caseId).success) return null;
  const reach = reachableWorkspace(reader);
  if (reach === null) return null; // a customer without a workspace reaches no case
  const d = db ?? (await getDb());
  // Two SQL texts: staff read any case and every message; a customer only their workspace's (bound to the
  // placeholder), without internal notes.
  const read = prepareOnce(d, reach === 'all' ? 'case_page_staff' : 'case_page_customer', (name) =>
    d
      .select({
        c: cases,
        ...caseTagColumns(reader),
        workspaceName: workspaces.name,
        autoRequest: workspaces.autoRequestProvisioning,
        ...caseListsJson(d, reader),
      })
      .from(cases)
      .leftJoin(workspaces, eq(workspaces.id, cases.workspaceId))
      .where(and(eq(cases.id, sql.placeholder('caseId')), caseScope(reader, sql.placeholder('workspaceId'))))
      .prepare(name),
  );
  const [row] = await read.execute({ caseId, workspaceId: reach });
  if (!row) return null;
  const { c, workspaceName, events, messages } = row;
  return { c, tag: caseTag(caseId, row), workspaceName, autoRequest: row.autoRequest ?? true, events, messages };
}

/**
 * The cases a list shows: the reader's (their workspace's for customers, everyone's for staff), or with `states`
 * every case in those states (the staff queue).
 */
export async function caseListChangeTag(reader: Reader, states?: readonly CaseState[], db?: Db): Promise<string> {
  const d = db ?? (await getDb());
  const [row] = await d
    .select({
      n: sql<string>`count(*)`,
      versions: sql<string | null>`sum(${cases.version})`,
      latest: sql<string | null>`max(${cases.updatedAt})`,
    })
    .from(cases)
    .where(states ? inArray(cases.state, [...states]) : caseScope(reader));
  return tag(states ? `states:${states.join(',')}` : 'cases', reader.workspaceId, row?.n, row?.versions, row?.latest);
}

/** The reader's own notifications: a new one, or one read elsewhere, changes the badge. */
export async function notificationsChangeTag(reader: Reader, db?: Db): Promise<string> {
  return (await notificationsBadge(reader, db)).tag;
}

/**
 * The navigation's badge in one statement: the unread count and the change tag of the reader's notifications, read
 * from one snapshot (so the tag the page polls with always belongs to the count it shows).
 */
export async function notificationsBadge(reader: Reader, db?: Db): Promise<{ tag: string; unread: number }> {
  const d = db ?? (await getDb());
  const [row] = await d
    .select({
      unread: sql<number>`(count(*) filter (where ${isNull(notifications.readAt)}))::int`,
      latest: sql<string | null>`max(${notifications.createdAt})`,
    })
    .from(notifications)
    .where(mine(reader));
  const unread = row?.unread ?? 0;
  return { tag: notificationsTag(reader.id, unread, row?.latest), unread };
}

/** The badge's change tag from its two figures (also read with the session: lib/auth/session-account.ts sessionFrame). */
export function notificationsTag(readerId: string, unread: number, latest: string | null | undefined): string {
  return tag('notifications', readerId, unread, latest);
}
