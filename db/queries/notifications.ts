import 'server-only';
import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '@/db/index';
import { cases, notifications } from '@/db/schema';
import type { Role } from '@/lib/domain/roles';
import { scopeTo } from './scope';

export type NotificationInsert = typeof notifications.$inferInsert;

/** The reader: their own notifications only, and a customer's only about their current workspace. */
export interface Reader {
  id: string;
  role: Role;
  workspaceId: string | null;
}

export function mine(reader: Reader) {
  // Scoped in SQL, as every customer query is (docs/design.md#authorization-and-conventions): a customer moved to
  // another workspace no longer sees the old one's cases. Staff reach every workspace: no condition (an `or` with an
  // undefined side would keep only the other side, hiding every workspace's notification from staff).
  const scope = scopeTo(notifications.workspaceId, reader);
  return and(
    eq(notifications.userId, reader.id),
    // A notification without a workspace is the reader's own business (their account), whoever they are.
    scope ? or(isNull(notifications.workspaceId), scope) : undefined,
  );
}

export const NOTIFICATIONS_PAGE_SIZE = 25;

/** One page of the reader's notifications, newest first, with the case reference when there is one. */
export async function listNotifications(reader: Reader, opts: { unreadOnly?: boolean; page?: number; pageSize?: number } = {}, db?: Db) {
  const d = db ?? (await getDb());
  const size = opts.pageSize ?? NOTIFICATIONS_PAGE_SIZE;
  const page = Math.max(1, opts.page ?? 1);
  const rows = await d
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      caseId: notifications.caseId,
      caseNumber: cases.number,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .leftJoin(cases, eq(notifications.caseId, cases.id))
    .where(and(mine(reader), opts.unreadOnly ? isNull(notifications.readAt) : undefined))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(size + 1)
    .offset((page - 1) * size);
  return { rows: rows.slice(0, size), page, hasMore: rows.length > size };
}

/** How many of the reader's notifications are unread (the nav badge). */
export async function countUnread(reader: Reader, db?: Db): Promise<number> {
  const d = db ?? (await getDb());
  const [row] = await d
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(mine(reader), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Mark some (ids) or all of the reader's unread notifications read; returns the ids changed. Others' are untouched. */
export async function markNotificationsRead(tx: Db | Tx, reader: Reader, ids: string[] | 'all', now: Date = new Date()): Promise<string[]> {
  if (ids !== 'all' && ids.length === 0) return [];
  const rows = await tx
    .update(notifications)
    .set({ readAt: now })
    .where(and(mine(reader), isNull(notifications.readAt), ids === 'all' ? undefined : inArray(notifications.id, ids)))
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}
