/** Seed for bench/reconcile.ts: approved cases with valid, distinct inputs, written straight to the tables. */
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { cases, users, workspaces } from '@/db/schema';
import { claimKeys } from '@/lib/cases/claims';
import { WAREHOUSES, type Warehouse } from '@/lib/domain/warehouses';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const hex = (i: number, n: number) => i.toString(16).padStart(n, '0');

/** The inputs a customer would have given by approval (the flows' normalised shapes), unique per case. */
function inputsFor(warehouse: Warehouse, region: string, i: number): Record<string, unknown> {
  switch (warehouse) {
    case 'databricks':
      return {
        region,
        backendPrivateLink: true,
        // Already answered, so the case runs straight through awaiting_customer_action.
        endpointRegistered: true,
        workspaceUsesSettings: true,
        workspaceUrl: `https://bench-${i}.cloud.databricks.com`,
      };
    case 'rds_postgres':
      return {
        region,
        endpointServiceName: `com.amazonaws.vpce.${region}.vpce-svc-0${hex(i, 16)}`,
        databasePort: 5432,
        inboundEnforcement: 'off',
        allowedPrincipalAdded: true,
      };
    case 'redshift':
      return {
        region,
        nodeType: 'ra3.xlplus',
        relocationEnabled: true,
        port: 5439,
        accessGranted: true,
        clusterIdentifier: `bench-${i}`,
        awsAccountId: '123456789012',
      };
    case 'snowflake':
      return {
        region,
        privatelinkEnabled: true,
        supportAuthorized: true,
        privatelinkConfig: {
          'privatelink-account-name': `b${i}.${region}.privatelink`,
          'privatelink-vpce-id': `com.amazonaws.vpce.${region}.vpce-svc-1${hex(i, 16)}`,
          'privatelink-account-url': `b${i}.${region}.privatelink.snowflakecomputing.com`,
          'privatelink-ocsp-url': `ocsp.b${i}.${region}.privatelink.snowflakecomputing.com`,
        },
      };
  }
}

/** Insert `n` cases in `provisioning`, due now. Returns the milliseconds it took. */
export async function seedApprovedCases(db: Db, n: number): Promise<number> {
  const t0 = performance.now();
  const wsCount = Math.ceil(n / 10);
  const ws = await db
    .insert(workspaces)
    .values(Array.from({ length: wsCount }, (_, i) => ({ name: `Bench ${i}`, slug: `bench-${i}`, endpointLimit: 10 })))
    .returning({ id: workspaces.id });
  const admins = await db
    .insert(users)
    .values(
      ws.map((w, i) => ({ email: `admin${i}@bench.example`, name: `Admin ${i}`, role: 'customer_admin' as const, workspaceId: w.id })),
    )
    .returning({ id: users.id });
  const [csm, engineer] = await db
    .insert(users)
    .values([
      { email: 'csm@bench.example', name: 'CSM', role: 'csm' },
      { email: 'engineer@bench.example', name: 'Engineer', role: 'engineer' },
    ])
    .returning({ id: users.id });
  const now = new Date();
  for (let from = 0; from < n; from += 250) {
    const rows = [];
    for (let i = from; i < Math.min(n, from + 250); i++) {
      const warehouse = WAREHOUSES[i % WAREHOUSES.length]!;
      const region = REGIONS[i % REGIONS.length]!;
      const inputs = inputsFor(warehouse, region, i);
      rows.push({
        workspaceId: ws[i % wsCount]!.id,
        warehouse,
        region,
        state: 'provisioning' as const,
        version: 7,
        inputs,
        // As the service writes them with the inputs.
        claims: claimKeys({ warehouse, inputs }),
        claimsVersion: 7,
        createdBy: admins[i % wsCount]!.id,
        requestedBy: csm!.id,
        approvedBy: engineer!.id,
        submittedAt: now,
        nextReconcileAt: now,
      });
    }
    await db.insert(cases).values(rows);
  }
  await db.execute(sql`analyze`);
  return performance.now() - t0;
}
