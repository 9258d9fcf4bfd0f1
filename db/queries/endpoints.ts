import 'server-only';
import { desc, eq, isNull } from 'drizzle-orm';
import { getDb } from '@/db/index';
import { cases, endpoints, workspaces } from '@/db/schema';

export async function listEndpoints() {
  const db = await getDb();
  return db.select({
    id: endpoints.id, awsId: endpoints.awsId, state: endpoints.state, region: endpoints.region, dnsName: endpoints.dnsName,
    azIds: endpoints.azIds, warehouse: cases.warehouse, caseNumber: cases.number, workspaceName: workspaces.name,
    lastReconciledAt: endpoints.lastReconciledAt, lastError: endpoints.lastError,
  }).from(endpoints)
    .innerJoin(cases, eq(endpoints.caseId, cases.id))
    .innerJoin(workspaces, eq(endpoints.workspaceId, workspaces.id))
    .where(isNull(endpoints.deletedAt))
    .orderBy(desc(endpoints.createdAt)).limit(50);
}
