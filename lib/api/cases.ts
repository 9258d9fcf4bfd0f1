/**
 * What /api/v1 says about cases, built from the services the portal's pages and server actions use: the case service
 * (lib/cases/service.ts), the checks (lib/preflight) and where a case stands (lib/cases/where-it-stands.ts).
 */
import 'server-only';
import { and, desc, eq, inArray, isNotNull, lt, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '@/db/index';
import { caseScope } from '@/db/queries/cases';
import { type Case, caseEvents, cases, workspaces } from '@/db/schema';
import { roleAllows } from '@/lib/auth/policy';
import type { SessionUser } from '@/lib/auth/session-account';
import { rolesFor, transitionsForFlow } from '@/lib/cases/machine';
import { inputPhaseFor } from '@/lib/cases/service';
import { STATE_LABEL } from '@/lib/cases/states';
import { whereItStands } from '@/lib/cases/where-it-stands';
import type { CaseState } from '@/lib/domain/case-states';
import type { Warehouse } from '@/lib/domain/warehouses';
import { preflightOf } from '@/lib/preflight';
import { getFlow, getFlowConfig } from '@/lib/providers';
import { ApiError, type ApiIssue } from './errors';
import type { caseDetailSchema, caseSummarySchema, NEXT_ACTORS } from './schemas';

type NextActor = (typeof NEXT_ACTORS)[number];

// Who acts next in each state (docs/design.md#the-case-state-machine): the customer's admins, the CSM (accepting,
// requesting provisioning), an engineer (approving, retrying a failure, resuming), the portal's own loop, or nobody.
const NEXT_ACTOR: Record<CaseState, NextActor> = {
  draft: 'customer',
  submitted: 'csm',
  awaiting_customer: 'customer',
  ready_to_provision: 'csm',
  pending_approval: 'engineer',
  provisioning: 'portal',
  awaiting_customer_action: 'customer',
  active: 'nobody',
  failed: 'engineer',
  rejected: 'nobody',
  cancelled: 'nobody',
  suspended: 'engineer',
  decommissioning: 'portal',
  decommissioned: 'nobody',
};

type CaseRow = Pick<
  Case,
  'id' | 'number' | 'warehouse' | 'region' | 'state' | 'version' | 'workspaceId' | 'lastError' | 'outputs' | 'createdAt' | 'updatedAt'
>;

function summary(c: CaseRow, workspaceName: string, notes: CaseNotes | undefined, user: SessionUser): z.input<typeof caseSummarySchema> {
  return {
    id: c.id,
    reference: `PL-${c.number}`,
    warehouse: c.warehouse,
    region: c.region,
    state: c.state,
    stateLabel: STATE_LABEL[c.state],
    version: c.version,
    workspace: { id: c.workspaceId, name: workspaceName },
    // The case page's own words, for the same reader (a read-only member is told an admin acts).
    standing: whereItStands(
      c,
      getFlow(c.warehouse),
      notes?.note ?? null,
      { canAct: roleAllows(user.role, 'case.edit_draft') },
      notes?.changes ?? null,
    ),
    nextActor: NEXT_ACTOR[c.state],
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/**
 * What the case page reads from each case's events: the latest note (the reason of a rejection, a failure, a
 * suspension) and, when the latest event sent the case back to the customer, the changes staff asked for.
 */
interface CaseNotes {
  note: string | null;
  changes: string | null;
}
async function lastNotes(db: Db, caseIds: string[]): Promise<Map<string, CaseNotes>> {
  if (caseIds.length === 0) return new Map();
  const [noted, latest] = await Promise.all([
    db
      .selectDistinctOn([caseEvents.caseId], { caseId: caseEvents.caseId, note: caseEvents.note })
      .from(caseEvents)
      .where(and(inArray(caseEvents.caseId, caseIds), isNotNull(caseEvents.note)))
      .orderBy(caseEvents.caseId, desc(caseEvents.id)),
    db
      .selectDistinctOn([caseEvents.caseId], { caseId: caseEvents.caseId, event: caseEvents.event, note: caseEvents.note })
      .from(caseEvents)
      .where(inArray(caseEvents.caseId, caseIds))
      .orderBy(caseEvents.caseId, desc(caseEvents.id)),
  ]);
  const notes = new Map(noted.map((r) => [r.caseId, r.note]));
  return new Map(
    caseIds.map((id) => {
      const last = latest.find((r) => r.caseId === id);
      return [id, { note: notes.get(id) ?? null, changes: last?.event === 'request_changes' ? (last.note ?? '') : null }];
    }),
  );
}

async function workspaceName(db: Db, id: string): Promise<string> {
  const [w] = await db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, id));
  return w?.name ?? '';
}

/** The events the user's role may fire on the case in its state (the state machine's table, read for this flow). */
function eventsFor(c: Pick<Case, 'state' | 'warehouse'>, user: SessionUser) {
  const names = transitionsForFlow(c.warehouse)
    .filter((t) => t.from === c.state && t.actor.kind === 'people' && rolesFor(t).includes(user.role))
    .map((t) => t.event);
  return [...new Set(names)];
}

/** One case as /api/v1 shows it. */
export async function presentCase(db: Db, user: SessionUser, c: Case): Promise<z.input<typeof caseDetailSchema>> {
  const [name, notes] = await Promise.all([workspaceName(db, c.workspaceId), lastNotes(db, [c.id])]);
  const open = inputPhaseFor(c.state);
  return {
    ...summary(c, name, notes.get(c.id), user),
    inputs: c.inputs,
    outputs: c.outputs,
    lastError: c.lastError,
    steps: getFlow(c.warehouse).customerSteps.map((s) => ({ id: s.id, title: s.title, phase: s.phase, open: s.phase === open })),
    events: eventsFor(c, user),
    preflight: preflightOf(c),
  };
}

// Cursors are opaque to callers: the last row's position, base64url-encoded.
export const encodeCursor = (parts: (string | number)[]): string => Buffer.from(parts.join('|'), 'utf8').toString('base64url');
/** The refusal of a cursor that is not a page's nextCursor. */
export const badCursor = () =>
  new ApiError('validation', 'The cursor is not valid.', [
    { field: 'query.cursor', rule: 'cursor', message: 'Send the nextCursor of the previous page unchanged, or none for the first page.' },
  ]);

export function decodeCursor(cursor: string | undefined, n: number): string[] | null {
  if (!cursor) return null;
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== n || parts.some((p) => p === '')) throw badCursor();
  return parts;
}

