/**
 * The sandbox's Redshift: the customers' clusters and grants exist only once they created them in the simulated
 * console (sandbox-customer.ts); managed endpoints are refused, as AWS refuses them, for a cluster that does not
 * exist, is not RA3, has relocation off or was not granted to the edge account (docs/facts.md#redshift-managed-vpc-endpoints),
 * and take a while to come up.
 */
import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { sandboxRedshiftClusters, sandboxRedshiftEndpoints, sandboxVpcEndpoints } from '@/db/schema';
import type { ErrorContext } from './errors';
import { awsError, newVpcEndpointId, redshiftEndpointAddress, redshiftServiceName, vpcEndpointDnsName } from './sandbox-shapes';
import type { CarriedFault, SandboxOptions } from './sandbox';
import { findAuthorization } from './sandbox-world';
import type { CreateRedshiftEndpointRequest, RedshiftAuthorization, RedshiftEndpoint } from './types';

type Row = typeof sandboxRedshiftEndpoints.$inferSelect;
type Run = <T>(ctx: ErrorContext, fn: () => Promise<T>) => Promise<T>;
type RunReading = <T>(ctx: ErrorContext, fn: (fault: CarriedFault) => Promise<T>) => Promise<T>;

function view(row: Row): RedshiftEndpoint {
  return {
    name: row.name,
    clusterIdentifier: row.clusterIdentifier,
    resourceOwner: row.resourceOwner,
    status: row.status,
    // AWS shows the address once the endpoint is active.
    address: row.status === 'active' ? row.address : null,
    port: row.port,
    vpcEndpointId: row.vpcEndpointId,
  };
}

