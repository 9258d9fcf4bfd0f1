import 'server-only';
import { eq, like, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/index';
import { escapeLike } from '@/db/queries/like';
import { accountSummaryColumns } from '@/db/queries/users';
import { signInThrottle, users, workspaces } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';
import { generatePassword, hashPassword } from '@/lib/auth/password';
import { AppError, notFoundError, validationError } from '@/lib/errors';
import { type AdminActor, assertAllowed, auditActorOf, isUniqueViolation, parseOrThrow } from './common';
import {
  type ChangeRoleInput,
  changeRoleSchema,
  type CreateUserInput,
  createUserSchema,
  type SetDisabledInput,
  setDisabledSchema,
  type UnlockSignInInput,
  unlockSignInSchema,
} from './schemas';
import type { Role } from '@/lib/domain/roles';

/** What an admin may see of an account: never the password hash. */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  workspaceId: string | null;
  disabled: boolean;
}

function emailTaken(email: string) {
  return new AppError('conflict', 'An account with that e-mail address already exists.', {
    email: [
      `${email} already has an account. Use another address, or find the existing account in the list and change its role or re-enable it.`,
    ],
  });
}

async function assertWorkspaceExists(tx: Tx, workspaceId: string | undefined): Promise<void> {
  if (!workspaceId) return;
  const [ws] = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!ws)
    throw validationError('Some fields need attention.', {
      workspaceId: ['That workspace does not exist (any more): reload the page and choose another.'],
    });
}

/**
 * Create an account with a generated one-time password (stored only as a bcrypt hash: docs/program-rules.md#passwords).
 * The password is returned to be shown to the admin once; it is never stored, logged or audited.
 */
export async function createUser(
  db: Db,
  actor: AdminActor,
  input: CreateUserInput,
  context: AuditContext = {},
): Promise<{ user: UserSummary; password: string }> {
  assertAllowed(actor, 'admin.manage_users');
  const data = parseOrThrow(createUserSchema, input);
  const password = generatePassword();
  const passwordHash = await hashPassword(password); // slow: outside the transaction
  try {
    const user = await db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, data.email));
      if (existing) throw emailTaken(data.email);
      await assertWorkspaceExists(tx, data.workspaceId);
      const [row] = await tx
        .insert(users)
        .values({
          email: data.email,
          name: data.name,
          role: data.role,
          workspaceId: data.workspaceId ?? null,
          passwordHash,
        })
        .returning(accountSummaryColumns);
      await writeAudit(tx, {
        actor: auditActorOf(actor),
        action: 'user.create',
        targetType: 'user',
        targetId: row!.id,
        workspaceId: row!.workspaceId,
        after: { email: row!.email, name: row!.name, role: row!.role, workspaceId: row!.workspaceId },
        context,
      });
      return row!;
    });
    return { user, password };
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_unique')) throw emailTaken(data.email); // lost a race with another admin
    throw err;
  }
}

async function lockUser(tx: Tx, userId: string): Promise<UserSummary> {
  const [row] = await tx.select(accountSummaryColumns).from(users).where(eq(users.id, userId)).for('update');
  if (!row) throw notFoundError('No such user: the account may have been removed. Reload the page.');
  return row;
}

/**
 * Change an account's role (and with it its workspace: customers belong to one, staff to none). An admin cannot
 * demote themselves, so at least one administrator always remains. Nothing is written when nothing changes.
 */
