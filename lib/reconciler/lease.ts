/**
 * Leases: which reconciler works on which case. A claim is one statement (its own short transaction) that picks due
 * cases with FOR UPDATE SKIP LOCKED and stamps lease_owner/lease_expires_at; AWS is called with no transaction open;
 * results are recorded only while the lease is still ours. None of these writes touch `version` or `updated_at`: the
 * customer's open page uses `version` to detect edits made by someone else, and bookkeeping is not an edit.
 */
import 'server-only';
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/index';
import { type Case, cases } from '@/db/schema';
import { RECONCILER_STATES } from '@/lib/cases/machine';

export type ClaimedCase = Pick<
  Case,
  | 'id'
  | 'number'
  | 'workspaceId'
  | 'warehouse'
  | 'region'
  | 'state'
  | 'version'
  | 'inputs'
  | 'outputs'
  | 'requestedBy'
  | 'reconcileAttempts'
  | 'lastError'
>;

const claimedColumns = {
  id: cases.id,
  number: cases.number,
  workspaceId: cases.workspaceId,
  warehouse: cases.warehouse,
  region: cases.region,
  state: cases.state,
  version: cases.version,
  inputs: cases.inputs,
  outputs: cases.outputs,
  requestedBy: cases.requestedBy,
  reconcileAttempts: cases.reconcileAttempts,
  lastError: cases.lastError,
};

/**
 * Claim up to `limit` due cases whose lease is free or expired. Concurrent claimers skip each other's rows. The
 * locking SELECT is a CTE, run once, and the UPDATE tests the lease again on the row it writes: `WHERE id IN
 * (subquery)` may be re-run by PostgreSQL and claim more than `limit`, some of them another claimer's
 * (docs/design.md#rounds-and-leases).
 */
export async function claimDueCases(db: Db, owner: string, limit: number, leaseMs: number, now: Date): Promise<ClaimedCase[]> {
  const claimable = and(
    lte(cases.nextReconcileAt, now),
    inArray(cases.state, [...RECONCILER_STATES]),
    or(isNull(cases.leaseExpiresAt), lt(cases.leaseExpiresAt, now)),
  );
  const due = db
    .$with('due')
    .as(
      db
        .select({ id: cases.id })
        .from(cases)
        .where(claimable)
        .orderBy(asc(cases.nextReconcileAt))
        .limit(limit)
        .for('update', { skipLocked: true }),
    );
  return db
    .with(due)
    .update(cases)
    .set({ leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + leaseMs) })
    .from(due)
    .where(and(eq(cases.id, due.id), claimable))
    .returning(claimedColumns);
}

const inReconcilerState = sql`${cases.state}::text in (${sql.join(
  RECONCILER_STATES.map((s) => sql`${s}`),
  sql`, `,
)})`;

export interface Release {
  /** The version we last saw (or made). If a person changed the case meanwhile, it is looked at again at once. */
  expectedVersion: number;
  next: Date;
  now: Date;
  attempts: number;
  lastError: string | null;
}

/**
 * Let go of a case and say when to look next. Only cases still in a reconciler state get a next look; errors are kept
 * on those only (a failed case keeps the reason `fail` wrote). A no-op when the lease is no longer ours.
 */
export async function releaseCase(db: Db | Tx, caseId: string, owner: string, r: Release): Promise<boolean> {
  const rows = await db
    .update(cases)
    .set({
      leaseOwner: null,
      leaseExpiresAt: null,
      nextReconcileAt: sql`case when ${inReconcilerState}
      then (case when ${cases.version} = ${r.expectedVersion} then ${r.next.toISOString()}::timestamptz else ${r.now.toISOString()}::timestamptz end)
      else null end`,
      reconcileAttempts: sql`case when ${inReconcilerState} then ${r.attempts}::int else ${cases.reconcileAttempts} end`,
      lastError: sql`case when ${inReconcilerState} then ${r.lastError}::text else ${cases.lastError} end`,
    })
    .where(and(eq(cases.id, caseId), eq(cases.leaseOwner, owner)))
    .returning({ id: cases.id });
  return rows.length === 1;
}