export function sandboxRedshift(db: Db, options: SandboxOptions, clock: () => Date, run: Run, runReading: RunReading) {
  const key = (region: string, name: string) => and(eq(sandboxRedshiftEndpoints.region, region), eq(sandboxRedshiftEndpoints.name, name));

  /** creating → active after twice SANDBOX_DELAY_MS; deleting → gone (with its VPC endpoint) after SANDBOX_DELAY_MS. */
  async function advance(row: Row): Promise<Row | null> {
    const elapsed = clock().getTime() - row.stateSince.getTime();
    if (row.status === 'creating' && elapsed >= 2 * options.delayMs) {
      const stateSince = new Date(row.stateSince.getTime() + 2 * options.delayMs);
      await db
        .update(sandboxRedshiftEndpoints)
        .set({ status: 'active', stateSince })
        .where(and(key(row.region, row.name), eq(sandboxRedshiftEndpoints.status, 'creating')));
      return { ...row, status: 'active', stateSince };
    }
    if (row.status === 'deleting' && elapsed >= options.delayMs) {
      const gone = new Date(row.stateSince.getTime() + options.delayMs);
      await db.delete(sandboxRedshiftEndpoints).where(key(row.region, row.name));
      await db
        .update(sandboxVpcEndpoints)
        .set({ state: 'deleted', stateSince: gone, deletedAt: gone })
        .where(eq(sandboxVpcEndpoints.id, row.vpcEndpointId));
      return null;
    }
    return row;
  }

  return {
    describeAuthorization(region: string, clusterIdentifier: string, grantor: string): Promise<RedshiftAuthorization | null> {
      return run({ operation: 'describeRedshiftAuthorization', region, resource: `cluster ${clusterIdentifier}` }, async () => {
        const a = await findAuthorization(db, region, clusterIdentifier, grantor, options.layout.accountId);
        return a
          ? { clusterIdentifier, grantor, grantee: a.grantee, status: a.status, allowedAllVpcs: a.allowedAllVpcs, allowedVpcs: a.vpcIds }
          : null;
      });
    },

    create(req: CreateRedshiftEndpointRequest): Promise<RedshiftEndpoint> {
      return runReading(
        { operation: 'createRedshiftEndpoint', region: req.region, resource: `cluster ${req.clusterIdentifier}` },
        async (fault) => {
          const edge = options.layout.regions[req.region];
          const [cluster] = await fault.rows(
            sandboxRedshiftClusters,
            and(
              eq(sandboxRedshiftClusters.region, req.region),
              eq(sandboxRedshiftClusters.account, req.resourceOwner),
              eq(sandboxRedshiftClusters.clusterIdentifier, req.clusterIdentifier),
            ),
          );
          if (!cluster) throw awsError('ClusterNotFound', `Cluster ${req.clusterIdentifier} not found.`, 404);
          const auth = await findAuthorization(db, req.region, req.clusterIdentifier, req.resourceOwner, options.layout.accountId);
          if (!edge || !auth || (!auth.allowedAllVpcs && !auth.vpcIds.includes(edge.vpcId))) {
            throw awsError(
              'EndpointAuthorizationNotFound',
              `Authorization for account ${options.layout.accountId} to cluster ${req.clusterIdentifier} of account ${req.resourceOwner} was not found.`,
              404,
            );
          }
          if (!cluster.nodeType.startsWith('ra3.')) {
            throw awsError(
              'UnsupportedOperation',
              `Redshift-managed VPC endpoints are supported only on RA3 node types: cluster ${req.clusterIdentifier} is ${cluster.nodeType}.`,
            );
          }
          if (!cluster.relocationEnabled) {
            throw awsError(
              'InvalidClusterState',
              `Cluster relocation must be turned on for cluster ${req.clusterIdentifier} before a Redshift-managed VPC endpoint can be created.`,
            );
          }
          const [existing] = await db.select().from(sandboxRedshiftEndpoints).where(key(req.region, req.endpointName));
          if (existing) {
            // The name is the idempotency key (lib/cloud/aws-services.ts answers the same way).
            if (existing.clusterIdentifier === req.clusterIdentifier && existing.resourceOwner === req.resourceOwner) return view(existing);
            throw awsError('EndpointAlreadyExists', `An endpoint named ${req.endpointName} already exists.`);
          }
          const now = clock();
          const vpcEndpointId = newVpcEndpointId();
          const serviceName = redshiftServiceName(req.region, req.clusterIdentifier, req.resourceOwner);
          // Redshift makes an interface endpoint in the edge VPC, managed by Redshift (so not tagged with our case).
          await db.insert(sandboxVpcEndpoints).values({
            id: vpcEndpointId,
            region: req.region,
            serviceName,
            vpcId: edge.vpcId,
            state: 'pending',
            stateSince: now,
            subnetIds: edge.subnets.map((s) => s.subnetId),
            azIds: edge.subnets.map((s) => s.azId),
            securityGroupIds: edge.securityGroupIds,
            dnsName: vpcEndpointDnsName(vpcEndpointId, serviceName, req.region),
            clientToken: null,
            tags: {},
            createdAt: now,
          });
          const [row] = await db
            .insert(sandboxRedshiftEndpoints)
            .values({
              region: req.region,
              name: req.endpointName,
              clusterIdentifier: req.clusterIdentifier,
              resourceOwner: req.resourceOwner,
              subnetGroupName: edge.redshiftSubnetGroup,
              securityGroupIds: edge.securityGroupIds,
              status: 'creating',
              stateSince: now,
              address: redshiftEndpointAddress(req.endpointName, req.clusterIdentifier, req.region),
              port: cluster.port,
              vpcEndpointId,
              createdAt: now,
            })
            .returning();
          return view(row!);
        },
      );
    },

    describe(region: string, name: string): Promise<RedshiftEndpoint | null> {
      return runReading({ operation: 'describeRedshiftEndpoint', region, resource: name }, async (fault) => {
        const [row] = await fault.rows(sandboxRedshiftEndpoints, key(region, name));
        const now = row ? await advance(row) : null;
        return now ? view(now) : null;
      });
    },

    remove(region: string, name: string): Promise<void> {
      return run({ operation: 'deleteRedshiftEndpoint', region, resource: name }, async () => {
        const [row] = await db.select().from(sandboxRedshiftEndpoints).where(key(region, name));
        if (!row || row.status === 'deleting') return;
        const now = clock();
        await db.update(sandboxRedshiftEndpoints).set({ status: 'deleting', stateSince: now }).where(key(region, name));
        await db
          .update(sandboxVpcEndpoints)
          .set({ state: 'deleting', stateSince: now })
          .where(eq(sandboxVpcEndpoints.id, row.vpcEndpointId));
      });
    },
  };
}
