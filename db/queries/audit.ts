import 'server-only';
import { and, asc, desc, eq, gt, gte, ilike, like, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import { getDb, type Db } from '@/db/index';
import { auditLog, cases, workspaces } from '@/db/schema';
import { escapeLike } from './like';

/** What the audit query needs: bounds as instants ("to" includes its whole UTC day). */
export interface AuditFilter {
  actor?: string;
  action?: string;
  /** Leave out the wizard's autosaves (case.save_inputs). */
  hideAutosaves?: boolean;
  workspaceId?: string;
  fromAt?: Date;
  toBefore?: Date;
}

/** The filter as one SQL condition (every part uses an index of audit_log except the actor substring). */
function auditWhere(f: AuditFilter): SQL | undefined {
  return and(
    f.actor ? or(ilike(auditLog.actorEmail, `%${escapeLike(f.actor)}%`), eq(auditLog.actorRole, f.actor.toLowerCase())) : undefined,
    f.action
      ? f.action.endsWith('.*')
        ? like(auditLog.action, `${escapeLike(f.action.slice(0, -1))}%`)
        : eq(auditLog.action, f.action)
      : undefined,
    f.hideAutosaves ? ne(auditLog.action, 'case.save_inputs') : undefined,
    f.workspaceId ? eq(auditLog.workspaceId, f.workspaceId) : undefined,
    f.fromAt ? gte(auditLog.at, f.fromAt) : undefined,
    f.toBefore ? lt(auditLog.at, f.toBefore) : undefined,
  );
}

const columns = {
  id: auditLog.id,
  at: auditLog.at,
  actorId: auditLog.actorId,
  actorEmail: auditLog.actorEmail,
  actorRole: auditLog.actorRole,
  action: auditLog.action,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  workspaceId: auditLog.workspaceId,
  workspaceName: workspaces.name,
  caseNumber: cases.number,
  requestId: auditLog.requestId,
  sourceIp: auditLog.sourceIp,
  before: auditLog.before,
  after: auditLog.after,
};

function selectAudit(d: Db) {
  return (
    d
      .select(columns)
      .from(auditLog)
      .leftJoin(workspaces, eq(auditLog.workspaceId, workspaces.id))
      // A case target is shown as its PL- number: looked up by its primary key when the target is a case id.
      .leftJoin(
        cases,
        sql`${cases.id} = case when ${auditLog.targetType} = 'case' and ${auditLog.targetId} ~ '^[0-9a-f-]{36}$' then ${auditLog.targetId}::uuid end`,
      )
  );
}

export type AuditRow = Awaited<ReturnType<typeof selectAudit>>[number];

export interface AuditPage {
  rows: AuditRow[];
  /** Cursor for the next older page (rows with a smaller id), if there is one. */
  olderThan: number | null;
  /** Cursor for the previous newer page (rows with a larger id), if there is one. */
  newerThan: number | null;
}

/**
 * One page of the audit log, newest first, filtered and paginated in SQL by keyset on the id (stable while rows are
 * appended, and as fast on page 1,000 as on page 1). `before`: rows older than that id; `after`: rows newer.
 */
export async function listAuditPage(
  filter: AuditFilter,
  page: { before?: number; after?: number; limit?: number } = {},
  db?: Db,
): Promise<AuditPage> {
  const d = db ?? (await getDb());
  const limit = page.limit ?? 50;
  const base = selectAudit(d);
  if (page.after !== undefined) {
    const rows = await base
      .where(and(auditWhere(filter), gt(auditLog.id, page.after)))
      .orderBy(asc(auditLog.id))
      .limit(limit + 1);
    const hasNewer = rows.length > limit;
    const shown = rows.slice(0, limit).reverse();
    return { rows: shown, newerThan: hasNewer ? shown[0]!.id : null, olderThan: shown.length > 0 ? shown.at(-1)!.id : null };
  }
  const rows = await base
    .where(and(auditWhere(filter), page.before !== undefined ? lt(auditLog.id, page.before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const shown = rows.slice(0, limit);
  return {
    rows: shown,
    olderThan: rows.length > limit ? shown.at(-1)!.id : null,
    newerThan: page.before !== undefined && shown.length > 0 ? shown[0]!.id : null,
  };
}

/**
 * Every row the filter matches, newest first, in batches (for the CSV export: memory stays flat whatever the size).
 * Rows appended while the export runs are left out: it covers the log as it was when it started.
 */
export async function* iterateAudit(filter: AuditFilter, db?: Db, batch = 500): AsyncGenerator<AuditRow[]> {
  const d = db ?? (await getDb());
  const [top] = await d.select({ max: sql<string | null>`max(${auditLog.id})::text` }).from(auditLog);
  let upTo = top?.max ? Number(top.max) : 0;
  while (upTo > 0) {
    const rows = await selectAudit(d)
      .where(and(auditWhere(filter), lte(auditLog.id, upTo)))
      .orderBy(desc(auditLog.id))
      .limit(batch);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
    upTo = rows.at(-1)!.id - 1;
  }
}

/**
 * The distinct actions in the log, for the filter's choices. A recursive "skip scan" over the (action, at) index:
 * one index probe per distinct action instead of reading every row.
 */
export async function listAuditActions(db?: Db): Promise<string[]> {
  const d = db ?? (await getDb());
  const result = await d.execute<{ action: string }>(sql`
    with recursive t(action) as (
      (select action from audit_log order by action limit 1)
      union all
      select (select a.action from audit_log a where a.action > t.action order by a.action limit 1) from t where t.action is not null
    )
    select action from t where action is not null`);
  const rows = Array.isArray(result) ? result : (result as { rows: { action: string }[] }).rows;
  return rows.map((r) => r.action);
}
