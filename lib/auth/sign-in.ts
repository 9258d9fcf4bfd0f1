import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { safeText } from '@/lib/validation/text';
import type { Db, Tx } from '@/db/index';
import { signInThrottle, users, type Role } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { dummyPasswordHash, verifyPassword } from './password';

// Lockout with backoff (seed 000; issue "Foundation"): per account after 5 failures, per source address after 50.
// The first lock lasts 15 minutes and doubles with every further failure, up to a day.
export const ACCOUNT_MAX_FAILURES = 5;
export const ADDRESS_MAX_FAILURES = 50;
const BASE_LOCK_MS = 15 * 60_000;
const MAX_LOCK_MS = 24 * 60 * 60_000;
// Failures older than this are forgotten.
const FAILURE_WINDOW_MS = 60 * 60_000;

export const signInSchema = z.object({
  email: safeText().trim().toLowerCase().email('Enter your e-mail address, like name@company.com.').max(254),
  password: z.string().min(1, 'Enter your password.').max(200, 'Passwords are at most 200 characters.'),
});

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  workspaceId: string | null;
  sessionGeneration: number;
}

export type SignInFailure = 'invalid' | 'unknown_user' | 'wrong_password' | 'locked' | 'disabled' | 'sso_only';
export type SignInResult = { ok: true; user: SignedInUser } | { ok: false; code: SignInFailure; message: string; lockedUntil?: Date };

function lockDuration(failures: number, max: number): number {
  return Math.min(BASE_LOCK_MS * 2 ** Math.max(0, failures - max), MAX_LOCK_MS);
}

function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}

function lockedMessage(until: Date, now: Date, scope: 'account' | 'address'): string {
  const what = scope === 'account' ? 'this account is' : 'sign-ins from your network are';
  return `Too many failed sign-ins: ${what} locked for ${minutesUntil(until, now)} more minute(s), until ${until.toISOString().slice(11, 16)} UTC. Try again then, or ask an administrator to help.`;
}

async function readLock(tx: Tx, key: string, now: Date): Promise<Date | null> {
  const [row] = await tx
    .select({ lockedUntil: signInThrottle.lockedUntil })
    .from(signInThrottle)
    .where(eq(signInThrottle.key, key))
    .for('update');
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/** Count one failure for the key; returns the failures so far and the lock, if this failure set one. */
async function recordFailure(tx: Tx, key: string, max: number, now: Date): Promise<{ failures: number; lockedUntil: Date | null }> {
  const windowStart = new Date(now.getTime() - FAILURE_WINDOW_MS);
  const [row] = await tx
    .insert(signInThrottle)
    .values({ key, failures: 1, lastFailureAt: now })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`case when ${signInThrottle.lastFailureAt} < ${windowStart.toISOString()}::timestamptz then 1 else ${signInThrottle.failures} + 1 end`,
        lastFailureAt: now,
      },
    })
    .returning({ failures: signInThrottle.failures });
  const failures = row?.failures ?? 1;
  if (failures < max) return { failures, lockedUntil: null };
  const lockedUntil = new Date(now.getTime() + lockDuration(failures, max));
  await tx.update(signInThrottle).set({ lockedUntil }).where(eq(signInThrottle.key, key));
  return { failures, lockedUntil };
}

/**
 * Check an e-mail and password. Every outcome is audited; failures count towards the account's and the address's
 * lockout. Messages are meant for the sign-in page.
 */
export async function authenticate(
  db: Db,
  raw: { email?: unknown; password?: unknown },
  context: { sourceIp?: string | null; requestId?: string | null } = {},
  now: Date = new Date(),
): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The form shows one sentence: say which field a character rule is about (the other messages already do).
    const field = issue?.code === 'custom' && issue.path[0] === 'email' ? 'E-mail address: ' : '';
    return { ok: false, code: 'invalid', message: issue ? `${field}${issue.message}` : 'Enter your e-mail and password.' };
  }
  const { email, password } = parsed.data;
  const accountKey = `user:${email}`;
  const addressKey = context.sourceIp ? `ip:${context.sourceIp}` : null;

  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      workspaceId: users.workspaceId,
      passwordHash: users.passwordHash,
      disabled: users.disabled,
      sessionGeneration: users.sessionGeneration,
    })
    .from(users)
    .where(eq(users.email, email));

  // bcrypt outside the transaction (it is slow), always run so that timing does not tell which case we are in.
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));

  return db.transaction(async (tx) => {
    const audit = (action: string, after: Record<string, unknown>) =>
      writeAudit(tx, {
        actor: { id: user?.id ?? null, email, role: user?.role ?? 'anonymous' },
        action,
        targetType: 'user',
        targetId: user?.id ?? null,
        workspaceId: user?.workspaceId ?? null,
        after,
        context,
      });
    const addressLock = addressKey ? await readLock(tx, addressKey, now) : null;
    if (addressLock) {
      await audit('auth.sign_in_refused', { reason: 'address_locked' });
      return { ok: false as const, code: 'locked' as const, message: lockedMessage(addressLock, now, 'address'), lockedUntil: addressLock };
    }
    const accountLock = await readLock(tx, accountKey, now);
    if (accountLock) {
      await audit('auth.sign_in_refused', { reason: 'account_locked' });
      return { ok: false as const, code: 'locked' as const, message: lockedMessage(accountLock, now, 'account'), lockedUntil: accountLock };
    }

    const fail = async (code: 'unknown_user' | 'wrong_password' | 'sso_only', message: string): Promise<SignInResult> => {
      const address = addressKey ? await recordFailure(tx, addressKey, ADDRESS_MAX_FAILURES, now) : null;
      const account = user ? await recordFailure(tx, accountKey, ACCOUNT_MAX_FAILURES, now) : null;
      await audit('auth.sign_in_failed', { reason: code, accountFailures: account?.failures ?? null });
      const lock = account?.lockedUntil ?? address?.lockedUntil;
      if (lock) {
        return {
          ok: false,
          code: 'locked',
          message: lockedMessage(lock, now, account?.lockedUntil ? 'account' : 'address'),
          lockedUntil: lock,
        };
      }
      if (code === 'wrong_password' && account) {
        const left = ACCOUNT_MAX_FAILURES - account.failures;
        return {
          ok: false,
          code,
          message: `${message} ${left} attempt${left === 1 ? '' : 's'} left before the account is locked for 15 minutes.`,
        };
      }
      return { ok: false, code, message };
    };

    if (!user) {
      return fail(
        'unknown_user',
        'No account uses that e-mail address. Check it for typos, or ask your workspace administrator to invite you.',
      );
    }
    if (user.disabled) {
      await audit('auth.sign_in_refused', { reason: 'disabled' });
      return { ok: false, code: 'disabled', message: 'This account is disabled. Ask an administrator to re-enable it.' };
    }
    if (!user.passwordHash) {
      return fail('sso_only', 'This account signs in with staff single sign-on: use “Sign in with SSO”.');
    }
    if (!passwordOk) {
      return fail('wrong_password', 'That password is not right.');
    }
    await tx.delete(signInThrottle).where(eq(signInThrottle.key, accountKey));
    await tx.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
    await audit('auth.sign_in', { method: 'password' });
    return {
      ok: true,
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        workspaceId: user.workspaceId,
        sessionGeneration: user.sessionGeneration,
      },
    };
  });
}