/** A page of the cases the user may see, newest first (by case number, which never changes). */
export async function listCasesPage(db: Db, user: SessionUser, q: { limit: number; cursor?: string; state?: CaseState }) {
  const after = decodeCursor(q.cursor, 1);
  const before = after ? Number(after[0]) : null;
  if (before !== null && !Number.isInteger(before)) throw badCursor();
  const where: (SQL | undefined)[] = [caseScope(user), before !== null ? lt(cases.number, before) : undefined];
  if (q.state) where.push(eq(cases.state, q.state));
  const rows = await db
    .select({
      id: cases.id,
      number: cases.number,
      warehouse: cases.warehouse,
      region: cases.region,
      state: cases.state,
      version: cases.version,
      workspaceId: cases.workspaceId,
      lastError: cases.lastError,
      outputs: cases.outputs,
      createdAt: cases.createdAt,
      updatedAt: cases.updatedAt,
      workspaceName: workspaces.name,
    })
    .from(cases)
    .innerJoin(workspaces, eq(cases.workspaceId, workspaces.id))
    .where(and(...where))
    .orderBy(desc(cases.number))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const notes = await lastNotes(
    db,
    page.map((r) => r.id),
  );
  return {
    data: page.map((r) => summary(r, r.workspaceName, notes.get(r.id), user)),
    nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.number]) : null,
  };
}

/**
 * The issues of a new case's answers before anything is written: the flow's own checks of the steps filled in before
 * submitting (what submit checks), and any field those steps do not have.
 */
export function draftIssues(warehouse: Warehouse, region: string | undefined, inputs: Record<string, unknown>): ApiIssue[] {
  const flow = getFlow(warehouse);
  const draftFields = new Set(flow.customerSteps.filter((s) => s.phase === 'draft').flatMap((s) => s.fields.map((f) => f.name)));
  const unknown = Object.keys(inputs)
    .filter((k) => !draftFields.has(k))
    .map((k) => ({
      field: `body.inputs.${k}`,
      rule: 'field.unknown',
      message: `The ${flow.name} setup asks no "${k}" before submitting: send only ${[...draftFields].join(', ')} (later details go to PUT /cases/{id}/steps/{stepId}).`,
    }));
  const config = getFlowConfig();
  const merged = { region: region ?? config.eligibleRegions[0], ...inputs };
  const ctx = { region: String(merged.region), config };
  const checks = flow.check(merged, ctx, ['draft']).map((i) => ({ field: `body.inputs.${i.field}`, rule: i.rule, message: i.message }));
  return [...unknown, ...checks];
}

/** The draft steps of a flow with the given answers for each (the steps a new case's inputs are saved through). */
export function draftSteps(warehouse: Warehouse, inputs: Record<string, unknown>): [string, Record<string, unknown>][] {
  return getFlow(warehouse)
    .customerSteps.filter((s) => s.phase === 'draft')
    .map((s): [string, Record<string, unknown>] => [
      s.id,
      Object.fromEntries(s.fields.filter((f) => f.name in inputs).map((f) => [f.name, inputs[f.name]])),
    ])
    .filter(([, values]) => Object.keys(values).length > 0);
}
