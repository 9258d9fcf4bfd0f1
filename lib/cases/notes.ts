import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { safeText } from '@/lib/validation/text';
import type { Db } from '@/db/index';
import { caseEvents, cases } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';
import { roleAllows } from '@/lib/auth/policy';
import { CaseError, type CaseActor } from './service';

export const addNoteSchema = z.object({
  caseId: z.string().uuid('That is not a case id.'),
  note: safeText().trim().min(2, 'Write a note of at least 2 characters.').max(2_000, 'Keep the note under 2,000 characters.'),
});

/**
 * A staff note on a case: a case_events row that keeps the state (event "note") and an audit row, in one transaction.
 * It does not bump the case's version: a note never conflicts with someone editing the case.
 */
export async function addNote(
  db: Db,
  actor: Exclude<CaseActor, 'reconciler'>,
  input: z.input<typeof addNoteSchema>,
  context: AuditContext = {},
) {
  if (!roleAllows(actor.role, 'case.note')) throw new CaseError('wrong_role', 'Your role cannot write notes on cases.');
  const { caseId, note } = addNoteSchema.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ state: cases.state, workspaceId: cases.workspaceId })
      .from(cases)
      .where(eq(cases.id, caseId))
      .for('share');
    if (!row) throw new CaseError('not_found', 'No such case.');
    await tx
      .insert(caseEvents)
      .values({ caseId, event: 'note', fromState: row.state, toState: row.state, actorId: actor.id, actorRole: actor.role, note });
    await writeAudit(tx, {
      actor: { id: actor.id, email: actor.email ?? null, role: actor.role },
      action: 'case.note',
      targetType: 'case',
      targetId: caseId,
      workspaceId: row.workspaceId,
      after: { note },
      context,
    });
  });
}
