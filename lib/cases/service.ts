import 'server-only';
import { and, eq, getTableColumns } from 'drizzle-orm';
import { z } from 'zod';
import { safeText, safeValue } from '@/lib/validation/text';
import type { Db, Tx } from '@/db/index';
import { auditLog, type Case, caseEvents, cases, workspaces } from '@/db/schema';
import { type AuditContext, auditInsert, writeAudit } from '@/lib/audit';
import { roleAllows } from '@/lib/auth/policy';
import { AppError, type FieldErrors, fieldErrorsFrom, fieldErrorsOf } from '@/lib/errors';
import { checkLimitsLocked } from '@/lib/limits';
import { type AfterCommit, notifyCaseTransition } from '@/lib/notifications/notify';
import { FLOW_LIST, getFlow, getFlowConfig, isWarehouse, type InputPhase, type ValidationIssue } from '@/lib/providers';
import { claimKeys } from './claims';
import { CASE_EVENTS, type CaseEventName, evaluate, RECONCILER_STATES } from './machine';
import type { CaseState } from '@/lib/domain/case-states';
import { canReachWorkspace, type Role } from '@/lib/domain/roles';
import type { Warehouse } from '@/lib/domain/warehouses';
import { listOf } from '@/lib/validation/result';
import { STATE_LABEL } from './states';

export type CaseErrorReason = 'not_found' | 'wrong_role' | 'wrong_state' | 'guard_failed' | 'stale_version' | 'limit' | 'invalid_input';

const KIND: Record<CaseErrorReason, AppError['kind']> = {
  not_found: 'not_found',
  wrong_role: 'forbidden',
  wrong_state: 'conflict',
  guard_failed: 'validation',
  stale_version: 'conflict',
  limit: 'limit',
  invalid_input: 'validation',
};

/** A refused case operation, saying why. Nothing was written when one is thrown. */
export class CaseError extends AppError {
  constructor(
    readonly reason: CaseErrorReason,
    message: string,
    fieldErrors: FieldErrors = {},
  ) {
    super(KIND[reason], message, fieldErrors);
    this.name = 'CaseError';
  }
}

/** Who acts: a signed-in person, or the reconciler. */
export type CaseActor = { id: string; role: Role; workspaceId: string | null; email?: string | null } | 'reconciler';

function auditActor(actor: CaseActor) {
  return actor === 'reconciler' ? { id: null, role: 'reconciler' } : { id: actor.id, email: actor.email ?? null, role: actor.role };
}

/** The case if the actor may see it; a customer asking for another workspace's case gets the same 404 as a missing one. */
async function loadCase(tx: Db | Tx, actor: CaseActor, caseId: string, lock: boolean): Promise<Case> {
  const q = tx.select().from(cases).where(eq(cases.id, caseId));
  const [row] = lock ? await q.for('update') : await q;
  if (!row || (actor !== 'reconciler' && !canReachWorkspace(actor, row.workspaceId))) {
    throw new CaseError('not_found', 'No such case in your workspace.');
  }
  return row;
}

const uuid = z.string().uuid('That is not a case id.');

export const createDraftSchema = z.object({
  // Checked against the registry when the input arrives, so a flow registered later is accepted (docs/design.md#flows-and-the-registry).
  warehouse: z
    .unknown()
    .refine(isWarehouse, { error: () => `Choose one of ${listOf(FLOW_LIST.map((f) => f.name))}.` })
    .transform((w) => w as Warehouse),
  region: safeText({ bidi: true }).trim().optional(),
});

