/**
 * What staff see and do with the outbox (/outbox), and each user's e-mail settings (/account). Resending and changing
 * e-mail settings are audited.
 */
import 'server-only';
import { count, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/index';
import { cases, emailOptOuts, outbox } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';
import type { Role } from '@/lib/domain/roles';
import { AppError, notFoundError } from '@/lib/errors';
import { EMAIL_KINDS, EMAIL_KINDS_FOR, type EmailKind } from '@/lib/notifications/rules';
import { wakeOutbox } from './loop';

export const OUTBOX_STATES = ['pending', 'held', 'failed', 'sent', 'cancelled'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
export const OUTBOX_PAGE_SIZE = 50;

/** One page of the outbox, newest first, optionally one state only; with how many rows each state has. */
export async function listOutbox(db: Db, opts: { state?: OutboxState; page?: number } = {}) {
  const page = Math.max(1, opts.page ?? 1);
  const rows = await db
    .select({
      id: outbox.id,
      channel: outbox.channel,
      kind: outbox.kind,
      recipient: outbox.recipient,
      subject: outbox.subject,
      payload: outbox.payload,
      state: outbox.state,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      nextAttemptAt: outbox.nextAttemptAt,
      sentAt: outbox.sentAt,
      createdAt: outbox.createdAt,
      caseId: outbox.caseId,
      caseNumber: cases.number,
    })
    .from(outbox)
    .leftJoin(cases, eq(cases.id, outbox.caseId))
    .where(opts.state ? eq(outbox.state, opts.state) : undefined)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(OUTBOX_PAGE_SIZE + 1)
    .offset((page - 1) * OUTBOX_PAGE_SIZE);
  const counts = await db.select({ state: outbox.state, n: count() }).from(outbox).groupBy(outbox.state);
  return {
    rows: rows.slice(0, OUTBOX_PAGE_SIZE),
    page,
    hasMore: rows.length > OUTBOX_PAGE_SIZE,
    counts: Object.fromEntries(counts.map((c) => [c.state, c.n])) as Partial<Record<OutboxState, number>>,
  };
}

export const resendSchema = z.object({ id: z.string().uuid('That is not a message id: reload the page.') });

interface Staff {
  id: string;
  email?: string | null;
  role: Role;
}

/**
 * Send a message that failed (or was held) again: back to pending with a fresh count of attempts, under the same
 * delivery id — the receiver never accepted it, so it is still the same message. Audited.
 */
export async function resendMessage(db: Db, who: Staff, input: z.input<typeof resendSchema>, context: AuditContext = {}) {
  const { id } = resendSchema.parse(input);
  const row = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(outbox).where(eq(outbox.id, id)).for('update');
    if (!before) throw notFoundError('No such message.');
    if (before.state !== 'failed' && before.state !== 'held')
      throw new AppError('conflict', `This message is ${before.state}: only failed or held messages can be sent again.`);
    const [after] = await tx
      .update(outbox)
      .set({ state: 'pending', attempts: 0, nextAttemptAt: new Date(), lastError: null, leaseOwner: null, leaseExpiresAt: null })
      .where(eq(outbox.id, id))
      .returning();
    await writeAudit(tx, {
      actor: { id: who.id, email: who.email ?? null, role: who.role },
      action: 'outbox.resend',
      targetType: 'outbox',
      targetId: id,
      workspaceId: before.workspaceId,
      before: { state: before.state, attempts: before.attempts, lastError: before.lastError },
      after: { state: after!.state, channel: before.channel, kind: before.kind },
      context,
    });
    return after!;
  });
  wakeOutbox();
  return row;
}

/** The e-mail kinds a user can get, and whether each is on. */
export async function emailPreferences(db: Db, user: { id: string; role: Role }): Promise<{ kind: EmailKind; on: boolean }[]> {
  const off = await db.select({ kind: emailOptOuts.kind }).from(emailOptOuts).where(eq(emailOptOuts.userId, user.id));
  const offSet = new Set(off.map((o) => o.kind));
  return EMAIL_KINDS_FOR[user.role].map((kind) => ({ kind, on: !offSet.has(kind) }));
}

export const preferencesSchema = z.object({
  // The kinds to keep e-mailing; every other kind the role can get is turned off. A form posts one value or several.
  on: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(EMAIL_KINDS)).max(EMAIL_KINDS.length)),
});

/** Set which kinds of e-mail the user gets (in-app notifications are not affected). Audited when something changed. */
export async function setEmailPreferences(
  db: Db,
  user: { id: string; role: Role; email?: string | null; workspaceId: string | null },
  input: z.input<typeof preferencesSchema>,
  context: AuditContext = {},
): Promise<{ off: EmailKind[] }> {
  const { on } = preferencesSchema.parse(input);
  const mine = EMAIL_KINDS_FOR[user.role];
  const off = mine.filter((k) => !on.includes(k));
  return db.transaction(async (tx) => {
    const before = (await tx.select({ kind: emailOptOuts.kind }).from(emailOptOuts).where(eq(emailOptOuts.userId, user.id))).map(
      (r) => r.kind,
    );
    const same = before.length === off.length && off.every((k) => before.includes(k));
    if (same) return { off };
    await tx.delete(emailOptOuts).where(eq(emailOptOuts.userId, user.id));
    if (off.length > 0) await tx.insert(emailOptOuts).values(off.map((kind) => ({ userId: user.id, kind })));
    await writeAudit(tx, {
      actor: { id: user.id, email: user.email ?? null, role: user.role },
      action: 'account.email_preferences',
      targetType: 'user',
      targetId: user.id,
      workspaceId: user.workspaceId,
      before: { off: before.sort() },
      after: { off: [...off].sort() },
      context,
    });
    return { off };
  });
}
