/**
 * The customers' side of the sandbox: which endpoint services and Redshift grants exist. As in AWS, they exist only
 * when the customer did their part — here, when a case's inputs say so (docs/program-rules.md#the-four-flows):
 * - an RDS endpoint service exists once a case names it and confirms the edge principal is allowed on it;
 * - a Snowflake service once a case carries its privatelink-vpce-id and confirms Snowflake support authorized us;
 * - a Redshift grant once a case names the cluster and account and confirms access was granted;
 * - the Databricks workspace services always exist (they are Databricks'), one per configured region, and accept an
 *   endpoint once the customer registered it, which they tell us by sending the case's after-endpoint step;
 * The first look materialises a row, which tests and demos then change (AZs, acceptance, removal, revocation).
 */
import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { caseEvents, cases, sandboxEndpointServices, sandboxRedshiftAuthorizations } from '@/db/schema';
import type { FlowConfig } from '@/lib/providers/config';
import { parseEndpointServiceName } from '@/lib/validation/aws';
import type { EdgeLayout } from './layout';
import { defaultServiceAzIds } from './sandbox-shapes';

export type SandboxService = typeof sandboxEndpointServices.$inferSelect;
export type SandboxAuthorization = typeof sandboxRedshiftAuthorizations.$inferSelect;

/** The AZ ID prefix of a region in the layout (use1 for us-east-1). */
export function azPrefix(layout: EdgeLayout, region: string): string {
  const az = layout.regions[region]?.subnets[0]?.azId;
  return az ? az.replace(/-az\d+$/, '') : region.replace(/^(\w)\w*-(\w)\w*-(\d+)$/, '$1$2$3');
}

/** The service as its owner set it up, or null when it does not exist for the edge account. */
export async function resolveService(
  db: Db,
  layout: EdgeLayout,
  flows: FlowConfig,
  region: string,
  serviceName: string,
): Promise<SandboxService | null> {
  const [row] = await db.select().from(sandboxEndpointServices).where(eq(sandboxEndpointServices.serviceName, serviceName));
  if (row) return row.removed || row.region !== region ? null : row;
  const parsed = parseEndpointServiceName(serviceName);
  if (!parsed || parsed.region !== region) return null;

  type Owner = 'databricks' | 'rds_postgres' | 'snowflake';
  let kind: Owner | null = Object.values(flows.databricksWorkspaceServices).includes(serviceName) ? ('databricks' as Owner) : null;
  if (!kind) {
    const [c] = await db
      .select({ warehouse: cases.warehouse })
      .from(cases)
      .where(
        and(
          eq(cases.region, region),
          sql`(
        (${cases.warehouse} = 'rds_postgres' and ${cases.inputs}->>'endpointServiceName' = ${serviceName} and ${cases.inputs}->>'allowedPrincipalAdded' = 'true')
        or (${cases.warehouse} = 'snowflake' and ${cases.inputs}->'privatelinkConfig'->>'privatelink-vpce-id' = ${serviceName} and ${cases.inputs}->>'supportAuthorized' = 'true')
      )`,
        ),
      )
      .limit(1);
    kind = (c?.warehouse as Owner | undefined) ?? null;
  }
  if (!kind) return null;
  const [created] = await db
    .insert(sandboxEndpointServices)
    .values({
      serviceName,
      region,
      azIds: defaultServiceAzIds(serviceName, region, azPrefix(layout, region), kind !== 'rds_postgres'),
      // Databricks accepts once the customer registers the endpoint; an NLB service asks its owner by default (AWS's
      // default); Snowflake accepts the accounts support authorized at once.
      acceptanceRequired: kind !== 'snowflake',
    })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [raced] = await db.select().from(sandboxEndpointServices).where(eq(sandboxEndpointServices.serviceName, serviceName));
  return raced ?? null;
}

/** The customer's grant of a cluster to the edge account, or null (never granted, or revoked). */
export async function resolveAuthorization(
  db: Db,
  layout: EdgeLayout,
  region: string,
  clusterIdentifier: string,
  grantor: string,
  now: Date,
): Promise<SandboxAuthorization | null> {
  const key = and(
    eq(sandboxRedshiftAuthorizations.region, region),
    eq(sandboxRedshiftAuthorizations.grantor, grantor),
    eq(sandboxRedshiftAuthorizations.clusterIdentifier, clusterIdentifier),
  );
  const [row] = await db.select().from(sandboxRedshiftAuthorizations).where(key);
  if (row) return row.status === 'Revoked' ? null : row;
  const [c] = await db
    .select({ port: sql<string | number | null>`${cases.inputs}->>'port'` })
    .from(cases)
    .where(
      and(
        eq(cases.region, region),
        eq(cases.warehouse, 'redshift'),
        sql`lower(${cases.inputs}->>'clusterIdentifier') = ${clusterIdentifier.toLowerCase()}`,
        sql`${cases.inputs}->>'awsAccountId' = ${grantor}`,
        sql`${cases.inputs}->>'accessGranted' = 'true'`,
      ),
    )
    .limit(1);
  const edge = layout.regions[region];
  if (!c || !edge) return null;
  const [created] = await db
    .insert(sandboxRedshiftAuthorizations)
    .values({
      region,
      grantor,
      clusterIdentifier,
      grantee: layout.accountId,
      status: 'Authorized',
      vpcIds: [edge.vpcId],
      clusterPort: Number(c.port) || 5439,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [raced] = await db.select().from(sandboxRedshiftAuthorizations).where(key);
  return raced && raced.status !== 'Revoked' ? raced : null;
}

/**
 * When the customer registered a case's Databricks endpoint in their Databricks account: the time they sent it
 * ("Send and finish"), or null while they have not. Saved-but-unsent answers do not count: they act when they send.
 */
export async function customerRegisteredAt(db: Db, caseId: string): Promise<Date | null> {
  if (!/^[0-9a-f-]{36}$/i.test(caseId)) return null;
  const [row] = await db
    .select({ at: caseEvents.createdAt })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.event, 'send_customer_action')))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  return row?.at ?? null;
}