/** Start a draft case for the actor's workspace (customer admins). */
export async function createDraft(
  db: Db,
  actor: Exclude<CaseActor, 'reconciler'>,
  input: z.input<typeof createDraftSchema>,
  context: AuditContext = {},
): Promise<Case> {
  if (!roleAllows(actor.role, 'case.create') || !actor.workspaceId) {
    throw new CaseError('wrong_role', 'Only a workspace admin can start a PrivateLink case.');
  }
  const parsed = createDraftSchema.safeParse(input);
  if (!parsed.success)
    throw new CaseError('invalid_input', 'Choose a warehouse.', { warehouse: parsed.error.issues.map((i) => i.message) });
  const config = getFlowConfig();
  const region = parsed.data.region || config.eligibleRegions[0]!;
  if (!config.eligibleRegions.includes(region)) {
    throw new CaseError('invalid_input', 'Choose an eligible region.', {
      region: [`Region ${region} is not eligible for PrivateLink: choose one of ${config.eligibleRegions.join(', ')}.`],
    });
  }
  const workspaceId = actor.workspaceId;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(cases)
      .values({
        workspaceId,
        warehouse: parsed.data.warehouse,
        region,
        createdBy: actor.id,
        inputs: { region },
        claims: claimKeys({ warehouse: parsed.data.warehouse, inputs: { region } }),
        claimsVersion: 1,
      })
      .returning();
    await tx
      .insert(caseEvents)
      .values({ caseId: row!.id, event: 'create', fromState: null, toState: 'draft', actorId: actor.id, actorRole: actor.role });
    await writeAudit(tx, {
      actor: auditActor(actor),
      action: 'case.create',
      targetType: 'case',
      targetId: row!.id,
      workspaceId,
      after: { warehouse: row!.warehouse, region, state: 'draft' },
      context,
    });
    return row!;
  });
}

// A value a wizard field can hold: text, a checkbox, a number, or a list of inbound rules. Bounded in size.
const fieldValue = z.union([
  safeText().max(20_000, 'This value is too long (at most 20,000 characters).'),
  z.boolean(),
  z.number().finite(),
  z.null(),
  z
    .array(z.record(safeText().max(64), z.union([safeText().max(200), z.number().finite(), z.boolean(), z.null()])))
    .max(50, 'At most 50 rules.'),
]);

export const saveInputsSchema = z.object({
  caseId: uuid,
  version: z.coerce.number().int().positive(),
  stepId: safeText().min(1).max(64),
  values: z.record(safeText().max(64), fieldValue),
});

// Which input phase the customer may fill in while the case is in each state.
const PHASE_FOR_STATE: Partial<Record<CaseState, InputPhase>> = {
  draft: 'draft',
  awaiting_customer: 'details',
  awaiting_customer_action: 'after_endpoint',
};

/** The input phase the customer fills in now, or undefined when the case waits on someone else. */
export function inputPhaseFor(state: CaseState): InputPhase | undefined {
  return PHASE_FOR_STATE[state];
}

export interface SaveResult {
  case: Case;
  issues: ValidationIssue[];
}

/**
 * Save one wizard step's fields. Drafts are saved even when a field is not yet valid (autosave keeps what was typed;
 * submit checks everything) and the issues are returned; details given after acceptance must be valid to be saved.
 */
