/**
 * The customers' side of the sandbox, as the edge account sees it: which endpoint services it may see and which
 * Redshift grants it holds. Nothing here is derived from what a case's inputs claim: a customer's service, allowed
 * principal, grant or acceptance exists only once the person did it in the simulated console
 * (sandbox-customer.ts; docs/design.md#the-sandbox-customers-side). The one exception is what a vendor owns: the
 * Databricks workspace services always exist and allow everyone (docs/facts.md#databricks).
 */
import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/index';
import { sandboxEndpointServices, sandboxRedshiftAuthorizations } from '@/db/schema';
import type { FlowConfig } from '@/lib/providers/config';
import type { EdgeLayout } from './layout';
import { regionAzIds } from './sandbox-shapes';

export type SandboxService = typeof sandboxEndpointServices.$inferSelect;
export type SandboxAuthorization = typeof sandboxRedshiftAuthorizations.$inferSelect;

/** The AZ ID prefix of a region in the layout (use1 for us-east-1). */
export function azPrefix(layout: EdgeLayout, region: string): string {
  const az = layout.regions[region]?.subnets[0]?.azId;
  return az ? az.replace(/-az\d+$/, '') : region.replace(/^(\w)\w*-(\w)\w*-(\d+)$/, '$1$2$3');
}

const ARN_ACCOUNT = /^arn:aws:iam::(\d{12}):/;

/**
 * Whether a service's allowed principals let `arn` see it and connect to it, as EC2 decides
 * (docs/facts.md#allowed-principals): `*` allows everyone, `arn:aws:iam::<account>:root` every principal of that
 * account, and a role or user ARN that principal only.
 */
export function principalAllowed(allowed: readonly string[], arn: string): boolean {
  if (allowed.includes('*') || allowed.includes(arn)) return true;
  const account = ARN_ACCOUNT.exec(arn)?.[1];
  return account !== undefined && allowed.includes(`arn:aws:iam::${account}:root`);
}

/** The configured Databricks workspace service of a region, when `serviceName` is one. */
export function isDatabricksService(flows: FlowConfig, region: string, serviceName: string): boolean {
  return flows.databricksWorkspaceServices[region] === serviceName;
}

/**
 * The service row whatever the caller may see, or null when nobody created it. A Databricks workspace service is
 * Databricks' own and always exists: its row is written the first time anyone asks. `read` is the row by that name
 * when the caller already read it (null: there was none).
 */
export async function findService(
  db: Db | Tx,
  layout: EdgeLayout,
  flows: FlowConfig,
  region: string,
  serviceName: string,
  read?: SandboxService | null,
): Promise<SandboxService | null> {
  const row =
    read !== undefined
      ? read
      : ((await db.select().from(sandboxEndpointServices).where(eq(sandboxEndpointServices.serviceName, serviceName)))[0] ?? null);
  if (row) return row.region === region ? row : null;
  if (!isDatabricksService(flows, region, serviceName)) return null;
  const [created] = await db
    .insert(sandboxEndpointServices)
    .values({
      serviceName,
      region,
      azIds: regionAzIds(region, azPrefix(layout, region)),
      // Databricks accepts an endpoint once the customer registered it in their Databricks account.
      acceptanceRequired: true,
      allowedPrincipals: ['*'],
      workspaceId: null,
    })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [raced] = await db.select().from(sandboxEndpointServices).where(eq(sandboxEndpointServices.serviceName, serviceName));
  return raced ?? null;
}

/**
 * The service as `principalArn` sees it, or null when it does not exist, was deleted or does not allow that principal:
 * EC2 answers the three the same way, without saying the service exists or who owns it.
 */
export async function visibleService(
  db: Db | Tx,
  layout: EdgeLayout,
  flows: FlowConfig,
  region: string,
  serviceName: string,
  principalArn: string,
  read?: SandboxService | null,
): Promise<SandboxService | null> {
  const row = await findService(db, layout, flows, region, serviceName, read);
  if (!row || row.removed || !principalAllowed(row.allowedPrincipals, principalArn)) return null;
  return row;
}

/** The customer's grant of a cluster to the edge account, or null (never granted, or revoked). */
export async function findAuthorization(
  db: Db | Tx,
  region: string,
  clusterIdentifier: string,
  grantor: string,
  grantee: string,
): Promise<SandboxAuthorization | null> {
  const [row] = await db
    .select()
    .from(sandboxRedshiftAuthorizations)
    .where(
      and(
        eq(sandboxRedshiftAuthorizations.region, region),
        eq(sandboxRedshiftAuthorizations.grantor, grantor),
        eq(sandboxRedshiftAuthorizations.clusterIdentifier, clusterIdentifier),
      ),
    );
  return row && row.status !== 'Revoked' && row.grantee === grantee ? row : null;
}
