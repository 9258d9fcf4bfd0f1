import 'server-only';
import { and, asc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '@/db/index';
import { cases, usageDaily, workspaces } from '@/db/schema';
import { SLOT_HOLDING_STATES } from '@/lib/domain/case-states';
import { monthStart } from '@/lib/domain/utc-day';

/** Whether the workspace's cases request provisioning by themselves once every check passed. */
export async function getAutoRequest(id: string, db?: Db): Promise<boolean> {
  const d = db ?? (await getDb());
  const [row] = await d.select({ auto: workspaces.autoRequestProvisioning }).from(workspaces).where(eq(workspaces.id, id));
  return row?.auto ?? true;
}

export interface WorkspaceUsage {
  endpointsUsed: number;
  endpointLimit: number;
  monthBytes: number;
  monthlyTransferLimitGib: number;
}

/**
 * Slots held and month-to-date bytes for one workspace (read inside a transaction when enforcing limits).
 * `excludeCaseId` leaves one case out of the slot count (the case asking for a slot).
 */
export async function getWorkspaceUsage(
  db: Db | Tx,
  workspaceId: string,
  opts: { now?: Date; excludeCaseId?: string; lock?: boolean } = {},
): Promise<WorkspaceUsage | null> {
  const now = opts.now ?? new Date();
  const wsQuery = db
    .select({ endpointLimit: workspaces.endpointLimit, monthlyTransferLimitGib: workspaces.monthlyTransferLimitGib })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  // With `lock`, the workspace row stays locked until the transaction ends: concurrent submits queue here, so two
  // cannot both see the last free slot.
  const [ws] = opts.lock ? await wsQuery.for('update') : await wsQuery;
  if (!ws) return null;
  const [slots] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cases)
    .where(
      and(
        eq(cases.workspaceId, workspaceId),
        inArray(cases.state, [...SLOT_HOLDING_STATES]),
        opts.excludeCaseId ? ne(cases.id, opts.excludeCaseId) : undefined,
      ),
    );
  const [bytes] = await db
    .select({ total: sql<string>`coalesce(sum(${usageDaily.bytes}), 0)::text` })
    .from(usageDaily)
    .where(and(eq(usageDaily.workspaceId, workspaceId), gte(usageDaily.day, monthStart(now))));
  return { ...ws, endpointsUsed: slots?.n ?? 0, monthBytes: Number(bytes?.total ?? 0) };
}

/** Workspaces by name, for filters and pickers (no counts). */
export async function listWorkspaceChoices(db?: Db) {
  const d = db ?? (await getDb());
  return d.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).orderBy(asc(workspaces.name));
}

export async function listWorkspacesWithCounts() {
  const db = await getDb();
  return db
    .select({
      id: workspaces.id,
      name: workspaces.name,
      slug: workspaces.slug,
      endpointLimit: workspaces.endpointLimit,
      monthlyTransferLimitGib: workspaces.monthlyTransferLimitGib,
      limitOverrideReason: workspaces.limitOverrideReason,
      // Correlated subqueries spelled with qualified names: Drizzle renders bare column names inside sql``.
      members: sql<number>`(select count(*)::int from users u where u.workspace_id = "workspaces"."id")`,
      activeCases: sql<number>`(select count(*)::int from cases c where c.workspace_id = "workspaces"."id" and c.state::text in (${sql.join(
        SLOT_HOLDING_STATES.map((s) => sql`${s}`),
        sql`, `,
      )}))`,
    })
    .from(workspaces)
    .orderBy(asc(workspaces.name));
}