export async function saveInputs(
  db: Db,
  actor: Exclude<CaseActor, 'reconciler'>,
  input: { caseId: string; version: number | string; stepId: string; values: Record<string, unknown> },
  context: AuditContext = {},
): Promise<SaveResult> {
  const parsed = saveInputsSchema.safeParse(input);
  if (!parsed.success) {
    throw new CaseError('invalid_input', 'Some fields need attention.', fieldErrorsOf(parsed.error, 1));
  }
  const { caseId, version, stepId, values } = parsed.data;
  if (!roleAllows(actor.role, 'case.edit_draft')) throw new CaseError('wrong_role', 'Your role cannot change this case.');
  return db.transaction(async (tx) => {
    const row = await loadCase(tx, actor, caseId, true);
    const stale = row.version !== version;
    const flow = getFlow(row.warehouse);
    const step = flow.customerSteps.find((s) => s.id === stepId);
    if (!step) throw new CaseError('invalid_input', `The ${flow.name} setup has no step "${stepId}".`);
    const phase = PHASE_FOR_STATE[row.state];
    if (stale && phase !== step.phase) throw staleVersion(row);
    if (phase !== step.phase) {
      throw new CaseError(
        'wrong_state',
        phase
          ? `This step cannot be changed now: the case is waiting for the "${phase}" details.`
          : 'This case can no longer be changed by its workspace.',
      );
    }
    const stepFields = new Set(step.fields.map((f) => f.name));
    const picked = Object.fromEntries(Object.entries(values).filter(([k]) => stepFields.has(k)));
    const config = getFlowConfig();
    const merged = { ...row.inputs, ...picked };
    const region = typeof merged.region === 'string' && merged.region ? merged.region : row.region;
    const ctx = { region, config };
    const issues = flow.check(merged, ctx, [phase]).filter((i) => stepFields.has(i.field.split('.')[0]!));
    const inputs = flow.normalise(merged, ctx);
    if (stale) {
      // The same answers sent twice (a save sent as the page was left, then again from the reloaded page) are not a
      // conflict: nothing would change, so nothing is lost. Any real change against an old version is refused.
      const same = [...stepFields].every((k) => !(k in picked) || JSON.stringify(inputs[k]) === JSON.stringify(row.inputs[k]));
      if (!same) throw staleVersion(row);
      return { case: row, issues };
    }
    if (phase !== 'draft' && issues.length > 0) {
      throw new CaseError('guard_failed', 'Some details need attention before they can be saved.', fieldErrorsFrom(issues));
    }
    const nextRegion = phase === 'draft' && config.eligibleRegions.includes(region) ? region : row.region;
    const [updated] = await tx
      .update(cases)
      .set({
        inputs,
        claims: claimKeys({ warehouse: row.warehouse, inputs }),
        claimsVersion: row.version + 1,
        region: nextRegion,
        version: row.version + 1,
        updatedAt: new Date(),
        // Saving never wakes the reconciler: it acts only once the customer sends (send_customer_action).
      })
      .where(eq(cases.id, row.id))
      .returning();
    await writeAudit(tx, {
      actor: auditActor(actor),
      action: 'case.save_inputs',
      targetType: 'case',
      targetId: row.id,
      workspaceId: row.workspaceId,
      before: { version: row.version, fields: pick(row.inputs, stepFields) },
      after: { version: updated!.version, step: stepId, fields: pick(inputs, stepFields) },
      context,
    });
    return { case: updated!, issues };
  });
}

/** The case's saved inputs of one phase's fields. */
function phaseInputs(row: EventRow, phase: InputPhase): Record<string, unknown> {
  const names = new Set(getFlow(row.warehouse).customerSteps.flatMap((s) => (s.phase === phase ? s.fields.map((f) => f.name) : [])));
  return pick(row.inputs, names);
}

function pick(obj: Record<string, unknown>, keys: Set<string>) {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.has(k)));
}

function staleVersion(row: Pick<Case, 'state'>) {
  return new CaseError(
    'stale_version',
    // Customers read this: say what happened and what to do, in their words, not the row's version or state name.
    `This case changed since you opened it: ${
      row.state === 'draft' ? 'its answers were saved from another tab or by someone else' : `it is now "${STATE_LABEL[row.state]}"`
    }. Reload to see the latest and try again.`,
  );
}

/** Why a fenced UPDATE matched nothing: the case changed since it was claimed, or another reconciler holds it now. */
async function refusedHold(tx: Tx, caseId: string, hold: ReconcilerHold | undefined): Promise<Error> {
  if (!hold) return new Error(`The locked case ${caseId} was not written.`);
  const [now] = await tx.select().from(cases).where(eq(cases.id, caseId));
  if (!now) return new CaseError('not_found', 'No such case in your workspace.');
  if (now.version !== hold.seen.version) return staleVersion(now);
  return new CaseError('stale_version', 'Another reconciler holds this case now.');
}

export const applyEventSchema = z.object({
  caseId: uuid,
  event: z.enum(CASE_EVENTS, { error: `Send one of the case's events: ${CASE_EVENTS.join(', ')}.` }),
  version: z.coerce.number().int().positive().optional(),
  // Notes are also the reasons given for a rejection or a cancellation.
  note: safeText({ bidi: true }).trim().max(2_000, 'Keep the note under 2,000 characters.').optional(),
  payload: z.record(safeText(), safeValue()).optional(),
});

