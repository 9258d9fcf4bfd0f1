/**
 * Levers on the sandbox edge account, for tests and demos: inject faults, change a service its owner already created
 * (acceptance, deletion), revoke a Redshift grant, and break things behind the portal's back (delete an endpoint or a
 * DNS record "in the console") so drift shows. The customer's own acts (create a service, allow a principal, accept a
 * connection…) are in sandbox-customer.ts. Everything is stored in the database, so a change made here is seen by
 * every reconciler on that database.
 */
import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { sandboxDnsRecords, sandboxEndpointServices, sandboxFaults, sandboxRedshiftAuthorizations, sandboxVpcEndpoints } from '@/db/schema';
import { type SandboxFaultKind, SANDBOX_FAULT_KINDS } from './sandbox-shapes';
import { CASE_TAG, type EdgeOperation } from './types';

export { SANDBOX_FAULT_KINDS, type SandboxFaultKind };

/** The next `times` matching calls (every call while `times` is null) fail with the fault. Returns the fault's id. */
export async function injectFault(
  db: Db,
  fault: { kind: SandboxFaultKind; operation?: EdgeOperation | '*'; times?: number | null },
): Promise<number> {
  if (!SANDBOX_FAULT_KINDS.includes(fault.kind))
    throw new Error(`Unknown sandbox fault "${fault.kind}": use one of ${SANDBOX_FAULT_KINDS.join(', ')}.`);
  const [row] = await db
    .insert(sandboxFaults)
    .values({ kind: fault.kind, operation: fault.operation ?? '*', remaining: fault.times ?? null })
    .returning({ id: sandboxFaults.id });
  return row!.id;
}

export async function clearFaults(db: Db): Promise<void> {
  await db.delete(sandboxFaults);
}

/**
 * Change an endpoint service its owner created (sandbox-customer.ts) as the owner would: AZs, acceptance, deletion.
 * A service nobody created cannot be changed into existence.
 */
export async function setEndpointService(
  db: Db,
  serviceName: string,
  patch: { azIds?: string[]; acceptanceRequired?: boolean; removed?: boolean },
): Promise<void> {
  const rows = await db
    .update(sandboxEndpointServices)
    .set(patch)
    .where(eq(sandboxEndpointServices.serviceName, serviceName))
    .returning({ name: sandboxEndpointServices.serviceName });
  if (rows.length === 0) throw new Error(`No endpoint service ${serviceName} in the sandbox: the customer creates it first.`);
}

/** Someone deleted the endpoint in the console: gone at once, without the portal knowing. */
export async function deleteVpcEndpointOutOfBand(db: Db, vpcEndpointId: string, now = new Date()): Promise<void> {
  await db
    .update(sandboxVpcEndpoints)
    .set({ state: 'deleted', stateSince: now, deletedAt: now })
    .where(eq(sandboxVpcEndpoints.id, vpcEndpointId));
}

/** Someone removed a record from the private hosted zone. */
export async function deleteDnsRecordOutOfBand(db: Db, hostedZoneId: string, name: string): Promise<void> {
  await db
    .delete(sandboxDnsRecords)
    .where(and(eq(sandboxDnsRecords.hostedZoneId, hostedZoneId), eq(sandboxDnsRecords.name, name.toLowerCase())));
}

/** The cluster owner revokes (or never gave) the edge account's access to their cluster. */
export async function revokeRedshiftAuthorization(
  db: Db,
  region: string,
  grantor: string,
  clusterIdentifier: string,
  now = new Date(),
): Promise<void> {
  await db
    .insert(sandboxRedshiftAuthorizations)
    .values({
      region,
      grantor,
      clusterIdentifier,
      grantee: '',
      status: 'Revoked',
      vpcIds: [],
      clusterPort: 5439,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [
        sandboxRedshiftAuthorizations.region,
        sandboxRedshiftAuthorizations.grantor,
        sandboxRedshiftAuthorizations.clusterIdentifier,
      ],
      set: { status: 'Revoked', updatedAt: now },
    });
}

/** Fix an endpoint's simulated traffic (GiB a day), e.g. to cross a usage threshold in a demo. */
export async function setTraffic(db: Db, vpcEndpointId: string, gibPerDay: number | null): Promise<void> {
  await db.update(sandboxVpcEndpoints).set({ trafficGibPerDay: gibPerDay }).where(eq(sandboxVpcEndpoints.id, vpcEndpointId));
}

/** The sandbox's VPC endpoints, optionally those tagged with one case (what the "console" shows). */
export async function listSandboxVpcEndpoints(db: Db, caseId?: string) {
  return db
    .select()
    .from(sandboxVpcEndpoints)
    .where(caseId ? sql`${sandboxVpcEndpoints.tags}->>${CASE_TAG} = ${caseId}` : undefined)
    .orderBy(asc(sandboxVpcEndpoints.createdAt));
}

export async function listSandboxDnsRecords(db: Db) {
  return db.select().from(sandboxDnsRecords).orderBy(asc(sandboxDnsRecords.name));
}