export async function changeRole(
  db: Db,
  actor: AdminActor,
  input: ChangeRoleInput,
  context: AuditContext = {},
): Promise<{ user: UserSummary; changed: boolean }> {
  assertAllowed(actor, 'admin.manage_users');
  const data = parseOrThrow(changeRoleSchema, input);
  if (data.userId === actor.id && data.role !== 'admin') {
    throw validationError('You cannot remove your own administrator role.', {
      role: ['You cannot demote yourself: ask another administrator to change your role.'],
    });
  }
  return db.transaction(async (tx) => {
    const before = await lockUser(tx, data.userId);
    const workspaceId = data.workspaceId ?? null;
    if (before.role === data.role && before.workspaceId === workspaceId) return { user: before, changed: false };
    await assertWorkspaceExists(tx, data.workspaceId);
    const [after] = await tx
      .update(users)
      // A new role ends the sessions issued under the old one (lib/auth/session-account.ts).
      .set({ role: data.role, workspaceId, sessionGeneration: sql`${users.sessionGeneration} + 1`, updatedAt: new Date() })
      .where(eq(users.id, data.userId))
      .returning(accountSummaryColumns);
    await writeAudit(tx, {
      actor: auditActorOf(actor),
      action: 'user.role_change',
      targetType: 'user',
      targetId: before.id,
      workspaceId: after!.workspaceId ?? before.workspaceId,
      before: { role: before.role, workspaceId: before.workspaceId },
      after: { role: after!.role, workspaceId: after!.workspaceId },
      context,
    });
    return { user: after!, changed: true };
  });
}

/**
 * Disable or re-enable an account. A disabled account cannot sign in, and its open sessions stop working on their
 * next request (lib/auth/session-account.ts re-reads the user); they stay ended after re-enabling. An admin cannot disable themselves.
 */
export async function setDisabled(
  db: Db,
  actor: AdminActor,
  input: SetDisabledInput,
  context: AuditContext = {},
): Promise<{ user: UserSummary; changed: boolean }> {
  assertAllowed(actor, 'admin.manage_users');
  const data = parseOrThrow(setDisabledSchema, input);
  if (data.userId === actor.id && data.disabled) {
    throw new AppError('conflict', 'You cannot disable your own account: ask another administrator.');
  }
  return db.transaction(async (tx) => {
    const before = await lockUser(tx, data.userId);
    if (before.disabled === data.disabled) return { user: before, changed: false };
    const [after] = await tx
      .update(users)
      // Both directions end the account's sessions: re-enabling must not bring back a token issued before disabling.
      .set({ disabled: data.disabled, sessionGeneration: sql`${users.sessionGeneration} + 1`, updatedAt: new Date() })
      .where(eq(users.id, data.userId))
      .returning(accountSummaryColumns);
    await writeAudit(tx, {
      actor: auditActorOf(actor),
      action: data.disabled ? 'user.disable' : 'user.enable',
      targetType: 'user',
      targetId: before.id,
      workspaceId: before.workspaceId,
      before: { disabled: before.disabled, role: before.role },
      after: { disabled: after!.disabled, role: after!.role },
      context,
    });
    return { user: after!, changed: true };
  });
}

/**
 * Lift the sign-in locks of an account: its account-wide count and its count from every address
 * (lib/auth/sign-in.ts `throttleKeys`). Address locks stay: they are about a network, not this account. Audited with
 * how many were lifted; nothing is written when there was nothing to lift.
 */
export async function unlockSignIn(
  db: Db,
  actor: AdminActor,
  input: UnlockSignInInput,
  context: AuditContext = {},
): Promise<{ user: UserSummary; cleared: number }> {
  assertAllowed(actor, 'admin.manage_users');
  const data = parseOrThrow(unlockSignInSchema, input);
  return db.transaction(async (tx) => {
    const user = await lockUser(tx, data.userId);
    const cleared = await tx
      .delete(signInThrottle)
      .where(or(eq(signInThrottle.key, `user:${user.email}`), like(signInThrottle.key, `pair:${escapeLike(user.email)}|%`)))
      .returning({ key: signInThrottle.key, lockedUntil: signInThrottle.lockedUntil });
    if (cleared.length === 0) return { user, cleared: 0 };
    await writeAudit(tx, {
      actor: auditActorOf(actor),
      action: 'user.unlock',
      targetType: 'user',
      targetId: user.id,
      workspaceId: user.workspaceId,
      before: { throttles: cleared.length, locked: cleared.filter((c) => c.lockedUntil && c.lockedUntil > new Date()).length },
      after: { throttles: 0 },
      context,
    });
    return { user, cleared: cleared.length };
  });
}
