/**
 * Levers on the sandbox edge account, for tests and demos: inject faults, change a service its owner already created
 * (acceptance, deletion), revoke a Redshift grant, and break things behind the portal's back (delete an endpoint or a
 * DNS record "in the console") so drift shows. The customer's own acts (create a service, allow a principal, accept a
 * connection…) are in sandbox-customer.ts. Everything is stored in the database, so a change made here is seen by
 * every reconciler on that database.
 */
import 'server-only';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/index';
import {
  sandboxDnsRecords,
  sandboxEndpointServices,
  sandboxFaults,
  sandboxRedshiftAuthorizations,
  sandboxTrafficBursts,
  sandboxVpcEndpoints,
} from '@/db/schema';
import { utcDay } from '@/lib/domain/utc-day';
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

/**
 * Fix an endpoint's simulated traffic in GiB a day (null: back to its own generated pattern), e.g. to show a steeper
 * trend in a demo (docs/design.md#sandbox-traffic). Throws for an endpoint the sandbox does not have.
 */
export async function setTraffic(db: Db | Tx, vpcEndpointId: string, gibPerDay: number | null): Promise<void> {
  const rows = await db
    .update(sandboxVpcEndpoints)
    .set({ trafficGibPerDay: gibPerDay })
    .where(eq(sandboxVpcEndpoints.id, vpcEndpointId))
    .returning({ id: sandboxVpcEndpoints.id });
  if (rows.length === 0) throw new Error(`No VPC endpoint ${vpcEndpointId} in the sandbox.`);
}

/**
 * A one-off transfer through the endpoint today (UTC), on top of its daily rate: a bulk export, say, that takes the
 * workspace over a usage threshold in a demo. Repeated calls add up. Returns today's one-off total in bytes.
 */
export async function addTrafficBurst(db: Db | Tx, vpcEndpointId: string, bytes: number, now: Date = new Date()): Promise<number> {
  const [row] = await db
    .insert(sandboxTrafficBursts)
    .values({ vpcEndpointId, day: utcDay(now), bytes: Math.round(bytes) })
    .onConflictDoUpdate({
      target: [sandboxTrafficBursts.vpcEndpointId, sandboxTrafficBursts.day],
      set: { bytes: sql`${sandboxTrafficBursts.bytes} + excluded.bytes` },
    })
    .returning({ bytes: sandboxTrafficBursts.bytes });
  return row!.bytes;
}

/** The traffic settings of some sandbox endpoints: the daily rate (null: generated) and today's one-off bytes. */
export async function getSandboxTraffic(
  db: Db,
  vpcEndpointIds: string[],
  now: Date = new Date(),
): Promise<Map<string, { gibPerDay: number | null; burstTodayBytes: number }>> {
  if (vpcEndpointIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: sandboxVpcEndpoints.id,
      gibPerDay: sandboxVpcEndpoints.trafficGibPerDay,
      burst: sql<
        string | null
      >`(select b.bytes from ${sandboxTrafficBursts} b where b.vpc_endpoint_id = ${sandboxVpcEndpoints.id} and b.day = ${utcDay(now)})::text`,
    })
    .from(sandboxVpcEndpoints)
    .where(inArray(sandboxVpcEndpoints.id, vpcEndpointIds));
  return new Map(rows.map((r) => [r.id, { gibPerDay: r.gibPerDay, burstTodayBytes: Number(r.burst ?? 0) }]));
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
