import 'server-only';
import { and, asc, desc, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import { type Db, getDb } from '@/db/index';
import { cases, endpoints, users, workspaces } from '@/db/schema';
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

// Month-to-date bytes of one endpoint: a scalar subquery on usage_daily's primary key (endpoint_id, day), evaluated
// only for the rows of the page unless the page is sorted by it.
const monthBytes = (from: string) =>
  sql<string>`(select coalesce(sum(u.bytes), 0) from usage_daily u where u.endpoint_id = ${endpoints.id} and u.day >= ${from})`;

// Month-to-date bytes of the endpoint's whole workspace: the monthly limit is the workspace's, not the endpoint's.
const workspaceMonthBytes = (from: string) =>
  sql<string>`(select coalesce(sum(w.bytes), 0) from usage_daily w where w.workspace_id = ${endpoints.workspaceId} and w.day >= ${from})`;

function orderBy(f: EndpointQuery, from: string) {
  const dir = f.dir === 'asc' ? asc : desc;
  const key = {
    created: endpoints.createdAt,
    state: endpoints.state,
    region: endpoints.region,
    workspace: workspaces.name,
    usage: monthBytes(from),
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
  monthBytes: monthBytes(from),
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
      .innerJoin(workspaces, eq(endpoints.workspaceId, workspaces.id));
  const [rows, [total]] = await Promise.all([
    base()
      .where(where(f))
      .orderBy(...orderBy(f, from))
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
      .where(where(f))
      .orderBy(...orderBy(f, from))
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
