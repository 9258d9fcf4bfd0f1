import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/index';
import { caseMessages, cases, users } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';
import { roleAllows } from '@/lib/auth/policy';
import { canReachWorkspace, isStaff } from '@/lib/domain/roles';
import { type AfterCommit, notifyCaseMessage } from '@/lib/notifications/notify';
import { safeText } from '@/lib/validation/text';
import { CaseError, type CaseActor } from './service';

// The conversation on a case (docs/design.md#conversations-on-a-case): messages between the workspace and staff,
// which every member of the workspace reads, and internal notes, which only staff ever see.

const body = (what: string) =>
  safeText()
    .trim()
    .min(2, `Write ${what} of at least 2 characters.`)
    .max(2_000, `Keep ${what} under 2,000 characters: split it into two if you need more.`);

export const addNoteSchema = z.object({ caseId: z.string().uuid('That is not a case id.'), note: body('the note') });
export const sendMessageSchema = z.object({ caseId: z.string().uuid('That is not a case id.'), message: body('the message') });

type Person = Exclude<CaseActor, 'reconciler'>;

/**
 * Write one message on a case, with its audit row and its notifications (planCaseMessage), in one transaction. It
 * does not bump the case's version: a message never conflicts with someone editing the case. Returns the
 * after-commit wake-up of the delivery loop.
 */
async function post(
  db: Db,
  actor: Person,
  caseId: string,
  audience: 'customer' | 'internal',
  text: string,
  context: AuditContext,
): Promise<{ id: number; afterCommit: AfterCommit }> {
  const result = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: cases.id, number: cases.number, workspaceId: cases.workspaceId, warehouse: cases.warehouse, region: cases.region })
      .from(cases)
      .where(eq(cases.id, caseId))
      .for('share');
    // Another workspace's case answers exactly as a missing one.
    if (!row || !canReachWorkspace(actor, row.workspaceId)) throw new CaseError('not_found', 'No such case in your workspace.');
    const [msg] = await tx
      .insert(caseMessages)
      .values({ caseId, audience, authorId: actor.id, authorRole: actor.role, body: text })
      .returning({ id: caseMessages.id });
    await writeAudit(tx, {
      actor: { id: actor.id, email: actor.email ?? null, role: actor.role },
      action: audience === 'internal' ? 'case.note' : 'case.message',
      targetType: 'case',
      targetId: caseId,
      workspaceId: row.workspaceId,
      after: { messageId: msg!.id, audience, body: text },
      context,
    });
    const [author] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.id));
    const afterCommit = await notifyCaseMessage(tx, {
      caseRow: row,
      audience,
      author: { id: actor.id, role: actor.role, email: actor.email ?? null, name: author?.name ?? null },
      body: text,
    });
    return { id: msg!.id, afterCommit };
  });
  result.afterCommit();
  return result;
}

/** An internal note: staff only, never shown or sent to a customer, notifies nobody. */
export async function addNote(db: Db, actor: Person, input: z.input<typeof addNoteSchema>, context: AuditContext = {}) {
  if (!roleAllows(actor.role, 'case.note')) throw new CaseError('wrong_role', 'Your role cannot write internal notes on cases.');
  const { caseId, note } = addNoteSchema.parse(input);
  return post(db, actor, caseId, 'internal', note, context);
}

/**
 * A message on the case's conversation: a workspace admin writing to staff, or staff writing to the workspace. Every
 * member of the workspace reads it; read-only members cannot write.
 */
export async function sendMessage(db: Db, actor: Person, input: z.input<typeof sendMessageSchema>, context: AuditContext = {}) {
  if (!roleAllows(actor.role, 'case.message')) {
    throw new CaseError(
      'wrong_role',
      isStaff(actor.role)
        ? 'Your role cannot write on cases.'
        : 'Your read-only role cannot write on cases: ask an admin of your workspace.',
    );
  }
  const { caseId, message } = sendMessageSchema.parse(input);
  return post(db, actor, caseId, 'customer', message, context);
}
