import 'server-only';
import { and, asc, desc, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import { type Db, getDb } from '@/db/index';
import { cases, endpoints, usageMonthly, users, workspaces } from '@/db/schema';
import { escapeLike } from './like';
import { monthStart } from '@/lib/domain/utc-day';
import type { Warehouse } from '@/lib/domain/warehouses';

export const ENDPOINT_SORTS = ['created', 'state', 'region', 'workspace', 'usage', 'reconciled'] as const;
export const PAGE_SIZE = 50;

/** The dashboard's filters, sort and page (lib/endpoint-filter.ts parses them from the URL). */
export interface EndpointQuery {
  q?: string;
  workspace?: string;
  warehouse?: Warehouse;
  region?: string;
  state?: string;
  flag?: 'drift' | 'error';
  sort: (typeof ENDPOINT_SORTS)[number];
  dir: 'asc' | 'desc';
  page: number;
}

function where(f: EndpointQuery): SQL | undefined {
  const q = f.q === undefined ? undefined : escapeLike(f.q);
  const number = f.q && /^(pl-)?\d+$/i.test(f.q) ? Number(f.q.replace(/^pl-/i, '')) : null;
  return and(
    isNull(endpoints.deletedAt),
    f.workspace ? eq(endpoints.workspaceId, f.workspace) : undefined,
    f.warehouse ? eq(cases.warehouse, f.warehouse) : undefined,
    f.region ? eq(endpoints.region, f.region) : undefined,
    f.state ? eq(endpoints.state, f.state) : undefined,
    f.flag === 'drift' ? sql`jsonb_array_length(${endpoints.drift}) > 0` : undefined,
    f.flag === 'error' ? sql`${endpoints.lastError} is not null` : undefined,
    q
      ? or(
          ilike(endpoints.awsId, `%${q}%`),
          ilike(endpoints.dnsName, `%${q}%`),
          ilike(endpoints.serviceName, `%${q}%`),
          ilike(workspaces.name, `%${q}%`),
          number !== null && Number.isSafeInteger(number) ? eq(cases.number, number) : undefined,
        )
      : undefined,
  );
}

// Month-to-date bytes of one endpoint: usage_monthly's row for this month, kept by triggers on usage_daily
// (docs/design.md#usage), so sorting by it reads one row per endpoint instead of summing every day of the month.
const monthBytes = sql<string>`coalesce(${usageMonthly.bytes}, 0)`;

// Month-to-date bytes of the endpoint's whole workspace: the monthly limit is the workspace's, not the endpoint's.
// Evaluated for the rows of the page only, one usage_monthly row per endpoint of the workspace.
const workspaceMonthBytes = (month: string) =>
  sql<string>`(select coalesce(sum(w.bytes), 0) from usage_monthly w where w.workspace_id = ${endpoints.workspaceId} and w.month = ${month})`;

const thisMonth = (month: string) => and(eq(usageMonthly.endpointId, endpoints.id), eq(usageMonthly.month, month));

function orderBy(f: EndpointQuery) {
  const dir = f.dir === 'asc' ? asc : desc;
  const key = {
    created: endpoints.createdAt,
    state: endpoints.state,
    region: endpoints.region,
    workspace: workspaces.name,
    usage: monthBytes,
    reconciled: endpoints.lastReconciledAt,
  }[f.sort];
  return [dir(key), dir(endpoints.id)];
}

const columns = (from: string) => ({
  id: endpoints.id,
  awsId: endpoints.awsId,
  kind: endpoints.kind,
  state: endpoints.state,
  region: endpoints.region,
  dnsName: endpoints.dnsName,
  port: endpoints.port,
  serviceName: endpoints.serviceName,
  azIds: endpoints.azIds,
  drift: endpoints.drift,
  lastReconciledAt: endpoints.lastReconciledAt,
  lastError: endpoints.lastError,
  createdAt: endpoints.createdAt,
  caseId: cases.id,
  caseNumber: cases.number,
  warehouse: cases.warehouse,
  caseState: cases.state,
  workspaceId: workspaces.id,
  workspaceName: workspaces.name,
  monthlyTransferLimitGib: workspaces.monthlyTransferLimitGib,
  monthBytes,
  workspaceMonthBytes: workspaceMonthBytes(from),
});

/** One page of the engineers' endpoint dashboard, filtered, sorted and counted in SQL. */
export async function listEndpointsPage(f: EndpointQuery, now: Date = new Date(), db?: Db) {
  const conn = db ?? (await getDb());
  const from = monthStart(now);
  const base = () =>
    conn
      .select(columns(from))
      .from(endpoints)
      .innerJoin(cases, eq(endpoints.caseId, cases.id))
      .innerJoin(workspaces, eq(endpoints.workspaceId, workspaces.id))
      .leftJoin(usageMonthly, thisMonth(from));
  const [rows, [total]] = await Promise.all([
    base()
      .where(where(f))
      .orderBy(...orderBy(f))
      .limit(PAGE_SIZE)
      .offset((f.page - 1) * PAGE_SIZE),
    conn
      .select({ n: sql<number>`count(*)::int` })
      .from(endpoints)
      .innerJoin(cases, eq(endpoints.caseId, cases.id))
      .innerJoin(workspaces, eq(endpoints.workspaceId, workspaces.id))
      .where(where(f)),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, monthBytes: Number(r.monthBytes), workspaceMonthBytes: Number(r.workspaceMonthBytes) })),
    total: total?.n ?? 0,
  };
}

/** Every matching endpoint in the dashboard's order, a batch at a time (for the streamed CSV export). */
export async function* iterateEndpoints(f: EndpointQuery, batch = 500, now: Date = new Date()) {
  for (let page = 1; ; page++) {
    const db = await getDb();
    const from = monthStart(now);
    const rows = await db
      .select(columns(from))
      .from(endpoints)
      .innerJoin(cases, eq(endpoints.caseId, cases.id))
      .innerJoin(workspaces, eq(endpoints.workspaceId, workspaces.id))
      .leftJoin(usageMonthly, thisMonth(from))
      .where(where(f))
      .orderBy(...orderBy(f))
      .limit(batch)
      .offset((page - 1) * batch);
    yield rows.map((r) => ({ ...r, monthBytes: Number(r.monthBytes), workspaceMonthBytes: Number(r.workspaceMonthBytes) }));
    if (rows.length < batch) return;
  }
}

/** Cases waiting for an engineer's approval, oldest first, with who requested them. */
export async function listPendingApprovals() {
  const db = await getDb();
  return db
    .select({
      id: cases.id,
      number: cases.number,
      warehouse: cases.warehouse,
      region: cases.region,
      updatedAt: cases.updatedAt,
      requestedBy: cases.requestedBy,
      requesterName: users.name,
      workspaceName: workspaces.name,
    })
    .from(cases)
    .innerJoin(workspaces, eq(cases.workspaceId, workspaces.id))
    .leftJoin(users, eq(cases.requestedBy, users.id))
    .where(eq(cases.state, 'pending_approval'))
    .orderBy(asc(cases.updatedAt))
    .limit(50);
}

/** The distinct AWS states present, for the filter. */
export async function listEndpointStates(): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .selectDistinct({ state: endpoints.state })
    .from(endpoints)
    .where(isNull(endpoints.deletedAt))
    .orderBy(asc(endpoints.state));
  return rows.map((r) => r.state);
}

export type EndpointRow = Awaited<ReturnType<typeof listEndpointsPage>>['rows'][number];
