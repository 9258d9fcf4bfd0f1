import 'server-only';
import { and, asc, desc, eq, inArray, type Placeholder, type SQL } from 'drizzle-orm';
import { type Db, getDb } from '@/db/index';
import { caseEvents, caseMessages, cases, users, workspaces } from '@/db/schema';
import { type CaseState, STAFF_QUEUE_STATES } from '@/lib/domain/case-states';
import { isStaff, type Principal } from '@/lib/domain/roles';
import { jsonList, keyed } from './json-list';
import { scopeTo } from './scope';
import type { Warehouse } from '@/lib/domain/warehouses';

/** Scope a case query to what the user may see: their own workspace for customers, everything for staff. */
export const caseScope = (user: Principal, as?: Placeholder): SQL | undefined => scopeTo(cases.workspaceId, user, as);

const caseListColumns = {
  id: cases.id,
  number: cases.number,
  warehouse: cases.warehouse,
  region: cases.region,
  state: cases.state,
  updatedAt: cases.updatedAt,
  createdAt: cases.createdAt,
  submittedAt: cases.submittedAt,
  workspaceName: workspaces.name,
};

export async function listCasesForUser(user: Principal) {
  const db = await getDb();
  return db
    .select(caseListColumns)
    .from(cases)
    .innerJoin(workspaces, eq(cases.workspaceId, workspaces.id))
    .where(caseScope(user))
    .orderBy(desc(cases.updatedAt))
    .limit(200);
}

export interface QueueFilter {
  warehouse?: Warehouse;
  region?: string;
  state?: CaseState;
  workspaceId?: string;
}

/** Cases waiting on staff, oldest first (the CSM queue), filtered in SQL. */
export async function listQueue(filter: QueueFilter = {}) {
  const db = await getDb();
  const states = filter.state && STAFF_QUEUE_STATES.includes(filter.state) ? [filter.state] : [...STAFF_QUEUE_STATES];
  return db
    .select(caseListColumns)
    .from(cases)
    .innerJoin(workspaces, eq(cases.workspaceId, workspaces.id))
    .where(
      and(
        inArray(cases.state, states),
        filter.warehouse ? eq(cases.warehouse, filter.warehouse) : undefined,
        filter.region ? eq(cases.region, filter.region) : undefined,
        filter.workspaceId ? eq(cases.workspaceId, filter.workspaceId) : undefined,
      ),
    )
    .orderBy(asc(cases.updatedAt))
    .limit(500);
}

const eventColumns = {
  id: caseEvents.id,
  event: caseEvents.event,
  fromState: caseEvents.fromState,
  toState: caseEvents.toState,
  actorRole: caseEvents.actorRole,
  actorName: users.name,
  note: caseEvents.note,
  createdAt: caseEvents.createdAt,
};

const messageColumns = {
  id: caseMessages.id,
  audience: caseMessages.audience,
  authorRole: caseMessages.authorRole,
  authorName: users.name,
  body: caseMessages.body,
  createdAt: caseMessages.createdAt,
};

const eventActor = eq(caseEvents.actorId, users.id);
const messageAuthor = eq(caseMessages.authorId, users.id);

/** A case's timeline: every event with who acted, oldest first (the case page's and the API's). */
export async function listCaseEvents(caseId: string, db?: Db) {
  return (db ?? (await getDb()))
    .select(eventColumns)
    .from(caseEvents)
    .leftJoin(users, eventActor)
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(asc(caseEvents.id));
}
export type CaseEvent = Awaited<ReturnType<typeof listCaseEvents>>[number];

/**
 * Which messages of a case a reader may see, as SQL: staff every one, a customer only the conversation with their
 * workspace — never an internal note (docs/design.md#conversations-on-a-case).
 */
export const messageScope = (reader: Principal): SQL | undefined =>
  isStaff(reader.role) ? undefined : eq(caseMessages.audience, 'customer');

/** The messages of a case the reader may see, oldest first. The caller has checked the reader may see the case. */
export async function listCaseMessages(reader: Principal, caseId: string, db?: Db) {
  const d = db ?? (await getDb());
  return d
    .select(messageColumns)
    .from(caseMessages)
    .leftJoin(users, messageAuthor)
    .where(and(eq(caseMessages.caseId, caseId), messageScope(reader)))
    .orderBy(asc(caseMessages.id));
}
export type CaseMessage = Awaited<ReturnType<typeof listCaseMessages>>[number];

/**
 * listCaseEvents and listCaseMessages as two columns of the statement that reads the case itself (caseForPage),
 * correlated with its row: the page reads all three in one round trip, from one snapshot.
 */
export function caseListsJson(d: Db, reader: Principal) {
  return {
    events: jsonList<CaseEvent>(
      d.select(keyed(eventColumns)).from(caseEvents).leftJoin(users, eventActor).where(eq(caseEvents.caseId, cases.id)),
      eventColumns,
      'id',
    ),
    messages: jsonList<CaseMessage>(
      d
        .select(keyed(messageColumns))
        .from(caseMessages)
        .leftJoin(users, messageAuthor)
        .where(and(eq(caseMessages.caseId, cases.id), messageScope(reader))),
      messageColumns,
      'id',
    ),
  };
}
