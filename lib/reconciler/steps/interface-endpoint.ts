/**
 * The interface VPC endpoint every flow but Redshift needs, created at most once per case: tagged endpoints are looked
 * up before any create (a crash after AWS made one and before we wrote it down leaves it there to adopt), the create
 * carries a ClientToken derived from the case, and a second tagged endpoint, should one ever exist, is deleted.
 */
import type { Endpoint } from '@/db/schema';
import { EdgeError } from '@/lib/cloud/errors';
import type { EdgeRegion } from '@/lib/cloud/layout';
import { clientTokenFor, edgeAzIds, sharedAzIds } from '@/lib/cloud/naming';
import { DEAD_ENDPOINT_STATES, type VpcEndpoint } from '@/lib/cloud/types';
import type { Outcome, StepContext } from '../outcome';

export type Ensured = { outcome: Outcome } | { ep: VpcEndpoint; row: Endpoint };

export function failOutcome(note: string, extra: Partial<Outcome> = {}): Outcome {
  return { ...extra, event: { name: 'fail', note }, next: 0 };
}

/** The AZ IDs of an endpoint's subnets, read from the edge layout. */
export function azIdsOfSubnets(edge: EdgeRegion, subnetIds: readonly string[]): string[] {
  return subnetIds.map((id) => edge.subnets.find((s) => s.subnetId === id)?.azId).filter((a): a is string => Boolean(a));
}

/**
 * Only AZ IDs compare across accounts (docs/facts.md#endpoint-services-and-availability-zones), so the message names
 * both sides by ID.
 */
export function azMismatchMessage(serviceName: string, serviceAzIds: readonly string[], edge: EdgeRegion): string {
  return `No Availability Zone in common: endpoint service ${serviceName} is in ${serviceAzIds.join(', ') || 'no zone'}, and the edge VPC ${edge.vpcId} has subnets in ${edgeAzIds(edge).join(', ')} (AZ IDs). Ask the customer to enable their load balancer in one of the edge's zones, or an engineer to add an edge subnet in one of the service's, then retry.`;
}

const live = (e: VpcEndpoint) => !DEAD_ENDPOINT_STATES.includes(e.state) && e.state !== 'deleting';

function fields(ctx: StepContext, ep: VpcEndpoint, port: number | null) {
  return {
    kind: 'interface',
    awsId: ep.id,
    vpcEndpointId: ep.id,
    serviceName: ep.serviceName,
    state: ep.state,
    dnsName: ep.dnsName,
    subnetIds: ep.subnetIds,
    azIds: azIdsOfSubnets(ctx.edge, ep.subnetIds),
    port,
    lastReconciledAt: ctx.now,
    lastError: null,
  };
}

/** Make sure the case has its endpoint; returns it when it exists, or the outcome of the action this look took. */
export async function ensureInterfaceEndpoint(ctx: StepContext, serviceName: string, port: number | null): Promise<Ensured> {
  const { c, adapter, edge, config } = ctx;
  const row = ctx.endpoint;
  if (row?.awsId) {
    const ep = await adapter.describeVpcEndpoint(c.region, row.awsId);
    if (ep && ep.state !== 'deleted' && ep.state !== 'deleting') return { ep, row };
    // Gone before it carried traffic (deleted behind our back while provisioning): retire the row; the next look
    // creates a replacement under a new ClientToken.
    return {
      outcome: {
        endpoint: { id: row.id, state: ep?.state ?? 'deleted', deletedAt: ctx.now, lastReconciledAt: ctx.now },
        next: 0,
        lastError: `VPC endpoint ${row.awsId} disappeared while provisioning; creating a replacement.`,
      },
    };
  }

  const tagged = (await adapter.findVpcEndpointsByCase(c.region, c.id)).filter(live);
  if (tagged.length > 0) {
    const [keep, ...extra] = tagged as [VpcEndpoint, ...VpcEndpoint[]];
    for (const x of extra) await adapter.deleteVpcEndpoint(c.region, x.id);
    return {
      outcome: {
        endpoint: { ...(row ? { id: row.id } : {}), ...fields(ctx, keep, port) },
        audits: [
          {
            action: 'edge.adopt_vpc_endpoint',
            targetType: 'case',
            targetId: c.id,
            after: { vpcEndpointId: keep.id, state: keep.state, reason: 'found by its portal:case-id tag before creating' },
          },
          ...extra.map((x) => ({
            action: 'edge.delete_vpc_endpoint',
            targetType: 'case' as const,
            targetId: c.id,
            after: { vpcEndpointId: x.id, reason: 'duplicate endpoint for the case' },
          })),
        ],
        next: 0,
      },
    };
  }

  // As the workspace's own role: AWS refuses a service that did not allow it (docs/design.md#a-principal-per-workspace).
  const as = await adapter.ensureWorkspacePrincipal(c.workspaceId);
  const service = await adapter.describeEndpointService(c.region, serviceName, as);
  const azIds = sharedAzIds(service.azIds, edge);
  if (azIds.length === 0) return { outcome: failOutcome(azMismatchMessage(serviceName, service.azIds, edge)) };
  let created: VpcEndpoint;
  try {
    created = await adapter.createVpcEndpoint({
      region: c.region,
      caseId: c.id,
      as,
      serviceName,
      azIds,
      clientToken: clientTokenFor(c.id, ctx.generation),
    });
  } catch (err) {
    if (err instanceof EdgeError && err.code === 'az_mismatch')
      return { outcome: failOutcome(azMismatchMessage(serviceName, service.azIds, edge)) };
    throw err;
  }
  return {
    outcome: {
      endpoint: { ...(row ? { id: row.id } : {}), ...fields(ctx, created, port) },
      audits: [
        {
          action: 'edge.create_vpc_endpoint',
          targetType: 'case',
          targetId: c.id,
          after: { vpcEndpointId: created.id, serviceName, azIds, subnetIds: created.subnetIds, state: created.state },
        },
      ],
      next: config.pollMs,
    },
  };
}

/** The endpoint is dead (rejected, failed, expired): delete it and fail the case with the reason. */
export async function retireDeadEndpoint(ctx: StepContext, row: Endpoint, ep: VpcEndpoint, reason: string): Promise<Outcome> {
  await ctx.adapter.deleteVpcEndpoint(ctx.c.region, ep.id);
  return failOutcome(reason, {
    endpoint: { id: row.id, state: ep.state, deletedAt: ctx.now, lastReconciledAt: ctx.now, lastError: reason },
    audits: [
      {
        action: 'edge.delete_vpc_endpoint',
        targetType: 'case',
        targetId: ctx.c.id,
        after: { vpcEndpointId: ep.id, state: ep.state, reason },
      },
    ],
  });
}

/** The row fields that mirror an endpoint as AWS reports it now. */
export function mirror(ctx: StepContext, row: Endpoint, ep: VpcEndpoint): Outcome['endpoint'] {
  return {
    id: row.id,
    state: ep.state,
    dnsName: ep.dnsName,
    subnetIds: ep.subnetIds,
    azIds: azIdsOfSubnets(ctx.edge, ep.subnetIds),
    lastReconciledAt: ctx.now,
    lastError: null,
  };
}

export function isDead(ep: VpcEndpoint): boolean {
  return DEAD_ENDPOINT_STATES.includes(ep.state);
}