// Input phases that must be complete and valid before an event.
const REQUIRED_PHASES: Partial<Record<CaseEventName, InputPhase[]>> = {
  submit: ['draft'],
  provide_details: ['draft', 'details'],
  skip_details: ['draft'],
  request_provisioning: ['draft', 'details'],
  auto_request_provisioning: ['draft', 'details'],
  send_customer_action: ['after_endpoint'],
};

/** What applyEvent reads of the case before writing it. */
type EventRow = Pick<Case, 'id' | 'workspaceId' | 'warehouse' | 'region' | 'state' | 'version' | 'inputs' | 'outputs' | 'requestedBy'>;

/**
 * The reconciler's lease on the case it applies an event to (lib/reconciler/lease.ts): the row as it claimed it, which
 * the event's version must name, and how it lets go of the case in the same UPDATE (docs/design.md#rounds-and-leases).
 */
export interface ReconcilerHold {
  seen: EventRow;
  owner: string;
  release: { next: Date; attempts: number; lastError: string | null };
  /** The look's own rows (endpoint, DNS), written in the event's transaction once its fenced UPDATE matched. */
  write?: (tx: Tx) => Promise<void>;
}

/**
 * Apply one event to a case, in one transaction: lock the case, check the version (people must send the version they
 * saw), the transition table, the role, the guard, the required inputs and — on submit and approve — the beta limits
 * under a workspace lock; then write the case, a case_events row and an audit_log row (docs/design.md#applying-an-event).
 * With a `hold`, the reconciler's claimed row stands for the locked read, the UPDATE is fenced by its version and
 * lease instead, and it releases the lease.
 */
