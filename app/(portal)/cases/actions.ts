'use server';

import { z } from 'zod';
import { safeText, safeValue } from '@/lib/validation/text';
import { action } from '@/lib/auth/guard';
import { addNote, addNoteSchema, sendMessage, sendMessageSchema } from '@/lib/cases/conversation';
import { applyEventSchema, createDraft, createDraftSchema, getCase, inputPhaseFor, saveInputs } from '@/lib/cases/service';
import { checkForWizard } from '@/lib/cases/wizard-check';
import { actOnCase, edgeDeps, runPreflight } from '@/lib/preflight';

// Server actions of the customer's case pages. Each goes through action(): signed in, role allowed, input parsed;
// the case service checks workspace ownership, the state machine and the version, in one audited transaction.

/** Start a draft case in the user's workspace. */
export const startCaseAction = action(
  createDraftSchema,
  { permission: 'case.create' },
  async (input, { user, db, requestId, sourceIp }) => {
    const c = await createDraft(db, user, input, { requestId, sourceIp });
    return { id: c.id };
  },
);

const saveStepSchema = z.object({
  caseId: z.string().uuid(),
  version: z.number().int().positive(),
  stepId: safeText().min(1).max(64),
  values: z.record(safeText().max(64), safeValue()),
});

/** Save one wizard step (autosave and Next). Returns the new version and the issues left on the step's fields. */
export const saveStepAction = action(
  saveStepSchema,
  { permission: 'case.edit_draft' },
  async (input, { user, db, requestId, sourceIp }) => {
    const r = await saveInputs(db, user, input, { requestId, sourceIp });
    return { version: r.case.version, issues: r.issues };
  },
);

/** Fire one event on a case (submit, provide details, cancel…); the state machine decides who may. */
export const caseEventAction = action(
  applyEventSchema.omit({ payload: true }),
  { permission: 'case.act' },
  async (input, { user, db, requestId, sourceIp }) => {
    const c = await actOnCase(db, await edgeDeps(), user, input, { requestId, sourceIp });
    return { state: c.state, version: c.version };
  },
);

/** "Check from our side": run the case's checks from the edge account now and keep the result on the case. */
export const runPreflightAction = action(
  z.object({ caseId: z.string().uuid() }),
  { permission: 'case.preflight' },
  async (input, { user, db, requestId, sourceIp }) => {
    const stored = await runPreflight(db, await edgeDeps(), user, input.caseId, 'check', { requestId, sourceIp });
    return stored;
  },
);

/** An internal note on a case: staff only, never shown or sent to the customer (kept in the timeline and audit log). */
export const addNoteAction = action(addNoteSchema, { permission: 'case.note' }, async (input, { user, db, requestId, sourceIp }) => {
  await addNote(db, user, input, { requestId, sourceIp });
  return { saved: true };
});

/** A message on the case's conversation: a workspace admin to staff, or staff to the workspace's members. */
export const sendMessageAction = action(
  sendMessageSchema,
  { permission: 'case.message' },
  async (input, { user, db, requestId, sourceIp }) => {
    await sendMessage(db, user, input, { requestId, sourceIp });
    return { sent: true };
  },
);

const checkInputsSchema = z.object({
  caseId: z.string().uuid(),
  values: z.record(safeText().max(64), safeValue()),
});

/**
 * Inline validation for the wizard: the flow's own checks (the same zod schemas and rules submit uses) over the
 * case's saved inputs with the typed values on top, for the phase the case is in. Writes nothing.
 */
export const checkInputsAction = action(checkInputsSchema, { permission: 'case.edit_draft' }, async (input, { user, db }) => {
  const c = await getCase(db, user, input.caseId);
  const phase = inputPhaseFor(c.state);
  if (!phase) return { issues: [], warnings: [], stored: {} };
  return checkForWizard(c, input.values, phase);
});
