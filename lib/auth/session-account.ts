import 'server-only';
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/index';
import { prepareOnce } from '@/db/prepared';
import { notificationsTag } from '@/db/queries/changes';
import { accountSummaryColumns } from '@/db/queries/users';
import { notifications, users, workspaces } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';
import { STAFF_ROLES } from '@/lib/domain/roles';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: (typeof users.$inferSelect)['role'];
  workspaceId: string | null;
}

/** The claims a session token carries that decide whether it still counts. */
export interface SessionClaims {
  uid?: string;
  gen?: number;
}

/**
 * The account a session token belongs to, if the token still counts: the user exists, is not disabled, and the
 * token's session generation is the account's current one (sign-out, "sign out everywhere", disabling, re-enabling
 * and role changes bump it, ending every session issued before). Re-read on every request, so such a change takes
 * effect at once rather than when the 8-hour token expires. Database errors propagate (503, not "signed out").
 */
export async function sessionAccount(db: Db, claims: SessionClaims | null | undefined): Promise<SessionUser | null> {
  if (!claims?.uid || typeof claims.gen !== 'number') return null;
  const [row] = await db.select(ACCOUNT_COLUMNS).from(users).where(eq(users.id, claims.uid));
  return row ? stillCounts(row, claims.gen) : null;
}

const ACCOUNT_COLUMNS = { ...accountSummaryColumns, sessionGeneration: users.sessionGeneration };

function stillCounts(row: SessionUser & { disabled: boolean; sessionGeneration: number }, gen: number): SessionUser | null {
  if (row.disabled || row.sessionGeneration !== gen) return null;
  const { id, email, name, role, workspaceId } = row;
  return { id, email, name, role, workspaceId };
}

/** What the frame around every portal page shows: the account, its workspace's name and its notifications badge. */
export interface SessionFrame {
  user: SessionUser;
  workspaceName: string | null;
  /** The unread count and the change tag the badge polls /api/changes with (the tag notificationsBadge computes). */
  notifications: { unread: number; tag: string };
}

/**
 * sessionAccount and what the page frame shows, in one statement: a page request's only fixed database cost
 * (docs/deploy.md#benchmarks). The badge's subquery applies notifications' reader scope (db/queries/notifications.ts
 * `mine`) in SQL, because the role is only known once the row is read: the reader's own notifications, without a
 * workspace or in their workspace, and in every workspace for staff.
 */
export async function sessionFrame(db: Db, claims: SessionClaims | null | undefined): Promise<SessionFrame | null> {
  if (!claims?.uid || typeof claims.gen !== 'number') return null;
  const read = prepareOnce(db, 'session_frame', (name) => {
    const badge = db
      .select({
        unread: sql<number>`(count(*) filter (where ${isNull(notifications.readAt)}))::int`.as('unread'),
        latest: sql<string | null>`max(${notifications.createdAt})`.as('latest'),
      })
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, users.id),
          or(isNull(notifications.workspaceId), eq(notifications.workspaceId, users.workspaceId), inArray(users.role, [...STAFF_ROLES])),
        ),
      )
      .as('badge');
    return db
      .select({ ...ACCOUNT_COLUMNS, workspaceName: workspaces.name, unread: badge.unread, latest: badge.latest })
      .from(users)
      .leftJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .leftJoinLateral(badge, sql`true`)
      .where(eq(users.id, sql.placeholder('uid')))
      .prepare(name);
  });
  const [row] = await read.execute({ uid: claims.uid });
  const user = row ? stillCounts(row, claims.gen) : null;
  if (!row || !user) return null;
  const unread = row.unread ?? 0;
  return { user, workspaceName: row.workspaceName, notifications: { unread, tag: notificationsTag(user.id, unread, row.latest) } };
}

/**
 * End every session of the account issued so far by moving its generation on; with `onlyIfAt`, only when the
 * generation is still that one (so a stale token cannot end the newer sessions). Returns whether it moved. Call it
 * inside the transaction that makes the change that ends them, next to its audit row.
 */
export async function endSessions(db: Db | Tx, userId: string, onlyIfAt?: number): Promise<boolean> {
  const moved = await db
    .update(users)
    .set({ sessionGeneration: sql`${users.sessionGeneration} + 1` })
    .where(onlyIfAt === undefined ? eq(users.id, userId) : and(eq(users.id, userId), eq(users.sessionGeneration, onlyIfAt)))
    .returning({ id: users.id });
  return moved.length > 0;
}

/** "Sign out everywhere": end every session of the signed-in account, this one included, and audit it. */
export async function signOutEverywhere(db: Db, user: SessionUser, context: AuditContext = {}): Promise<void> {
  await db.transaction(async (tx) => {
    await endSessions(tx, user.id);
    await writeAudit(tx, {
      actor: { id: user.id, email: user.email, role: user.role },
      action: 'auth.sign_out_everywhere',
      targetType: 'user',
      targetId: user.id,
      workspaceId: user.workspaceId,
      context,
    });
  });
}
