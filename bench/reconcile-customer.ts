/**
 * The customers' side for bench/reconcile.ts: what each customer does in their own (simulated) console, through the
 * same functions as the case page's sandbox panel (lib/cloud/sandbox-customer.ts).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { cases, sandboxVpcEndpoints, users } from '@/db/schema';
import { applyEvent } from '@/lib/cases/service';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { workspacePrincipal } from '@/lib/cloud/naming';
import {
  allowPrincipal,
  authorizeRedshift,
  createNlbService,
  createRedshiftCluster,
  registerDatabricksEndpoint,
  snowflakeSupportAuthorize,
} from '@/lib/cloud/sandbox-customer';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';

/** Before provisioning: the RDS customers' services (no acceptance) allowing their role, the Redshift clusters and grants, Snowflake's authorizations. */
export async function customerActsBefore(db: Db): Promise<void> {
  const rows = await db
    .select({ workspaceId: cases.workspaceId, warehouse: cases.warehouse, region: cases.region, inputs: cases.inputs })
    .from(cases)
    .where(eq(cases.state, 'provisioning'));
  for (const c of rows) {
    const i = c.inputs as Record<string, unknown>;
    if (c.warehouse === 'rds_postgres') {
      const serviceName = String(i.endpointServiceName);
      await createNlbService(db, { workspaceId: c.workspaceId, region: c.region, acceptanceRequired: false, serviceName });
      const principalArn = workspacePrincipal(SANDBOX_EDGE_LAYOUT.accountId, c.workspaceId).arn;
      await allowPrincipal(db, { workspaceId: c.workspaceId, serviceName, principalArn });
    } else if (c.warehouse === 'redshift') {
      const cluster = {
        workspaceId: c.workspaceId,
        region: c.region,
        account: String(i.awsAccountId),
        clusterIdentifier: String(i.clusterIdentifier),
      };
      await createRedshiftCluster(db, { ...cluster, nodeType: String(i.nodeType), relocationEnabled: true, port: Number(i.port) });
      await authorizeRedshift(db, { ...cluster, vpcIds: [SANDBOX_EDGE_LAYOUT.regions[c.region]!.vpcId] });
    } else if (c.warehouse === 'snowflake') {
      const config = i.privatelinkConfig as Record<string, string>;
      await snowflakeSupportAuthorize(db, {
        workspaceId: c.workspaceId,
        region: c.region,
        privatelinkVpceId: config['privatelink-vpce-id']!,
      });
    }
  }
}

/**
 * The Databricks customers' part once their endpoint exists: register it in their Databricks account, and send the
 * answers they already gave ("Send and finish"). Returns how many acts were done.
 */
export async function registerWaitingDatabricks(db: Db): Promise<number> {
  const waiting = await db
    .select({ id: sandboxVpcEndpoints.id, caseId: sql<string>`${sandboxVpcEndpoints.tags}->>'portal:case-id'` })
    .from(sandboxVpcEndpoints)
    .where(
      and(
        eq(sandboxVpcEndpoints.state, 'pendingAcceptance'),
        inArray(sandboxVpcEndpoints.serviceName, Object.values(DEFAULT_FLOW_CONFIG.databricksWorkspaceServices)),
      ),
    );
  const asking = await db
    .select({ id: cases.id, workspaceId: cases.workspaceId, version: cases.version, createdBy: cases.createdBy })
    .from(cases)
    .where(and(eq(cases.warehouse, 'databricks'), eq(cases.state, 'awaiting_customer_action')));
  if (waiting.length === 0 && asking.length === 0) return 0;
  const owners = waiting.length
    ? await db
        .select({ id: cases.id, workspaceId: cases.workspaceId })
        .from(cases)
        .where(
          inArray(
            cases.id,
            waiting.map((w) => w.caseId),
          ),
        )
    : [];
  for (const w of waiting) {
    const workspaceId = owners.find((o) => o.id === w.caseId)?.workspaceId;
    if (workspaceId) await registerDatabricksEndpoint(db, { workspaceId, vpcEndpointId: w.id });
  }
  for (const c of asking) {
    const [admin] = await db
      .select({ id: users.id, role: users.role, workspaceId: users.workspaceId, email: users.email })
      .from(users)
      .where(eq(users.id, c.createdBy!));
    if (admin) await applyEvent(db, admin, { caseId: c.id, event: 'send_customer_action', version: c.version });
  }
  return waiting.length + asking.length;
}
