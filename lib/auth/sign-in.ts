import 'server-only';
import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { safeText } from '@/lib/validation/text';
import type { Db, Tx } from '@/db/index';
import { signInThrottle, users } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { dummyPasswordHash, verifyPassword } from './password';
import type { Role } from '@/lib/domain/roles';
import { backoff } from '@/lib/backoff';

// Lockout with backoff (docs/program-rules.md#passwords). A guesser is stopped where they guess from: one e-mail from one address locks after
// 5 failures, one address after 50 across e-mails. The account-wide limit is slower (25 failures from anywhere), so
// that someone who knows an e-mail cannot lock its owner out from a single address. Failures count alike whether the
// e-mail has an account or not, so neither the messages nor the locks tell which e-mails exist. The first lock lasts
// 15 minutes and doubles with every further failure, up to a day; an administrator can lift an account's locks.
export const PAIR_MAX_FAILURES = 5;
export const ACCOUNT_MAX_FAILURES = 25;
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
  return backoff(failures - max + 1, { baseMs: BASE_LOCK_MS, maxMs: MAX_LOCK_MS });
}

function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}

type LockScope = 'pair' | 'account' | 'address';

const LOCKED_WHAT: Record<LockScope, string> = {
  pair: 'sign-ins with this e-mail address from your network are',
  account: 'sign-ins with this e-mail address are',
  address: 'sign-ins from your network are',
};

function lockedMessage(until: Date, now: Date, scope: LockScope): string {
  return `Too many failed sign-ins: ${LOCKED_WHAT[scope]} locked for ${minutesUntil(until, now)} more minute(s), until ${until.toISOString().slice(11, 16)} UTC. Try again then, or ask an administrator to help.`;
}

/** The one answer for an unknown e-mail, a wrong password and an account without a password (staff SSO). */
export const NO_MATCH_MESSAGE =
  'That e-mail address and password do not match an account. Check both, or ask your workspace administrator to invite you.';

/** Throttle keys: one e-mail from one address, one e-mail from anywhere, one address for any e-mail. */
export function throttleKeys(email: string, sourceIp: string | null | undefined) {
  return { pair: `pair:${email}|${sourceIp ?? '-'}`, account: `user:${email}`, address: sourceIp ? `ip:${sourceIp}` : null };
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
  const keys = throttleKeys(email, context.sourceIp);

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
    const locks: [LockScope, string | null][] = [
      ['address', keys.address],
      ['pair', keys.pair],
      ['account', keys.account],
    ];
    for (const [scope, key] of locks) {
      const until = key ? await readLock(tx, key, now) : null;
      if (until) {
        await audit('auth.sign_in_refused', { reason: `${scope}_locked` });
        return { ok: false as const, code: 'locked' as const, message: lockedMessage(until, now, scope), lockedUntil: until };
      }
    }

    // Every failure counts the same way and answers the same sentence, whatever it was (the audit row says which).
    const fail = async (code: 'unknown_user' | 'wrong_password' | 'sso_only'): Promise<SignInResult> => {
      const address = keys.address ? await recordFailure(tx, keys.address, ADDRESS_MAX_FAILURES, now) : null;
      const pair = await recordFailure(tx, keys.pair, PAIR_MAX_FAILURES, now);
      const account = await recordFailure(tx, keys.account, ACCOUNT_MAX_FAILURES, now);
      await audit('auth.sign_in_failed', { reason: code, pairFailures: pair.failures, accountFailures: account.failures });
      const lock: [LockScope, Date] | null = pair.lockedUntil
        ? ['pair', pair.lockedUntil]
        : account.lockedUntil
          ? ['account', account.lockedUntil]
          : address?.lockedUntil
            ? ['address', address.lockedUntil]
            : null;
      if (lock) return { ok: false, code: 'locked', message: lockedMessage(lock[1], now, lock[0]), lockedUntil: lock[1] };
      const left = PAIR_MAX_FAILURES - pair.failures;
      return {
        ok: false,
        code,
        message: `${NO_MATCH_MESSAGE} ${left} attempt${left === 1 ? '' : 's'} left before sign-ins with this e-mail address from your network pause for 15 minutes.`,
      };
    };

    if (!user) return fail('unknown_user');
    if (!user.passwordHash) return fail('sso_only');
    if (!passwordOk) return fail('wrong_password');
    // Only someone who knows the password learns that the account is disabled.
    if (user.disabled) {
      await audit('auth.sign_in_refused', { reason: 'disabled' });
      return { ok: false, code: 'disabled', message: 'This account is disabled. Ask an administrator to re-enable it.' };
    }
    await tx.delete(signInThrottle).where(inArray(signInThrottle.key, [keys.pair, keys.account]));
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