export async function applyEvent(
  db: Db,
  actor: CaseActor,
  input: z.input<typeof applyEventSchema>,
  context: AuditContext = {},
  now: Date = new Date(),
  hold?: ReconcilerHold,
): Promise<Case> {
  const parsed = applyEventSchema.safeParse(input);
  if (!parsed.success) {
    throw new CaseError('invalid_input', parsed.error.issues[0]?.message ?? 'Invalid request.');
  }
  const { caseId, event, version, note, payload } = parsed.data;
  if (actor !== 'reconciler' && version === undefined) {
    throw new CaseError('invalid_input', 'The case version you saw is required.');
  }
  if (hold && (actor !== 'reconciler' || hold.seen.id !== caseId || hold.seen.version !== version)) {
    throw new Error('A hold is the reconciler’s, on the case and the version it claimed.');
  }
  let afterCommit: AfterCommit = () => {};
  const result = await db.transaction(async (tx) => {
    // Lock order everywhere: workspace row, then case row (so concurrent limit checks cannot deadlock). Only the
    // events that take a slot need the workspace, and so a first look at the case to find it.
    if (event === 'submit' || event === 'approve') {
      const peek = await loadCase(tx, actor, caseId, false);
      const refusal = await checkLimitsLocked(tx, peek.workspaceId, peek.id, now);
      if (refusal) throw new CaseError('limit', refusal);
    }
    const row: EventRow = hold ? hold.seen : await loadCase(tx, actor, caseId, true);
    if (version !== undefined && row.version !== version) throw staleVersion(row);

    const verdict = evaluate(
      row.state,
      event,
      { role: actor === 'reconciler' ? 'reconciler' : actor.role },
      {
        warehouse: row.warehouse,
        actorId: actor === 'reconciler' ? null : actor.id,
        requestedBy: row.requestedBy,
        note: note ?? null,
      },
    );
    if (!verdict.ok) throw new CaseError(verdict.reason, verdict.message);

    const phases = REQUIRED_PHASES[event];
    if (phases) {
      const issues = getFlow(row.warehouse).check(row.inputs, { region: row.region, config: getFlowConfig() }, phases);
      if (issues.length > 0) {
        throw new CaseError(
          'guard_failed',
          `The case is not ready to ${event.replace(/_/g, ' ')}: ${issues.length} field${issues.length === 1 ? ' needs' : 's need'} attention.`,
          fieldErrorsFrom(issues),
        );
      }
    }

    const to = verdict.transition.to;
    const actorId = actor === 'reconciler' ? null : actor.id;
    const reconciles = RECONCILER_STATES.includes(to);
    // What the customer sent is kept on the event: the reconciler acts on that, never on answers merely saved.
    const eventPayload = event === 'send_customer_action' ? { ...payload, sent: phaseInputs(row, 'after_endpoint') } : (payload ?? {});
    // The event row and the audit row are written by the same statement as the case (data-modifying WITHs run once,
    // to completion). When the UPDATE matches no row, the error below rolls them back.
    const eventRow = tx.$with('event_row').as(
      tx
        .insert(caseEvents)
        .values({
          caseId: row.id,
          event,
          fromState: row.state,
          toState: to,
          actorId,
          actorRole: actor === 'reconciler' ? 'reconciler' : actor.role,
          note: note ?? null,
          payload: eventPayload,
        })
        .returning({ id: caseEvents.id }),
    );
    const auditRow = tx.$with('audit_row').as(
      auditInsert(tx, [
        {
          actor: auditActor(actor),
          action: `case.${event}`,
          targetType: 'case',
          targetId: row.id,
          workspaceId: row.workspaceId,
          before: { state: row.state, version: row.version },
          after: { state: to, version: row.version + 1, ...(note ? { note } : {}) },
          context,
        },
      ]).returning({ id: auditLog.id }),
    );
    const [written] = await tx
      .with(eventRow, auditRow)
      .update(cases)
      .set({
        state: to,
        version: row.version + 1,
        updatedAt: now,
        // The transition's own effect, written beside it in the table.
        ...verdict.transition.effect?.({ now, actorId, note: note ?? null, payload }),
        ...(payload && actor === 'reconciler' && payload.outputs && typeof payload.outputs === 'object'
          ? { outputs: { ...row.outputs, ...(payload.outputs as Record<string, unknown>) } }
          : {}),
        // The reconciler looks at cases in its states now, and never at the others.
        nextReconcileAt: reconciles ? now : null,
        ...(hold
          ? {
              leaseOwner: null,
              leaseExpiresAt: null,
              ...(reconciles
                ? { nextReconcileAt: hold.release.next, reconcileAttempts: hold.release.attempts, lastError: hold.release.lastError }
                : {}),
            }
          : {}),
      })
      // The workspace's name comes back with the row, for the notifications (one statement fewer per event).
      .from(workspaces)
      .where(
        and(
          eq(cases.id, row.id),
          eq(workspaces.id, cases.workspaceId),
          hold ? and(eq(cases.version, row.version), eq(cases.leaseOwner, hold.owner)) : undefined,
        ),
      )
      .returning({ ...getTableColumns(cases), workspaceName: workspaces.name });
    if (!written) throw await refusedHold(tx, caseId, hold);
    await hold?.write?.(tx);
    const { workspaceName, ...updated } = written;

    // In-app notifications in this transaction; chat webhooks only once it committed.
    afterCommit = await notifyCaseTransition(tx, {
      caseRow: updated,
      workspaceName,
      from: row.state,
      to,
      event,
      actor,
      note: note ?? null,
    });
    return updated;
  });
  afterCommit();
  return result;
}

/** One case for a page: null when it does not exist or is not the actor's to see (the page answers 404). */
export async function findCase(db: Db, actor: CaseActor, caseId: string): Promise<Case | null> {
  return getCase(db, actor, caseId).catch((e) => (e instanceof CaseError && e.reason === 'not_found' ? null : Promise.reject(e)));
}

/** One case, if the actor may see it (404 otherwise). */
export async function getCase(db: Db, actor: CaseActor, caseId: string): Promise<Case> {
  if (!uuid.safeParse(caseId).success) throw new CaseError('not_found', 'No such case in your workspace.');
  return loadCase(db, actor, caseId, false); // one read: no transaction around it
}
