import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/index';
import { users } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';

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
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      workspaceId: users.workspaceId,
      disabled: users.disabled,
      sessionGeneration: users.sessionGeneration,
    })
    .from(users)
    .where(eq(users.id, claims.uid));
  if (!row || row.disabled || row.sessionGeneration !== claims.gen) return null;
  const { disabled: _disabled, sessionGeneration: _generation, ...user } = row;
  return user;
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
