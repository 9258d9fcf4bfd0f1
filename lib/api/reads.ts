/** Endpoints and usage for /api/v1, scoped to the caller's workspace in SQL (staff: every workspace). */
import 'server-only';
import { and, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '@/db/index';
import { scopeTo } from '@/db/queries/scope';
import { getMonthUsage } from '@/db/queries/usage';
import { getWorkspaceUsage } from '@/db/queries/workspaces';
import { cases, endpoints, workspaces } from '@/db/schema';
import type { SessionUser } from '@/lib/auth/session-account';
import { reachableWorkspace } from '@/lib/domain/roles';
import { describeUsage } from '@/lib/limits';
import { ApiError } from './errors';
import { badCursor, decodeCursor, encodeCursor } from './cases';
import type { endpointListSchema, usageSchema } from './schemas';

/** A page of live endpoints, newest first: what a customer needs to connect, never the edge account's bookkeeping. */
export async function listEndpointsPage(
  db: Db,
  user: SessionUser,
  q: { limit: number; cursor?: string },
): Promise<z.input<typeof endpointListSchema>> {
  const after = decodeCursor(q.cursor, 2);
  const where: (SQL | undefined)[] = [isNull(endpoints.deletedAt), scopeTo(endpoints.workspaceId, user)];
  if (after) {
    const at = new Date(after[0]!);
    if (Number.isNaN(at.getTime()) || !/^[0-9a-f-]{36}$/.test(after[1]!)) throw badCursor();
    where.push(sql`(${endpoints.createdAt}, ${endpoints.id}) < (${at.toISOString()}::timestamptz, ${after[1]}::uuid)`);
  }
  const rows = await db
    .select({
      id: endpoints.id,
      caseId: endpoints.caseId,
      number: cases.number,
      warehouse: cases.warehouse,
      region: endpoints.region,
      kind: endpoints.kind,
      state: endpoints.state,
      awsId: endpoints.awsId,
      serviceName: endpoints.serviceName,
      dnsName: endpoints.dnsName,
      port: endpoints.port,
      createdAt: endpoints.createdAt,
    })
    .from(endpoints)
    .innerJoin(cases, eq(endpoints.caseId, cases.id))
    .where(and(...where))
    .orderBy(desc(endpoints.createdAt), desc(endpoints.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    data: page.map(({ number, createdAt, ...e }) => ({ ...e, reference: `PL-${number}`, createdAt: createdAt.toISOString() })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

/** This month's usage of the caller's workspace; staff name one (the first by name when they do not). */
export async function readUsage(
  db: Db,
  user: SessionUser,
  asked: string | undefined,
  now: Date = new Date(),
): Promise<z.input<typeof usageSchema>> {
  const reach = reachableWorkspace(user);
  let workspaceId: string | null | undefined = reach === 'all' ? asked : reach;
  if (reach === 'all' && !workspaceId) {
    const [first] = await db.select({ id: workspaces.id }).from(workspaces).orderBy(workspaces.name).limit(1);
    workspaceId = first?.id;
  }
  const [ws] = workspaceId
    ? await db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId))
    : [];
  const usage = ws ? await getWorkspaceUsage(db, ws.id, { now }) : null;
  if (!ws || !usage) throw new ApiError('not_found', 'No such workspace.');
  const daily = await getMonthUsage(ws.id, now);
  return {
    workspace: ws,
    month: now.toISOString().slice(0, 7),
    endpointsUsed: usage.endpointsUsed,
    endpointLimit: usage.endpointLimit,
    monthBytes: usage.monthBytes,
    monthlyTransferLimitGib: usage.monthlyTransferLimitGib,
    transferPercent: describeUsage(usage).transferPercent,
    daily,
  };
}
